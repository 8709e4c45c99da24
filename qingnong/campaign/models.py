"""The campaign (微信体系建设): phases, deadlines and targets as data, the county plan
(附件1) with its review workflow, and the reminders sent about what is owed.

The 2014 Yulin plan (榆林团市委《实施方案》) is the default; a city admin edits the
dates and targets and copies a campaign to a new year.
"""
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qingnong.audit.models import TrackedModel


class PhaseKind(models.TextChoices):
    SURVEY = "survey", "联系摸底"
    BUILD = "build", "全面建设"
    INSPECTION = "inspection", "检查验收"


class DeadlineKind(models.TextChoices):
    PLAN_DUE = "plan_due", "报送计划表（附件1）"
    WORK_GROUPS = "work_groups", "青农微信群建成"
    YOUTH_GROUPS = "youth_groups", "团青微信群建成 90% 以上"
    ACCOUNT = "account", "团县委微信公众号开通"


class Campaign(TrackedModel):
    org = models.ForeignKey("org.Org", verbose_name="发起组织", on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    name = models.CharField("名称", max_length=100)
    # Targets (方案“主要任务”): data, editable by the city admin.
    youth_groups_per_township = models.PositiveSmallIntegerField("每个乡镇团青微信群不少于（个）", default=10)
    work_groups_per_county = models.PositiveSmallIntegerField("每个县青农微信群不少于（个）", default=1)
    youths_per_cadre = models.PositiveSmallIntegerField("每名基层团干部联系青年不少于（名）", default=20)
    # One 微信公众号 per county is the ledger's own rule (one live account per org), not a target.
    youth_groups_goal_percent = models.PositiveSmallIntegerField(
        "团青微信群建成比例目标（%）", default=90, validators=[MaxValueValidator(100)])
    stale_after_days = models.PositiveSmallIntegerField("多少天未更新算“未更新”", default=14)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "建设计划"
        verbose_name_plural = "建设计划"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], condition=Q(deleted_at__isnull=True), name="campaign_one_per_org_year"),
        ]

    def __str__(self):
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=12, choices=PhaseKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    scope_path = "campaign__org__path"

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="phase_once_per_campaign"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_in_order"),
        ]

    def __str__(self):
        return self.get_kind_display()


class Deadline(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField("事项", max_length=15, choices=DeadlineKind.choices)
    due_on = models.DateField("截止日期")

    scope_path = "campaign__org__path"

    class Meta:
        verbose_name = "截止日期"
        verbose_name_plural = "截止日期"
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="deadline_once_per_campaign")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.due_on}）"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "已审核"


class AccountKindChoice(models.TextChoices):
    NONE = "", "未开通"
    SUBSCRIPTION = "subscription", "订阅号"
    SERVICE = "service", "服务号"


class CountyPlan(TrackedModel):
    """附件1 县乡两级微信体系建设计划表: one per county per campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name="建设计划", on_delete=models.PROTECT, related_name="plans")
    org = models.ForeignKey("org.Org", verbose_name="县区", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The 12 fields of 附件1, in form order (forms.md).
    county_name = models.CharField("县区名称", max_length=50)
    account_opened = models.BooleanField("是否开通订阅号/服务号", default=False)
    account_type = models.CharField("订阅号/服务号", max_length=15, choices=AccountKindChoice.choices, blank=True)
    account_name = models.CharField("拟开通订阅号/服务号名称", max_length=100, blank=True)
    wechat_lead = models.CharField("区县微信负责人", max_length=50, blank=True)
    admins_contact = models.TextField("管理员姓名及联系方式", blank=True, help_text="每行一人：姓名 手机号")
    planned_county_youth_groups = models.PositiveIntegerField("拟建区县直属团青微信群数量", default=0)
    planned_county_work_groups = models.PositiveIntegerField("拟建区县直属青农微信群数量", default=0)
    township_count = models.PositiveIntegerField("现有乡镇数量", default=0)
    planned_township_youth_groups = models.PositiveIntegerField("拟建乡镇级团青微信群数量", default=0)
    planned_township_work_groups = models.PositiveIntegerField("拟建乡镇级青农微信群数量", default=0)
    planned_direct_groups = models.PositiveIntegerField("拟建直属团组织微信群数量", default=0)
    planned_village_groups = models.PositiveIntegerField("拟建村级团组织微信群数量", default=0)
    # Header line of the paper form.
    filled_by = models.CharField("填表人", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    is_late = models.BooleanField("逾期", default=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "计划表（附件1）"
        verbose_name_plural = "计划表（附件1）"
        ordering = ["org__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org"], condition=Q(deleted_at__isnull=True), name="plan_one_per_county"),
        ]

    def __str__(self):
        return f"{self.county_name} 计划表（{self.campaign.year}）"

    @property
    def planned_youth_groups(self):
        """All 团青 groups the county plans: its own plus its townships'."""
        return self.planned_county_youth_groups + self.planned_township_youth_groups

    def is_editable(self):
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanReview(models.Model):
    """Every transition of a plan: who moved it from which status to which, and why."""

    plan = models.ForeignKey(CountyPlan, on_delete=models.CASCADE, related_name="reviews")
    from_status = models.CharField("原状态", max_length=10, choices=PlanStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=PlanStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    scope_path = "plan__org__path"

    class Meta:
        verbose_name = "计划表审核记录"
        verbose_name_plural = "计划表审核记录"
        ordering = ["at", "id"]


class Reminder(models.Model):
    """A reminder recorded by `qingnong remind` or the 提醒 page: to which county, what it
    owed, the message, who sent it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    org = models.ForeignKey("org.Org", verbose_name="县区", on_delete=models.PROTECT, related_name="reminders")
    at = models.DateTimeField("提醒时间", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提醒人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")  # None: `qingnong remind` from the console
    items = models.JSONField("欠缴事项", default=list)
    message = models.TextField("提醒内容")

    scope_path = "org__path"

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["org", "-at"], name="reminder_org_at")]


class ReportingPeriod(models.Model):
    """A period the 附件3 (跟踪摸底表) is reported for: the campaign's data, like its phases
    (monthly by default, or dates the city sets), copied with the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    due_on = models.DateField("报送截止日期")

    scope_path = "campaign__org__path"

    class Meta:
        verbose_name = "报告期"
        verbose_name_plural = "报告期"
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "starts_on"], name="period_once_per_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates_in_order"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("ends_on")), name="period_due_after_end"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """"2014年10月" for a calendar month, else the dates."""
        s, e = self.starts_on, self.ends_on
        next_day = e.toordinal() + 1
        if s.day == 1 and date.fromordinal(next_day).day == 1 and (s.year, s.month) == (e.year, e.month):
            return f"{s.year}年{s.month}月"
        return f"{s:%Y年%m月%d日}至{e:%m月%d日}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "已审核"


class ProgressSubmission(TrackedModel):
    """One org's 附件3 for one period on its way up: a township submits its row, the county
    reviews it; the county submits its form, the city reviews it. Approved is locked until
    the level above unlocks it (with a reason). No row: not submitted yet."""

    period = models.ForeignKey(ReportingPeriod, verbose_name="报告期", on_delete=models.CASCADE, related_name="submissions")
    org = models.ForeignKey("org.Org", verbose_name="组织", on_delete=models.PROTECT, related_name="progress_submissions")
    status = models.CharField("状态", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    # A township's row as submitted (its county's report for the period, one row): what the county reviews.
    report = models.ForeignKey("ledger.ProgressReport", verbose_name="上报数", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    is_late = models.BooleanField("逾期", default=False)  # the first submission came after the period's due date
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "附件3 报送"
        verbose_name_plural = "附件3 报送"
        ordering = ["period", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "org"], condition=Q(deleted_at__isnull=True), name="submission_one_per_period"),
        ]

    def __str__(self):
        return f"{self.org} {self.period} 附件3（{self.get_status_display()}）"


class SubmissionReview(models.Model):
    """Every transition of a submission: who moved it from which status to which, and why."""

    submission = models.ForeignKey(ProgressSubmission, on_delete=models.CASCADE, related_name="reviews")
    from_status = models.CharField("原状态", max_length=10, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=SubmissionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    scope_path = "submission__org__path"

    class Meta:
        verbose_name = "附件3 报送记录"
        verbose_name_plural = "附件3 报送记录"
        ordering = ["at", "id"]
