"""Annual assessment (年度考核) and official-account evaluation (评比和奖励): reads only.

The county ranking: each rubric item scores weight × min(1, measure / full_marks_at), the
measure read from the ledger through campaign.selectors.with_progress (a constant number of
statements for any number of counties) or, for a verdict item, VERDICT_POINTS / 100 of the
county's latest published inspection finding. Ties: see TIE_RULE.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from qingnong.campaign.dashboard import countdown
from qingnong.campaign.scorecard import with_progress
from qingnong.campaign.selectors import default_as_of
from qingnong.ledger.models import AccountAdmin, AccountTheme, MessageRecord, OfficialAccount, SubscriberSnapshot
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope, scoped

from ..models import VERDICT_POINTS, Award, Finding, FocusItem, InspectionStatus, Rubric, RubricItem, ScoreSource

TIE_RULE = "总分相同时，依次比较各考核项得分（按细则顺序，高者在前）；仍相同的，按行政区划代码从小到大排列。"
FORMULA = "单项得分 = 权重 × min(1, 实际值 ÷ 满分标准)；检查结论项：达标 100%、基本达标 70%、未达标 30%、未检查 0；总分 = 各项得分之和（保留两位小数）。"

# The 2014 plan's four focus items (方案“检查验收”), as the default rubric.
DEFAULT_ITEMS = [
    {"label": "建群情况", "weight": 30, "source": ScoreSource.YOUTH_GROUPS_SHARE, "focus_item": FocusItem.GROUPS, "full_marks_at": 1.0},
    {"label": "联系团员青年数量", "weight": 25, "source": ScoreSource.CADRES_ON_TARGET, "focus_item": FocusItem.YOUTHS, "full_marks_at": 1.0},
    {"label": "发送内容及频次", "weight": 25, "source": ScoreSource.MESSAGES_PER_GROUP_WEEK, "focus_item": FocusItem.MESSAGES, "full_marks_at": 3.0},
    {"label": "线上线下活动情况", "weight": 20, "source": ScoreSource.ACTIVITIES_PER_TOWNSHIP, "focus_item": FocusItem.ACTIVITIES, "full_marks_at": 1.0},
]

# What each measure is, shown on the page next to the formula.
SOURCE_NOTES = {
    ScoreSource.YOUTH_GROUPS_SHARE: "已建团青微信群数 ÷ 计划数（未报计划表的按乡镇数 × 每乡镇目标）",
    ScoreSource.CADRES_ON_TARGET: "联系青年达标的基层团干部数 ÷ 基层团干部数",
    ScoreSource.MESSAGES_PER_GROUP_WEEK: "当月发送微信条数 ÷ 微信群数 ÷ 当月已过周数",
    ScoreSource.ACTIVITIES_PER_TOWNSHIP: "当月线下活动次数 ÷ 乡镇数",
    ScoreSource.ACCOUNT_OPENED: "公众号已开通记 1，否则 0",
    ScoreSource.VERDICT: "最近一次已发布检查的该项结论",
}

CENT = Decimal("0.01")


def rubric_of(campaign):
    """The campaign's saved rubric, or None."""
    return Rubric.objects.filter(campaign=campaign).order_by("pk").first()


def default_items():
    return [RubricItem(position=i, **spec) for i, spec in enumerate(DEFAULT_ITEMS)]


def rubric_and_items(campaign):
    """(rubric or None, its items): an unsaved rubric reads as the default items."""
    rubric = rubric_of(campaign)
    items = list(rubric.items.all()) if rubric else default_items()
    return rubric, items


@dataclass
class ItemScore:
    item: object
    measure: float  # the ratio, rate or verdict share
    score: Decimal
    note: str = ""


@dataclass
class CountyScore:
    org: Org
    items: list
    total: Decimal
    rank: int = 0
    sort_key: tuple = field(default=(), repr=False)


def _measure(item, org, *, campaign, as_of, verdicts):
    """(measure, note) for one item of one county, from with_progress's figures."""
    source = item.source
    if source == ScoreSource.VERDICT:
        verdict = verdicts.get((org.pk, item.focus_item))
        if not verdict:
            return 0.0, "未检查"
        return VERDICT_POINTS[verdict] / 100, Finding(verdict=verdict).get_verdict_display()
    if source == ScoreSource.YOUTH_GROUPS_SHARE:
        planned = org.planned_youth or org.n_townships * campaign.youth_groups_per_township
        return (org.youth_groups / planned if planned else 0.0), f"{org.youth_groups}/{planned} 个"
    if source == ScoreSource.CADRES_ON_TARGET:
        n = org.grassroots_cadres
        return (org.cadres_on_target / n if n else 0.0), f"{org.cadres_on_target}/{n} 名"
    if source == ScoreSource.MESSAGES_PER_GROUP_WEEK:
        groups = org.youth_groups + org.work_groups
        weeks = as_of.day / 7
        rate = org.messages_month / groups / weeks if groups else 0.0
        return rate, f"{org.messages_month} 条 ÷ {groups} 群 ÷ {weeks:.1f} 周"
    if source == ScoreSource.ACTIVITIES_PER_TOWNSHIP:
        n = org.n_townships
        return (org.activities_month / n if n else 0.0), f"{org.activities_month} 次 ÷ {n} 个乡镇"
    if source == ScoreSource.ACCOUNT_OPENED:
        return (1.0 if org.account_opened else 0.0), "已开通" if org.account_opened else "未开通"
    return 0.0, ""


def item_score(item, measure):
    """weight × min(1, measure / full_marks_at), to the cent (half up)."""
    if item.source == ScoreSource.VERDICT:
        share = min(1.0, measure)
    else:
        share = min(1.0, measure / item.full_marks_at) if item.full_marks_at > 0 else 0.0
    return (Decimal(item.weight) * Decimal(str(round(share, 6)))).quantize(CENT, rounding=ROUND_HALF_UP)


def _verdicts(counties, campaign):
    """{(county id, focus item): verdict} from the latest published inspection of the campaign."""
    rows = (Finding.objects.filter(inspection__round__campaign=campaign, inspection__org__in=[c.pk for c in counties],
                                   inspection__status=InspectionStatus.PUBLISHED, inspection__deleted_at__isnull=True)
            .exclude(verdict="").order_by("inspection__round__starts_on", "inspection__inspected_on", "pk")
            .values_list("inspection__org_id", "item", "verdict"))
    return {(org_id, item): verdict for org_id, item, verdict in rows}  # later rows win


def county_scores(*, campaign, items, as_of):
    """Every county under the campaign's org, scored and ranked (not scoped: see ranking)."""
    counties = Org.objects.filter(parent=campaign.org, level=OrgLevel.COUNTY).order_by("code", "pk")
    counties = with_progress(counties, campaign=campaign, as_of=as_of)
    verdicts = _verdicts(counties, campaign) if any(i.source == ScoreSource.VERDICT for i in items) else {}
    rows = []
    for org in counties:
        scores = []
        for item in items:
            measure, note = _measure(item, org, campaign=campaign, as_of=as_of, verdicts=verdicts)
            scores.append(ItemScore(item=item, measure=measure, score=item_score(item, measure), note=note))
        total = sum((s.score for s in scores), Decimal("0.00"))
        key = (-total, *(-s.score for s in scores), org.code or "", org.pk)
        rows.append(CountyScore(org=org, items=scores, total=total, sort_key=key))
    rows.sort(key=lambda r: r.sort_key)
    for rank, row in enumerate(rows, 1):
        row.rank = rank
    return rows


@dataclass
class Ranking:
    campaign: object
    rubric: object
    items: list
    as_of: date
    rows: list
    whole: bool  # the viewer sees every county (and the ranks)
    formula: str = FORMULA
    tie_rule: str = TIE_RULE


def sees_whole_ranking(user, campaign, *, rubric=None):
    """The city (and above) always; a county only once the city publishes the ranking."""
    if in_scope(user, campaign.org):
        return True
    rubric = rubric or rubric_of(campaign)
    return bool(rubric and rubric.counties_see_ranking)


def ranking(user, *, campaign, as_of=None):
    """The ranking as `user` may see it: the campaign's org (and above) sees every county;
    a county sees the whole ranking only if the city allows it (Rubric.counties_see_ranking),
    otherwise only the counties in its own scope, without ranks."""
    as_of = as_of or default_as_of(campaign)
    rubric, items = rubric_and_items(campaign)
    rows = county_scores(campaign=campaign, items=items, as_of=as_of)
    whole = sees_whole_ranking(user, campaign, rubric=rubric)
    if not whole:
        rows = [r for r in rows if in_scope(user, r.org)]
    return Ranking(campaign=campaign, rubric=rubric, items=items, as_of=as_of, rows=rows, whole=whole)


# ---- Official-account evaluation (评比和奖励) ----------------------------------------------

# The score's measures: (key, label, default weight, full marks at, unit). Weights may be
# changed on the page (forms.assessment.AccountWeightsForm); these are the defaults.
ACCOUNT_MEASURES = [
    ("subscribers", "期末关注人数", 30, 5000, "人"),
    ("growth", "期内新增关注", 20, 2000, "人"),
    ("articles", "发布文章数", 20, 60, "篇"),
    ("themes", "覆盖栏目数", 10, len(AccountTheme.choices), "个"),
    ("weeks_posted", "有发布的周数占比", 10, 1, ""),
    ("admins", "管理员人数", 10, 3, "人"),
]
ACCOUNT_FORMULA = "各项得分 = 权重 × min(1, 实际值 ÷ 满分标准)，总分为各项之和；总分相同按期末关注人数、再按公众号名称排列。"


def campaign_period(campaign):
    """The campaign's first and last day (its phases and deadlines)."""
    c = countdown(campaign, as_of=default_as_of(campaign))
    return c.first_day or date(campaign.year, 1, 1), c.last_day or date(campaign.year, 12, 31)


def _weeks(start, end):
    """Mondays of the weeks touching [start, end]."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@dataclass
class AccountRow:
    account: object
    subscribers_start: int
    subscribers_end: int
    growth: int
    themes: dict  # theme label → articles
    articles: int
    weeks_total: int
    weeks_without_post: int
    admins: int
    scores: dict = field(default_factory=dict)
    total: Decimal = Decimal("0.00")
    rank: int = 0

    @property
    def theme_count(self):
        return sum(1 for n in self.themes.values() if n)

    @property
    def weeks_posted_share(self):
        return (self.weeks_total - self.weeks_without_post) / self.weeks_total if self.weeks_total else 0.0


def _latest_before(snapshots, day):
    value = None
    for taken_on, subscribers in snapshots:
        if taken_on <= day:
            value = subscribers
    return value


def account_evaluation(user, *, campaign, start, end, weights=None):
    """Every account under the campaign's org over [start, end], scored and ranked; the rows
    returned are all of them if `user` sees the whole ranking (sees_whole_ranking), else
    those in its scope. Four statements (six for a county: the rubric, its scope)."""
    weights = weights or {key: w for key, _, w, _, _ in ACCOUNT_MEASURES}
    accounts = list(OfficialAccount.objects.filter(org__path__startswith=campaign.org.path)
                    .select_related("org").order_by("org__code", "pk"))
    ids = [a.pk for a in accounts]
    snaps = {}
    for account_id, taken_on, subscribers in (SubscriberSnapshot.objects.filter(account_id__in=ids, taken_on__lte=end)
                                              .order_by("taken_on", "pk").values_list("account_id", "taken_on", "subscribers")):
        snaps.setdefault(account_id, []).append((taken_on, subscribers))
    records = (MessageRecord.objects.filter(account_id__in=ids, period_start__lte=end, period_end__gte=start)
               .values_list("account_id", "theme", "period_start", "period_end", "count"))
    themes, posted = {}, {}
    labels = dict(AccountTheme.choices)
    for account_id, theme, first, last, count in records:
        per = themes.setdefault(account_id, dict.fromkeys(labels.values(), 0))
        per[labels.get(theme, "其他")] = per.get(labels.get(theme, "其他"), 0) + count
        day = max(first, start)
        while day <= min(last, end):
            posted.setdefault(account_id, set()).add(day - timedelta(days=day.weekday()))
            day += timedelta(days=7 - day.weekday())
    admins = dict(AccountAdmin.objects.filter(account_id__in=ids).values("account_id").annotate(n=Count("pk"))
                  .values_list("account_id", "n"))
    weeks = _weeks(start, end)
    rows = []
    for a in accounts:
        history = snaps.get(a.pk, [])
        end_value = _latest_before(history, end)
        if end_value is None:
            end_value = a.subscribers if a.subscribers_as_of and a.subscribers_as_of <= end else 0
        start_value = _latest_before(history, start - timedelta(days=1)) or 0
        per = themes.get(a.pk, dict.fromkeys(labels.values(), 0))
        row = AccountRow(account=a, subscribers_start=start_value, subscribers_end=end_value,
                         growth=end_value - start_value, themes=per, articles=sum(per.values()),
                         weeks_total=len(weeks), weeks_without_post=len(weeks) - len(posted.get(a.pk, ())),
                         admins=admins.get(a.pk, 0))
        measures = {"subscribers": row.subscribers_end, "growth": max(row.growth, 0), "articles": row.articles,
                    "themes": row.theme_count, "weeks_posted": row.weeks_posted_share, "admins": row.admins}
        for key, _, _, full, _ in ACCOUNT_MEASURES:
            share = min(1.0, measures[key] / full) if full else 0.0
            row.scores[key] = (Decimal(weights.get(key, 0)) * Decimal(str(round(share, 6)))).quantize(CENT, rounding=ROUND_HALF_UP)
        row.total = sum(row.scores.values(), Decimal("0.00"))
        rows.append(row)
    rows.sort(key=lambda r: (-r.total, -r.subscribers_end, r.account.name, r.account.pk))
    for rank, row in enumerate(rows, 1):
        row.rank = rank
    if sees_whole_ranking(user, campaign):
        return rows
    visible = set(scoped(OfficialAccount.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
    return [r for r in rows if r.account.pk in visible]


def award_list(user, *, campaign):
    """The campaign's awards `user` may see, with their accounts and orgs."""
    return scoped(Award.objects.filter(campaign=campaign), user).select_related("account__org").order_by(
        "category", "account__org__code", "pk")


def award_accounts(user, *, campaign):
    """The accounts an award may go to: opened or not, under the campaign's org, in scope."""
    return scoped(OfficialAccount.objects.filter(org__path__startswith=campaign.org.path), user).select_related("org")
