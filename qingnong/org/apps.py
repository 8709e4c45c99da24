from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "qingnong.org"
    verbose_name = "组织"
