from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "qingnong.inspection"
    verbose_name = "检查验收"
