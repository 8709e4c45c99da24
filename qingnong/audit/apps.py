from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "qingnong.audit"
    verbose_name = "操作记录"

    def ready(self):
        from django.db.models.signals import pre_save
        from simple_history.signals import post_create_historical_record

        from .handlers import backfill_creation, write_audit_entry

        post_create_historical_record.connect(write_audit_entry, dispatch_uid="qingnong-audit")
        pre_save.connect(backfill_creation, dispatch_uid="qingnong-audit-backfill")
