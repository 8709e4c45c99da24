from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qingnong.accounts"
    verbose_name = "账号"

    def ready(self):
        from qingnong.audit.registry import track

        from .models import User

        track("user", User)
