"""The ledger (台帐): WeChat groups, official accounts, cadres, messages, activities.

Scale: figures that dashboards read for every group (its latest member snapshot) are
copied onto the group by the service that writes the snapshot, in the same
transaction, so "current members of 300,000 groups" is a plain column sum, never a
latest-row-per-group query. Every figure says where it came from (`source`) and who
entered it.
"""
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qingnong.audit.models import TrackedModel
from qingnong.org.models import OrgLevel

from .rules import YOUTHS_PER_CADRE

WECHAT_GROUP_CAP = 500  # 微信群人数上限
QR_MEMBER_LIMIT = 200  # 群二维码超过 200 人后失效
QR_VALID_DAYS = 7  # 群二维码有效期 7 天


class Source(models.TextChoices):
    MANUAL = "manual", "手工填报"
    IMPORT = "import", "Excel 导入"
    API = "api", "公众号接口"  # WeCom's figures are kept beside the ledger's (qingnong.wechat), not in it


class GroupKind(models.TextChoices):
    YOUTH = "youth", "团青微信群"
    WORK = "work", "青农微信群"


class GroupStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    ACTIVE = "active", "活跃"
    DORMANT = "dormant", "不活跃"
    CLOSED = "closed", "已解散"


# A planned or closed group is not "built": the campaign's counts, 附件3 and the summary rows agree.
BUILT = [GroupStatus.ACTIVE, GroupStatus.DORMANT]


def coarse_is(flag):
    """The summary rows that are (or are not) coarse, as `coarse IN (flag)`: for
    filter(coarse=False) Django writes `NOT coarse`, which SQLite cannot match to an index
    on (…, coarse, day): each "as of" seek then sorted all of a unit's rows (measured: the
    附件3 comparison at a past date, 12 → 2 ms for a city). PostgreSQL reads both alike."""
    return Q(coarse__in=[flag])


def built_on(as_of, prefix=""):
    """Q for the groups that stood built on `as_of`: founded by then (or undated), active
    or dormant now or closed only after it (a group closed in 2015 still counts in 2014's
    figures), and, if temporary, not past its 结束日期 (unless extended). For today this is
    what the summary rows count (ledger/totals.py).
    `prefix` reaches the group through a relation ("group__")."""
    founded = Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": as_of})
    standing = Q(**{f"{prefix}status__in": BUILT}) | Q(**{f"{prefix}status": GroupStatus.CLOSED, f"{prefix}closed_on__gt": as_of})
    unexpired = Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": as_of})  # a temporary group until its end
    return founded & standing & unexpired


class Basis(models.TextChoices):
    PLACE = "place", "地缘"
    TRADE = "trade", "业缘"
    CAUSE = "cause", "事缘"
    HOBBY = "hobby", "趣缘"


class MessageCategory(models.TextChoices):
    POLICY = "policy", "政策法规"
    PROSPERITY = "prosperity", "致富信息"
    NEWS = "news", "新闻娱乐"
    SERVICES = "services", "便民服务"
    OTHER = "other", "其他"


class AccountTheme(models.TextChoices):
    POLICY_EXPLAINER = "policy_explainer", "政策解读"
    LEAGUE_NEWS = "league_news", "团内要讯"
    SERVICE_PROJECT = "service_project", "服务项目"
    MODEL_WORK = "model_work", "工作典型"
    ROLE_MODEL = "role_model", "青年榜样"
    INSPIRATIONAL = "inspirational", "励志文章"


class ActivityType(models.TextChoices):
    POLICY_TALK = "policy_talk", "政策宣讲"
    SKILLS = "skills", "技能培训"
    CULTURE = "culture", "文体娱乐"
    DATING = "dating", "婚恋交友"
    OTHER = "other", "其他"


class AccountType(models.TextChoices):
    SUBSCRIPTION = "subscription", "订阅号"
    SERVICE = "service", "服务号"


class AccountStatus(models.TextChoices):
    PLANNED = "planned", "计划开通"
    OPENED = "opened", "已开通"


class AdminRole(models.TextChoices):
    FULL_TIME = "full_time", "专职"
    PART_TIME = "part_time", "兼职"


# The member categories of 附件3, in form order: (field, 在乡/外出, label).
MEMBER_FIELDS = [
    ("home_farming", "在乡", "务农"),
    ("home_wage", "在乡", "务工"),
    ("home_business", "在乡", "经商"),
    ("home_public", "在乡", "行政事业单位"),
    ("home_other", "在乡", "其他"),
    ("away_wage", "外出", "务工"),
    ("away_study", "外出", "就学"),
    ("away_startup", "外出", "创业"),
    ("away_other", "外出", "其他"),
]
MEMBER_FIELD_NAMES = [f for f, _, _ in MEMBER_FIELDS]


def _count(label):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(WECHAT_GROUP_CAP)])


class MemberCounts(models.Model):
    """The nine member columns of 附件3; used by snapshots and by the group's current copy."""

    home_farming = _count("在乡·务农")
    home_wage = _count("在乡·务工")
    home_business = _count("在乡·经商")
    home_public = _count("在乡·行政事业单位")
    home_other = _count("在乡·其他")
    away_wage = _count("外出·务工")
    away_study = _count("外出·就学")
    away_startup = _count("外出·创业")
    away_other = _count("外出·其他")

    class Meta:
        abstract = True

    def member_total(self):
        return sum(getattr(self, f) for f in MEMBER_FIELD_NAMES)


class Cadre(TrackedModel):
    org = models.ForeignKey("org.Org", verbose_name="所属组织", on_delete=models.PROTECT, related_name="cadres")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    wechat_id = models.CharField("微信号", max_length=50, blank=True)
    qq = models.CharField("QQ 号", max_length=15, blank=True)
    is_grassroots = models.BooleanField("基层团干部", default=True, help_text="乡镇、村团干部；每人通过微信联系农村青年不少于 20 名")
    youths_reached = models.PositiveIntegerField("微信联系农村青年数", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "团干部"
        verbose_name_plural = "团干部"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def reach_gap(self):
        """The gap to the 2014 plan's ≥20 (pages use gap_to with the campaign's own target)."""
        return self.gap_to(YOUTHS_PER_CADRE)

    def gap_to(self, target):
        return max(0, target - self.youths_reached) if self.is_grassroots else 0


class WechatGroup(TrackedModel, MemberCounts):
    org = models.ForeignKey("org.Org", verbose_name="所属组织", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField("群名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=GroupKind.choices)
    covers_level = models.CharField(
        "覆盖层级", max_length=10, choices=OrgLevel.choices, blank=True,
        help_text="青农微信群覆盖的下一级，如县级青农群的成员为乡镇团委成员",
    )
    # Comma-wrapped codes (",place,trade,") so one LIKE filters by basis on any database.
    bases = models.CharField("建群依据", max_length=40, blank=True)
    founded_on = models.DateField("建群日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    ends_on = models.DateField("结束日期", null=True, blank=True, help_text="临时群填写")
    # Set by the services when the status becomes 已解散, cleared when it is reopened: past
    # figures count the group until that day. Empty on a group closed before it existed.
    closed_on = models.DateField("解散日期", null=True, blank=True)
    owner = models.ForeignKey(Cadre, verbose_name="群主", null=True, blank=True, on_delete=models.SET_NULL, related_name="groups")
    purpose = models.TextField("用途/备注", blank=True)
    qr_code = models.ImageField("入群二维码", upload_to="qr/%Y/%m/", blank=True)
    qr_expires_on = models.DateField("二维码有效期至", null=True, blank=True)
    # The current figures: a copy of the latest MemberSnapshot, written with it.
    members_total = models.PositiveIntegerField("当前成员数", default=0)
    members_as_of = models.DateField("成员数截至", null=True, blank=True)

    # The 操作记录 shows 建群依据 as the user chose it (业缘、趣缘), not as stored (",trade,hobby,").
    audit_display = {"bases": lambda value: "、".join(dict(Basis.choices).get(b, b) for b in value.strip(",").split(",") if b)}

    history = HistoricalRecords(excluded_fields=["members_total", "members_as_of", *MEMBER_FIELD_NAMES])

    class Meta:
        verbose_name = "微信群"
        verbose_name_plural = "微信群"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], condition=Q(deleted_at__isnull=True), name="group_unique_name_per_org"),
            models.CheckConstraint(condition=Q(members_total__lte=WECHAT_GROUP_CAP), name="group_members_cap"),
        ]
        indexes = [models.Index(fields=["org", "kind", "status"], name="group_org_kind_status")]

    def __str__(self):
        return self.name

    @property
    def basis_list(self):
        return [b for b in self.bases.strip(",").split(",") if b]

    def basis_labels(self):
        labels = dict(Basis.choices)
        return [labels.get(b, b) for b in self.basis_list]


class MemberSnapshot(MemberCounts):
    """Member counts of one group on one date. The ledger keeps every snapshot."""

    group = models.ForeignKey(WechatGroup, verbose_name="微信群", on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField("统计日期")
    total = models.PositiveIntegerField("成员总数", validators=[MaxValueValidator(WECHAT_GROUP_CAP)])
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("填报时间", auto_now=True)

    scope_path = "group__org__path"

    class Meta:
        verbose_name = "成员数快照"
        verbose_name_plural = "成员数快照"
        ordering = ["-taken_on"]
        constraints = [models.UniqueConstraint(fields=["group", "taken_on"], name="snapshot_one_per_group_day")]


class OfficialAccount(TrackedModel):
    org = models.ForeignKey("org.Org", verbose_name="所属组织", on_delete=models.PROTECT, related_name="official_accounts")
    name = models.CharField("公众号名称", max_length=100)
    account_type = models.CharField("类型", max_length=15, choices=AccountType.choices, default=AccountType.SUBSCRIPTION)
    wechat_id = models.CharField("微信号", max_length=50, blank=True)
    opened_on = models.DateField("开通日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=AccountStatus.choices, default=AccountStatus.PLANNED)
    subscribers = models.PositiveIntegerField("当前关注人数", default=0)
    subscribers_as_of = models.DateField("关注人数截至", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["subscribers", "subscribers_as_of"])

    class Meta:
        verbose_name = "微信公众号"
        verbose_name_plural = "微信公众号"
        ordering = ["org__path"]
        constraints = [
            # 方案：各团县委设立一个微信公共号（团市委可有自己的）。
            models.UniqueConstraint(fields=["org"], condition=Q(deleted_at__isnull=True), name="account_one_per_org"),
        ]

    def __str__(self):
        return self.name


class AccountAdmin(TrackedModel):
    account = models.ForeignKey(OfficialAccount, verbose_name="公众号", on_delete=models.CASCADE, related_name="admins")
    cadre = models.ForeignKey(Cadre, verbose_name="管理员", on_delete=models.PROTECT, related_name="account_roles")
    role = models.CharField("专兼职", max_length=10, choices=AdminRole.choices, default=AdminRole.PART_TIME)

    history = HistoricalRecords()
    scope_path = "account__org__path"

    class Meta:
        verbose_name = "公众号管理员"
        verbose_name_plural = "公众号管理员"
        constraints = [
            models.UniqueConstraint(fields=["account", "cadre"], condition=Q(deleted_at__isnull=True), name="admin_once_per_account"),
        ]

    def __str__(self):
        return f"{self.account}·{self.cadre}"

    @property
    def owner_org(self):
        return self.account.org


class SubscriberSnapshot(models.Model):
    account = models.ForeignKey(OfficialAccount, verbose_name="公众号", on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField("统计日期")
    subscribers = models.PositiveIntegerField("关注人数")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("填报时间", auto_now=True)

    scope_path = "account__org__path"

    class Meta:
        verbose_name = "关注人数快照"
        verbose_name_plural = "关注人数快照"
        ordering = ["-taken_on"]
        constraints = [models.UniqueConstraint(fields=["account", "taken_on"], name="subscribers_one_per_account_day")]


def counts_on_day(start, end):
    """The day a record spanning [start, end] counts on: its middle day (the earlier of two).
    A Monday–Sunday week counts on its Thursday, so it belongs to the month holding its
    Thursday (the ISO-8601 rule: the week 11-30…12-06 is December's); a month's summary
    record counts in its month; a single day on that day."""
    return start + timedelta(days=(end - start).days // 2)


def message_dates(start, end=None):
    """The date fields of a record over [start, end] (one day when `end` is None)."""
    end = end or start
    day = counts_on_day(start, end)
    return {"period_start": start, "period_end": end, "counts_on": day, "month": day.replace(day=1)}


def is_weekly_entry(start, end, source):
    """The one-page weekly entry writes exactly Monday–Sunday with source MANUAL."""
    return source == Source.MANUAL and start.weekday() == 0 and end == start + timedelta(days=6)


class MessageRecord(TrackedModel):
    """Messages sent in a group or by an account: one day, or a period with a count."""

    org = models.ForeignKey("org.Org", verbose_name="所属组织", on_delete=models.PROTECT, related_name="messages")
    group = models.ForeignKey(WechatGroup, verbose_name="微信群", null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    account = models.ForeignKey(OfficialAccount, verbose_name="公众号", null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    # The one day a record counts on (counts_on_day): every figure of a month, a 附件3 period
    # or a dashboard counts it there, so no record is counted in two periods or in none.
    counts_on = models.DateField("计入日期", null=True)
    # First day of counts_on's month: monthly totals are one indexed GROUP BY.
    month = models.DateField("月份", db_index=True)
    count = models.PositiveIntegerField("条数", validators=[MinValueValidator(1)])
    category = models.CharField("内容类别", max_length=12, choices=MessageCategory.choices)
    theme = models.CharField("公众号栏目", max_length=20, choices=AccountTheme.choices, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    link = models.URLField("链接", blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "发送微信记录"
        verbose_name_plural = "发送微信记录"
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(account__isnull=True)) | (Q(group__isnull=True) & Q(account__isnull=False)),
                name="message_group_xor_account",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="message_period_order"),
        ]
        indexes = [models.Index(fields=["org", "month", "category"], name="message_org_month_cat"),
                   models.Index(fields=["month", "counts_on"], name="message_month_counts_on")]

    def save(self, *args, **kwargs):
        """The day it counts on follows its dates (services set it too; a bulk write uses
        message_dates)."""
        if self.period_start and self.period_end:
            self.counts_on = counts_on_day(self.period_start, self.period_end)
            self.month = self.counts_on.replace(day=1)
        super().save(*args, **kwargs)

    @property
    def entry_label(self):
        """Where the record came from, in the words the group page and the weekly grid use:
        每周填报 (the grid's Monday–Sunday rows), 逐条记录 (typed one by one), else its source."""
        if self.source != Source.MANUAL:
            return self.get_source_display()
        return "每周填报" if is_weekly_entry(self.period_start, self.period_end, self.source) else "逐条记录"

    def __str__(self):
        target = self.group or self.account
        return f"{target} {self.period_start} {self.get_category_display()} {self.count} 条"


class Activity(TrackedModel):
    org = models.ForeignKey("org.Org", verbose_name="组织", on_delete=models.PROTECT, related_name="activities")
    held_on = models.DateField("活动日期")
    activity_type = models.CharField("活动类型", max_length=12, choices=ActivityType.choices)
    title = models.CharField("活动名称", max_length=200)
    participants = models.PositiveIntegerField("参加人数", default=0)
    group = models.ForeignKey(WechatGroup, verbose_name="关联微信群", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    note = models.TextField("活动简介", blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "线下活动"
        verbose_name_plural = "线下活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"], name="activity_org_date")]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("照片", upload_to="activities/%Y/%m/")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_path = "activity__org__path"

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"


class StagedPhoto(models.Model):
    """A photo picked on a 线下活动 form that came back with an error (issue 18): stored
    re-encoded for its uploader, shown on the form again, and taken by the activity when
    the form saves, so a phone need not pick it again. Unclaimed ones go after a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+")
    image = models.ImageField("照片", upload_to="staged/%Y/%m/")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "待保存的照片"
        verbose_name_plural = "待保存的照片"
        indexes = [models.Index(fields=["user", "uploaded_at"], name="stagedphoto_user_time")]


class TownshipFigures(models.Model):
    """附件3 的团支部数、团干部数、团员青年数：每个乡镇按日期记录。"""

    org = models.ForeignKey("org.Org", verbose_name="乡镇", on_delete=models.PROTECT, related_name="figures")
    as_of = models.DateField("统计日期")
    branch_count = models.PositiveIntegerField("团支部数")
    cadre_count = models.PositiveIntegerField("团干部数")
    youth_count = models.PositiveIntegerField("团员青年数")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("填报时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords()
    scope_path = "org__path"

    class Meta:
        verbose_name = "乡镇基础数据"
        verbose_name_plural = "乡镇基础数据"
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["org", "as_of"], name="figures_one_per_township_day")]

    def __str__(self):
        return f"{self.org} {self.as_of}"

    @property
    def owner_org(self):
        return self.org


# Summary rows (issue 7). A province's dashboard read 285,000 groups and 2 M message
# records on every request; these hold the same sums per "unit" (a township with its
# villages and 直属 orgs, or any other org on its own), recomputed whole by
# ledger/totals.py in the transaction of every write. Readers sum them over a subtree
# with one prefix query on `path` (the unit's path), like the ledger tables.

class GroupTotals(MemberCounts):
    """The current figures of a unit's live groups of one kind. The nine member columns,
    like `members`, count built (active or dormant) groups."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    groups = models.PositiveIntegerField(default=0)  # every live group, whatever its status
    members_all = models.PositiveIntegerField(default=0)
    built = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    last_update = models.DateField(null=True)  # the latest members_as_of of any of the groups

    scope_path = "path"


# Dated summary rows (issue 13): a unit's figures as they stood on each day they changed,
# so that "as of D" reads one row per unit (its latest on or before D, one index seek),
# not one member record per group. Kept with the others by ledger/totals.py.
SINCE_EVER = date(1900, 1, 1)  # the day of each unit's first row: what stands before any dated change


class GroupDayTotals(MemberCounts):
    """A unit's groups of one kind as they stood on `day`: built groups (founded by then,
    not closed or expired), their members as last recorded by then (the nine columns and
    `members`), and the latest member record of any of its groups. A row for each day these
    changed (a member record, a group founded, closed or expiring), and one on SINCE_EVER.
    `built_change` is `built` less the row before's (the weekly chart sums them). Coarse
    rows (coarse_key: a county) hold the county's sums on each day any of its units changed."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    day = models.DateField()
    week = models.DateField()  # the Monday of `day`'s week: the weekly chart groups by it without a date function
    built = models.PositiveIntegerField(default=0)
    built_change = models.IntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    last_update = models.DateField(null=True)
    coarse = models.BooleanField(default=False)

    scope_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "coarse", "day"], name="group_day_totals_key")]
        # The units' first rows under a path (dated._standing starts from them), and the rows of
        # a window of days (completeness at a past date). The included columns let PostgreSQL
        # answer both from the index alone: the window's rows lie one per heap page (measured:
        # 8,521 pages for 11,852 rows, 20 ms for a province).
        indexes = [models.Index(fields=["coarse", "day", "path"], include=["unit", "kind", "last_update"],
                                name="group_day_totals_first")]


class CadreDayTotals(models.Model):
    """A unit's live cadres as they stood on `day` (all of them: 附件3's 团干部数; the
    grassroots ones; those reaching the plan's 20 youths), a row for each day these changed
    and one on SINCE_EVER. From each cadre's 修改历史, so a past date counts the reach the
    cadre had then."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    day = models.DateField()
    cadres = models.PositiveIntegerField(default=0)
    grassroots = models.PositiveIntegerField(default=0)
    on_target = models.PositiveIntegerField(default=0)
    coarse = models.BooleanField(default=False)

    scope_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "coarse", "day"], name="cadre_day_totals_key")]
        indexes = [models.Index(fields=["coarse", "day", "path"], name="cadre_day_totals_first")]


class CadreTotals(models.Model):
    """A unit's live grassroots cadres, and those reaching the plan's 20 youths
    (rules.YOUTHS_PER_CADRE; a campaign with another target counts from the cadres)."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    grassroots = models.PositiveIntegerField(default=0)
    on_target = models.PositiveIntegerField(default=0)

    scope_path = "path"


class TotalsMeasure(models.TextChoices):
    MESSAGES = "messages", "发送微信条数"
    ACTIVITIES = "activities", "线下活动次数"


class MonthlyTotals(models.Model):
    """Messages sent (by category) or activities held (by type) in a unit in one month."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    measure = models.CharField(max_length=10, choices=TotalsMeasure.choices)
    month = models.DateField()
    category = models.CharField(max_length=12)  # a MessageCategory or an ActivityType
    n = models.PositiveIntegerField(default=0)
    coarse = models.BooleanField(default=False)  # see totals.coarse_key

    scope_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "measure", "month", "category", "coarse"],
                                               name="monthly_totals_key")]
        indexes = [models.Index(fields=["measure", "coarse", "month"], name="monthly_totals_month")]


class DayTotals(models.Model):
    """Messages sent (by category) or activities held (by type) in a unit on one day: what
    a range that starts or ends inside a month reads for its edge days, instead of the
    records (issue 13: a past date's month is never whole). `month` is the day's month."""

    unit = models.ForeignKey("org.Org", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    measure = models.CharField(max_length=10, choices=TotalsMeasure.choices)
    month = models.DateField()
    day = models.DateField()
    category = models.CharField(max_length=12)
    n = models.PositiveIntegerField(default=0)
    coarse = models.BooleanField(default=False)  # see totals.coarse_key

    scope_path = "path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "measure", "day", "category", "coarse"], name="day_totals_key")]
        indexes = [models.Index(fields=["measure", "coarse", "day"], name="day_totals_day")]


class ReportSource(models.TextChoices):
    EXCEL = "excel", "Excel 导入"
    MANUAL = "manual", "手工填报"


class ProgressReport(models.Model):
    """One county's 附件3 as reported (跟踪摸底表), for one date: the figures of townships
    that arrive without per-group detail. An Excel import is one (reports.ImportRun.report
    points here); the campaign, the forms and inspection all read these rows."""

    org = models.ForeignKey("org.Org", verbose_name="县区", on_delete=models.PROTECT, related_name="progress_reports")
    as_of = models.DateField("填报日期")
    source = models.CharField("来源", max_length=10, choices=ReportSource.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上报人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("上报时间")  # counts as the townships' update from then on
    # A withdrawn report (撤回导入) stands nowhere: what stood before it stands again. Nothing is deleted.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope_path = "org__path"

    class Meta:
        verbose_name = "附件3 上报"
        verbose_name_plural = "附件3 上报"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.org} {self.as_of} {self.get_source_display()}"


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class ReportedProgress(models.Model):
    """A township's 附件3 row as one report gave it, for one date. Rows are never overwritten:
    of a township's rows on or before a date, the latest date (then the latest report)
    stands, unless its report was withdrawn (reports.progress.standing_reports)."""

    report = models.ForeignKey(ProgressReport, verbose_name="上报", on_delete=models.PROTECT, related_name="rows")
    org = models.ForeignKey("org.Org", verbose_name="乡镇", on_delete=models.PROTECT, related_name="reported_progress")
    as_of = models.DateField("填报日期")
    branch_count = _count("团支部数")
    cadre_count = _count("团干部数")
    youth_count = _count("团员青年数")
    group_count = _count("微信群数")
    figures = models.JSONField("成员数、发送微信数和线下活动数", default=dict)  # column key → number
    entered_at = models.DateTimeField("导入时间", auto_now=True)
    # A county's sheet re-sends every township; only a row that changed a figure is that
    # township's update (最近更新, 填报及时率). A township's own submission always is.
    changed = models.BooleanField("有数字变化", default=True)

    scope_path = "org__path"

    class Meta:
        verbose_name = "附件3 上报数"
        verbose_name_plural = "附件3 上报数"
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["report", "org"], name="ledger_reported_progress_one_per_report")]
        indexes = [models.Index(fields=["org", "as_of"], name="ledger_reported_org_as_of")]

    def __str__(self):
        return f"{self.org} {self.as_of}"


REPORTED_FIGURE_KEYS = [*MEMBER_FIELD_NAMES, *[f"msg_{c}" for c in MessageCategory.values], *[f"act_{t}" for t in ActivityType.values]]


class QualityRule(models.Model):
    """A city's setting of one data-quality rule (ledger/quality.py declares the rules and
    their defaults): on or off, its threshold, a warning or blocking. No row: the default."""

    org = models.ForeignKey("org.Org", verbose_name="设置单位", on_delete=models.CASCADE, related_name="quality_rules")
    key = models.CharField("规则", max_length=30)
    enabled = models.BooleanField("启用", default=True)
    threshold = models.DecimalField("阈值", max_digits=8, decimal_places=2, null=True, blank=True)
    blocking = models.BooleanField("阻止保存", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords()
    scope_path = "org__path"

    class Meta:
        verbose_name = "数据质量规则"
        verbose_name_plural = "数据质量规则"
        constraints = [models.UniqueConstraint(fields=["org", "key"], name="quality_rule_once_per_org")]

    def __str__(self):
        return f"{self.org} {self.key}"

    @property
    def owner_org(self):
        return self.org


class FollowUp(models.TextChoices):
    VERIFIED = "verified", "已核实"  # the figure is right (a big township): not flagged again
    CORRECTED = "corrected", "已更正"


class QualityFollowUp(models.Model):
    """What was done about one flagged figure: a township's (or one of its groups') figure
    under one rule."""

    org = models.ForeignKey("org.Org", verbose_name="乡镇", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(WechatGroup, verbose_name="微信群", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField("规则", max_length=30)
    state = models.CharField("处理", max_length=10, choices=FollowUp.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("处理时间", auto_now=True)

    scope_path = "org__path"

    class Meta:
        verbose_name = "数据质量处理"
        verbose_name_plural = "数据质量处理"
        constraints = [
            models.UniqueConstraint(fields=["org", "rule"], condition=Q(group__isnull=True), name="quality_follow_up_org_once"),
            models.UniqueConstraint(fields=["group", "rule"], condition=Q(group__isnull=False), name="quality_follow_up_group_once"),
        ]
