"""Reports: every Excel import is a saved ImportRun (status, problems, the original file).
A confirmed 附件3 import is a ledger.ProgressReport with one ReportedProgress row per
township, so the form, the dashboard and inspection read them from the ledger and flag
where they differ from the ledger's own figures."""
from django.conf import settings
from django.db import models

FORM_CODES = [("plan", "附件1 计划表"), ("roster", "附件2 统计表"), ("progress", "附件3 跟踪摸底表"),
              ("cadres", "团干部名单（批量导入）"), ("orgs", "村和直属团组织（批量导入）"), ("groups", "微信群（批量导入）")]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    PREVIEWED = "previewed", "待确认"
    FAILED = "failed", "有错误"
    IMPORTED = "imported", "已导入"
    CANCELLED = "cancelled", "已取消"
    WITHDRAWN = "withdrawn", "已撤回"  # imported, then undone: the figures before it stand again


class ImportRun(models.Model):
    org = models.ForeignKey("org.Org", verbose_name="组织", on_delete=models.PROTECT, related_name="imports")
    form_code = models.CharField("报表", max_length=10, choices=FORM_CODES)
    file = models.FileField("原始文件", upload_to="imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=200)
    as_of = models.DateField("填报日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    problems = models.JSONField("问题", default=list, blank=True)  # [{"cell": "F7", "level": "error", "message": "…"}]
    preview = models.JSONField("预览", default=dict, blank=True)
    rows_written = models.PositiveIntegerField("写入行数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("导入时间", null=True, blank=True)
    # 附件3: the ledger's report this import made (its rows are the townships' figures).
    report = models.OneToOneField("ledger.ProgressReport", verbose_name="上报", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="import_run")

    scope_path = "org__path"

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_form_code_display()} {self.file_name}"

    @property
    def owner_org(self):
        return self.org

    @property
    def errors(self):
        return [p for p in self.problems if p.get("level") == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p.get("level") != "error"]
