from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Yulin demo and the synthetic ledgers: data generators for the whole system, so
    they sit above every app they fill (and no app below imports them)."""

    name = "qingnong.demo"
    verbose_name = "演示与合成数据"
