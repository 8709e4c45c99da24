from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qingnong.reports"
    verbose_name = "报表"
