from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qingnong.ledger"
    verbose_name = "台帐"

    def ready(self):
        from . import totals  # noqa: F401  connects the signals that keep the summary rows in step
