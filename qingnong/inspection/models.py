"""检查验收 and assessment.

The city runs an inspection round for a campaign, assigns inspectors (city users) to
counties, and each inspection is a checklist of the plan's four focus items (方案“检查
验收”：建群情况、联系团员青年数量、发送内容及频次、线上线下活动情况) with the ledger's
figures as of the inspection date, a verdict, comments, photos and spot checks. The
county sees it once published and answers each finding (整改). The annual assessment
scores counties by a rubric kept as data; official accounts are evaluated and awarded.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qingnong.audit.models import TrackedModel


class FocusItem(models.TextChoices):
    GROUPS = "groups", "建群情况"
    YOUTHS = "youths", "联系团员青年数量"
    MESSAGES = "messages", "发送内容及频次"
    ACTIVITIES = "activities", "线上线下活动情况"


class Verdict(models.TextChoices):
    MET = "met", "达标"
    MOSTLY = "mostly", "基本达标"
    NOT_MET = "not_met", "未达标"


VERDICT_POINTS = {Verdict.MET: 100, Verdict.MOSTLY: 70, Verdict.NOT_MET: 30}


class InspectionRound(TrackedModel):
    campaign = models.ForeignKey("campaign.Campaign", verbose_name="建设计划", on_delete=models.PROTECT, related_name="inspection_rounds")
    org = models.ForeignKey("org.Org", verbose_name="组织检查的团委", on_delete=models.PROTECT, related_name="inspection_rounds")
    name = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查轮次"
        verbose_name_plural = "检查轮次"
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name


class InspectionStatus(models.TextChoices):
    ASSIGNED = "assigned", "待检查"
    IN_PROGRESS = "in_progress", "检查中"
    SUBMITTED = "submitted", "已完成"
    PUBLISHED = "published", "已发布"


class Inspection(TrackedModel):
    """One county's inspection in a round."""

    round = models.ForeignKey(InspectionRound, verbose_name="检查轮次", on_delete=models.CASCADE, related_name="inspections")
    org = models.ForeignKey("org.Org", verbose_name="被检查县区", on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="inspections")
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.ASSIGNED)
    summary = models.TextField("总体评价", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["round", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "org"], condition=Q(deleted_at__isnull=True), name="inspection_once_per_county"),
        ]

    def __str__(self):
        return f"{self.org} · {self.round}"


class Finding(TrackedModel):
    """One focus item of an inspection: the figures as of the date, the verdict, the county's answer."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="findings")
    item = models.CharField("检查项", max_length=12, choices=FocusItem.choices)
    figures = models.JSONField("台帐数据", default=dict, blank=True)  # snapshot of the ledger figures shown
    verdict = models.CharField("结论", max_length=10, choices=Verdict.choices, blank=True)
    comment = models.TextField("检查意见", blank=True)
    response = models.TextField("整改情况", blank=True)
    responded_at = models.DateTimeField("整改回复时间", null=True, blank=True)

    history = HistoricalRecords()
    scope_path = "inspection__org__path"

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["inspection", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="finding_once_per_item")]

    def __str__(self):
        return f"{self.inspection.org} {self.get_item_display()}"

    @property
    def owner_org(self):
        return self.inspection.org


class SpotCheck(TrackedModel):
    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="spot_checks")
    group = models.ForeignKey("ledger.WechatGroup", verbose_name="微信群", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.CharField("抽查内容", max_length=200)
    passed = models.BooleanField("是否属实", null=True)
    note = models.CharField("备注", max_length=500, blank=True)

    history = HistoricalRecords()
    scope_path = "inspection__org__path"

    class Meta:
        verbose_name = "抽查记录"
        verbose_name_plural = "抽查记录"
        ordering = ["inspection", "id"]

    @property
    def owner_org(self):
        return self.inspection.org


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="photos")
    finding = models.ForeignKey(Finding, verbose_name="检查项", null=True, blank=True, on_delete=models.SET_NULL, related_name="photos")
    image = models.ImageField("照片", upload_to="inspections/%Y/%m/")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_path = "inspection__org__path"

    class Meta:
        verbose_name = "检查照片"
        verbose_name_plural = "检查照片"


class ScoreSource(models.TextChoices):
    VERDICT = "verdict", "检查结论"
    YOUTH_GROUPS_SHARE = "youth_groups_share", "团青微信群建成比例"
    CADRES_ON_TARGET = "cadres_on_target", "团干部联系青年达标比例"
    MESSAGES_PER_GROUP_WEEK = "messages_per_group_week", "每群每周发送微信条数"
    ACTIVITIES_PER_TOWNSHIP = "activities_per_township", "每乡镇线下活动次数"
    ACCOUNT_OPENED = "account_opened", "公众号开通"


class Rubric(TrackedModel):
    """The annual assessment's scoring rubric (年度考核), one per campaign, editable by the city."""

    campaign = models.ForeignKey("campaign.Campaign", verbose_name="建设计划", on_delete=models.PROTECT, related_name="rubrics")
    name = models.CharField("名称", max_length=100)
    counties_see_ranking = models.BooleanField("各县可见全部排名", default=False)

    history = HistoricalRecords()
    scope_path = "campaign__org__path"

    class Meta:
        verbose_name = "考核细则"
        verbose_name_plural = "考核细则"

    def __str__(self):
        return self.name

    @property
    def owner_org(self):
        return self.campaign.org


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name="考核细则", on_delete=models.CASCADE, related_name="items")
    label = models.CharField("考核项", max_length=100)
    weight = models.PositiveSmallIntegerField("权重（分）", validators=[MinValueValidator(0), MaxValueValidator(100)])
    source = models.CharField("计分依据", max_length=30, choices=ScoreSource.choices)
    focus_item = models.CharField("对应检查项", max_length=12, choices=FocusItem.choices, blank=True)
    full_marks_at = models.FloatField("满分标准", default=1.0, help_text="比例或数量达到此值得满分，按比例计分")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    scope_path = "rubric__campaign__org__path"

    class Meta:
        verbose_name = "考核项"
        verbose_name_plural = "考核项"
        ordering = ["position", "id"]


class AwardCategory(models.TextChoices):
    EXCELLENT = "excellent", "优秀公众号"
    ACTIVE = "active", "最具活力公众号"
    CONTENT = "content", "优质内容奖"
    GROWTH = "growth", "最快增长奖"


class Award(TrackedModel):
    """评比和奖励 of county official accounts over a period."""

    campaign = models.ForeignKey("campaign.Campaign", verbose_name="建设计划", on_delete=models.PROTECT, related_name="awards")
    account = models.ForeignKey("ledger.OfficialAccount", verbose_name="公众号", on_delete=models.PROTECT, related_name="awards")
    category = models.CharField("奖项", max_length=12, choices=AwardCategory.choices)
    period_start = models.DateField("评比开始")
    period_end = models.DateField("评比结束")
    reason = models.TextField("获奖理由", blank=True)

    history = HistoricalRecords()
    scope_path = "account__org__path"

    class Meta:
        verbose_name = "公众号奖项"
        verbose_name_plural = "公众号奖项"
        ordering = ["-period_end", "category"]

    def __str__(self):
        return f"{self.get_category_display()}：{self.account}"

    @property
    def owner_org(self):
        return self.account.org
