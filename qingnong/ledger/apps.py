from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qingnong.ledger"
    verbose_name = "台帐"
