"""The audit trail and the base every domain record shares.

Every domain model inherits `TrackedModel` (version for optimistic locking, soft delete)
and declares `history = HistoricalRecords()`. Each historical row written by
django-simple-history also lands here as one `AuditEntry`, indexed by the owning org's
path, so that "操作记录 of an org subtree" is one prefix query across all models.
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class LiveManager(models.Manager):
    """Hides soft-deleted rows; `all_objects` still sees them (回收站)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class TrackedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Incremented by every service write; a form carries the version it was shown, so an
    # edit made on an older copy is refused instead of silently overwriting a newer one.
    version = models.PositiveIntegerField("版本", default=1)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="删除人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = LiveManager()
    all_objects = models.Manager()
    scope_path = "org__path"  # the lookup org/scoping.py filters by prefix

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def owner_org(self):
        """The org node this record belongs to; scoping and the audit log use it."""
        return self.org


class AuditAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    RESTORE = "restore", "恢复"
    PASSWORD_RESET = "password_reset", "重置密码"
    IMPORT = "import", "导入"
    WITHDRAW = "withdraw", "撤回"  # a report taken back: what stood before it stands again
    EXPORT = "export", "导出"  # a download of ledger rows or a form: who took which data (contacts included)


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user_label = models.CharField("操作人", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField("记录编号")
    object_repr = models.CharField("记录", max_length=200)
    org_path = models.CharField("所属组织路径", max_length=255, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    scope_path = "org_path"

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {self.object_repr}"

    @property
    def model_label(self):
        return self.content_type.model_class()._meta.verbose_name if self.content_type.model_class() else ""
