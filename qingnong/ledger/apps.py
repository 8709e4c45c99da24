from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qingnong.ledger"
    verbose_name = "台帐"

    def ready(self):
        # Models and services exist only once the app registry is ready.
        from qingnong.audit.registry import track

        from . import models, totals  # noqa: F401  totals connects the signals that keep the summary rows in step
        from .services.accounts import account_restore
        from .services.activities import activity_restore
        from .services.cadres import cadre_restore
        from .services.groups import group_restore
        from .services.messages import message_restore

        # In the 回收站's order of sections (after 组织).
        track("official_account", models.OfficialAccount, restore=account_restore)
        track("group", models.WechatGroup, restore=group_restore)
        track("message", models.MessageRecord, restore=message_restore)
        track("activity", models.Activity, restore=activity_restore)
        track("cadre", models.Cadre, restore=cadre_restore)
        track("account_admin", models.AccountAdmin)
        track("figures", models.TownshipFigures)
