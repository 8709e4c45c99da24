from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qingnong.accounts"
    verbose_name = "账号"
