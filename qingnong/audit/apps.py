from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "qingnong.audit"
    verbose_name = "操作记录"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from .handlers import write_audit_entry

        post_create_historical_record.connect(write_audit_entry, dispatch_uid="qingnong-audit")
