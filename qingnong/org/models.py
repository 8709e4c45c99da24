"""The league's org tree: 团省委/团市委 → 团县委 → 乡镇团委 → 村团组织 / 直属团组织.

A subtree is one indexed prefix query on `path` ("610000/610800/610802/"), never
recursion. Division orgs take their path segment from the official division code;
orgs added in the UI (villages, 直属) use "n<pk>".
"""
from django.db import models
from simple_history.models import HistoricalRecords

from qingnong.audit.models import TrackedModel


class OrgLevel(models.TextChoices):
    PROVINCE = "province", "团省委"
    CITY = "city", "团市委"
    COUNTY = "county", "团县委"
    TOWNSHIP = "township", "乡镇团委"
    VILLAGE = "village", "村团组织"
    DIRECT = "direct", "直属团组织"


# Which kinds of org may be added under which level in the UI. Division levels come
# only from the division dataset (qingnong load-divisions).
ADDABLE_CHILD_LEVELS = {
    OrgLevel.PROVINCE: [OrgLevel.DIRECT],
    OrgLevel.CITY: [OrgLevel.DIRECT],
    OrgLevel.COUNTY: [OrgLevel.DIRECT],
    OrgLevel.TOWNSHIP: [OrgLevel.VILLAGE, OrgLevel.DIRECT],
}
DIVISION_LEVELS = {OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY, OrgLevel.TOWNSHIP}


class Org(TrackedModel):
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=OrgLevel.choices)
    code = models.CharField(
        "行政区划代码", max_length=12, unique=True, null=True, blank=True,
        help_text="民政部行政区划代码；村团组织和直属团组织可为空",
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级组织", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # unique => indexed; on PostgreSQL Django adds a varchar_pattern_ops index for LIKE 'x%'.
    path = models.CharField("路径", max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField("深度", default=0)
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["path", "depth"])
    scope_path = "path"  # see org/scoping.py

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "level"], name="org_parent_level")]

    def __str__(self):
        return self.name

    @property
    def owner_org(self):
        return self

    @property
    def committee_name(self):
        """How the league names the committee: 共青团榆阳区委员会 → shown as 榆阳区团委."""
        if self.level in DIVISION_LEVELS:
            return f"{self.name}团委"
        return self.name

    @property
    def is_division(self):
        return self.level in DIVISION_LEVELS

    def ancestor_paths(self):
        """Paths of every ancestor, root first: lets a page fetch breadcrumbs in one query."""
        parts = self.path.strip("/").split("/")
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]

    def addable_child_levels(self):
        return ADDABLE_CHILD_LEVELS.get(self.level, [])


class DivisionLoad(models.Model):
    """One run of `qingnong load-divisions`: which data, as of which date."""

    root_code = models.CharField("区划代码", max_length=12)
    root_name = models.CharField("名称", max_length=100)
    source = models.CharField("数据来源", max_length=200)
    data_as_of = models.DateField("数据截止日期")
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    loaded_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政区划导入"
        verbose_name_plural = "行政区划导入"
        ordering = ["-loaded_at"]
