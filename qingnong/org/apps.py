from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "qingnong.org"
    verbose_name = "组织"

    def ready(self):
        # Models and services exist only once the app registry is ready.
        from qingnong.audit.registry import track

        from .models import Org
        from .services import org_restore

        track("org", Org, restore=org_restore)
