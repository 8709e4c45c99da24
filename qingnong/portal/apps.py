from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that draw on several apps: the home page (the user's groups, figures and
    to-do), the org tree and an org's page (its users, its subtree), the 操作记录 and the
    回收站 (every app's records). They sit on top, so the apps below never import upward."""

    name = "qingnong.portal"
    verbose_name = "首页与组织"
