"""Campaign reads: the campaign that governs a user, and the progress scorecard.

The scorecard is one SQL statement for all rows of a page: every figure is a correlated
subquery over the row org's subtree (an indexed path prefix), never a Python loop over
groups. Red/amber/green is then judged per cell against the campaign's targets and the
date (`as_of`), in `judge.py`.
"""
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum

from qingnong.ledger.models import (
    Activity, AccountStatus, Cadre, GroupKind, GroupStatus, MemberSnapshot, MessageRecord, OfficialAccount, WechatGroup,
)
from qingnong.lib.dates import month_of, today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import governing, scoped
from qingnong.org.selectors import subtree_aggregate

from .judge import Cell, Judge
from .models import Campaign, CountyPlan, DeadlineKind, Reminder

BUILT = [GroupStatus.ACTIVE, GroupStatus.DORMANT]  # a planned or closed group is not "built"


def current_campaign(account, *, year=None):
    """The latest campaign set by the account's city (or above), or one in its scope."""
    campaigns = governing(Campaign.objects.select_related("org"), account)
    if year:
        campaigns = campaigns.filter(year=year)
    return campaigns.prefetch_related("phases", "deadlines").order_by("-year", "org__depth").first()


def default_as_of(campaign):
    """Today, or the campaign's last day if it is over (the 2014 demo reads as of 2014-11-30)."""
    last = max([p.ends_on for p in campaign.phases.all()] + [d.due_on for d in campaign.deadlines.all()], default=None)
    return min(today(), last) if last else today()


def _built_groups(as_of, kind):
    return WechatGroup.objects.filter(
        org__path__startswith=OuterRef("path"), kind=kind, status__in=BUILT,
    ).filter(Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))


def with_progress(orgs, *, campaign, as_of):
    """Annotate each org with its campaign figures as of `as_of` (one statement)."""
    below = OuterRef("path")
    month = month_of(as_of)
    plan = CountyPlan.objects.filter(campaign=campaign, org=OuterRef("pk"))
    return orgs.annotate(
        n_townships=subtree_aggregate(Org.objects.filter(path__startswith=below, level=OrgLevel.TOWNSHIP)),
        youth_groups=subtree_aggregate(_built_groups(as_of, GroupKind.YOUTH)),
        work_groups=subtree_aggregate(_built_groups(as_of, GroupKind.WORK)),
        own_work_groups=subtree_aggregate(_built_groups(as_of, GroupKind.WORK).filter(org=OuterRef("pk"))),
        youths_reached=subtree_aggregate(_built_groups(as_of, GroupKind.YOUTH), Sum("members_total")),
        grassroots_cadres=subtree_aggregate(Cadre.objects.filter(org__path__startswith=below, is_grassroots=True)),
        cadres_on_target=subtree_aggregate(Cadre.objects.filter(
            org__path__startswith=below, is_grassroots=True, youths_reached__gte=campaign.youths_per_cadre)),
        messages_month=subtree_aggregate(
            MessageRecord.objects.filter(org__path__startswith=below, month=month, period_start__lte=as_of), Sum("count")),
        activities_month=subtree_aggregate(
            Activity.objects.filter(org__path__startswith=below, held_on__gte=month, held_on__lte=as_of)),
        last_update=subtree_aggregate(
            WechatGroup.objects.filter(org__path__startswith=below, members_as_of__lte=as_of), Max("members_as_of"), default=None),
        account_opened=Exists(OfficialAccount.objects.filter(
            org=OuterRef("pk"), status=AccountStatus.OPENED).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=as_of))),
        plan_id=Subquery(plan.values("pk")[:1]),
        plan_status=Subquery(plan.values("status")[:1]),
        plan_is_late=Subquery(plan.values("is_late")[:1]),
        planned_youth=Subquery(plan.annotate(
            n=F("planned_county_youth_groups") + F("planned_township_youth_groups")).values("n")[:1]),
        last_reminded=Subquery(Reminder.objects.filter(campaign=campaign, org=OuterRef("pk")).order_by("-at").values("at")[:1]),
    )


def scorecard_rows(account, parent, *, campaign, as_of):
    """The rows under `parent` (counties of a city, townships of a county), scoped."""
    children = scoped(Org.objects.filter(parent=parent), account).exclude(level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT])
    return with_progress(children, campaign=campaign, as_of=as_of).order_by("code", "name")


def scorecard_total(parent, *, campaign, as_of):
    return with_progress(Org.objects.filter(pk=parent.pk), campaign=campaign, as_of=as_of).get()


def completeness(parent, *, as_of, days):
    """(townships with a member snapshot in the last `days` days, all townships) under `parent`."""
    since = date.fromordinal(as_of.toordinal() - days + 1)
    townships = Org.objects.filter(path__startswith=parent.path, level=OrgLevel.TOWNSHIP)
    if parent.level == OrgLevel.TOWNSHIP:
        townships = Org.objects.filter(pk=parent.pk)
    fresh = MemberSnapshot.objects.filter(group__org__path__startswith=OuterRef("path"), taken_on__gte=since, taken_on__lte=as_of)
    counts = townships.aggregate(total=Count("pk"), updated=Count("pk", filter=Exists(fresh)))
    return counts["updated"], counts["total"]


@dataclass
class ScoreRow:
    org: Org
    cells: dict  # column key → judge.Cell
    figures: object  # the annotated org, for numbers shown without a judgement


def scorecard(account, parent, *, campaign, as_of, rows=None):
    """Judged rows for the orgs under `parent` (or for `rows`, already annotated)."""
    judge = Judge(campaign, as_of)
    rows = scorecard_rows(account, parent, campaign=campaign, as_of=as_of) if rows is None else rows
    return [ScoreRow(org=r, cells=judge_row(judge, r), figures=r) for r in rows]


def judge_row(judge, r):
    """The cells of one row. A county is judged on its plan and account; a township on the
    per-township target (方案：每个乡镇建立团青微信群原则上不少于10个)."""
    c = judge.campaign
    is_township = r.level == OrgLevel.TOWNSHIP
    minimum = c.youth_groups_per_township * (1 if is_township else r.n_townships)
    planned = minimum if is_township else (r.planned_youth or 0)
    cells = {
        "work_groups": judge.against(r.own_work_groups, c.work_groups_per_county if not is_township else 1, DeadlineKind.WORK_GROUPS),
        "youth_vs_plan": judge.against(r.youth_groups, planned, DeadlineKind.YOUTH_GROUPS, goal=c.youth_groups_goal_percent / 100),
        "youth_vs_min": judge.against(r.youth_groups, minimum, DeadlineKind.YOUTH_GROUPS),
        "cadres": judge.against(r.cadres_on_target, r.grassroots_cadres, DeadlineKind.YOUTH_GROUPS),
        "youths_reached": Cell(r.youths_reached or 0),
        "messages": judge.activity(r.messages_month, r.youth_groups + r.work_groups),
        "activities": judge.activity(r.activities_month, 1 if is_township else r.n_townships),
        "last_update": judge.freshness(r.last_update),
    }
    cells["youth_vs_plan"].note = f"{r.youth_groups}/{planned}，" + cells["youth_vs_plan"].note
    cells["youth_vs_min"].note = f"{r.youth_groups}/{minimum}，" + cells["youth_vs_min"].note
    cells["cadres"].note = f"{r.cadres_on_target}/{r.grassroots_cadres} 名基层团干部联系青年≥{c.youths_per_cadre}"
    if not is_township:
        cells["plan"] = judge.plan(r.plan_status, r.plan_is_late)
        cells["account"] = judge.account(r.account_opened)
    return cells


def due_items(account, parent, *, campaign, as_of):
    """What each county (or township) under `parent` owes now: [(org, [text])], only those owing."""
    judge = Judge(campaign, as_of)
    owing = []
    for row in scorecard(account, parent, campaign=campaign, as_of=as_of):
        items = [f"{COLUMN_LABELS[key]}：{cell.value}{'（' + cell.note + '）' if cell.note else ''}"
                 for key, cell in row.cells.items() if cell.status == "red"]
        if items:
            owing.append((row.org, items))
    return owing, judge


COLUMN_LABELS = {
    "plan": "计划表", "account": "公众号", "work_groups": "青农微信群", "youth_vs_plan": "团青群（对计划）",
    "youth_vs_min": "团青群（每乡镇≥10）", "cadres": "团干部联系青年", "youths_reached": "联系青年数",
    "messages": "本月发送微信", "activities": "本月线下活动", "last_update": "最近更新",
}


# 附件1 on screen (issue 4): the ledger's figures beside each planned number, and the
# city's list of county plans.

def plan_ledger_figures(account, county, *, as_of):
    """What the ledger says now about the numbers a county's 附件1 plans (one statement):
    townships in the org tree, 团青/青农 groups built at each level, the county's account.
    None if `county` is not visible to `account` (its own subtree or an org above it)."""
    from qingnong.ledger.models import AccountAdmin

    here, pk = OuterRef("path"), OuterRef("pk")

    def built(kind=None, **where):
        groups = WechatGroup.objects.filter(org__path__startswith=here, status__in=BUILT, **where).filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        return subtree_aggregate(groups.filter(kind=kind) if kind else groups)

    oa = OfficialAccount.objects.filter(org=pk)
    return governing(Org.objects.filter(pk=county.pk), account).annotate(
        n_townships=subtree_aggregate(Org.objects.filter(path__startswith=here, level=OrgLevel.TOWNSHIP)),
        county_youth=built(GroupKind.YOUTH, org=pk),
        county_work=built(GroupKind.WORK, org=pk),
        township_youth=built(GroupKind.YOUTH, org__level=OrgLevel.TOWNSHIP),
        township_work=built(GroupKind.WORK, org__level=OrgLevel.TOWNSHIP),
        direct_groups=built(org__level=OrgLevel.DIRECT),
        village_groups=built(org__level=OrgLevel.VILLAGE),
        account_name=Subquery(oa.values("name")[:1]),
        account_type=Subquery(oa.values("account_type")[:1]),
        account_opened=Exists(oa.filter(status=AccountStatus.OPENED).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=as_of))),
        account_admins=subtree_aggregate(AccountAdmin.objects.filter(account__org=pk)),
    ).values(
        "n_townships", "county_youth", "county_work", "township_youth", "township_work", "direct_groups",
        "village_groups", "account_name", "account_type", "account_opened", "account_admins",
    ).first()


def plan_list(account, *, campaign):
    """The counties under the campaign's org that `account` sees (its subtree, or the county
    it works under), each with its plan's status and dates: one statement."""
    plan = CountyPlan.objects.filter(campaign=campaign, org=OuterRef("pk"))
    counties = governing(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=campaign.org.path), account)
    return counties.annotate(
        plan_status=Subquery(plan.values("status")[:1]),
        plan_submitted_at=Subquery(plan.values("submitted_at")[:1]),
        plan_reviewed_at=Subquery(plan.values("reviewed_at")[:1]),
        plan_is_late=Subquery(plan.values("is_late")[:1]),
    ).order_by("code", "name")


def county_plan(account, *, campaign, county):
    """The county's plan in `campaign` with its review history, or None (visible like the county)."""
    plans = governing(CountyPlan.objects.select_related("campaign", "org"), account)
    return plans.filter(campaign=campaign, org=county).prefetch_related("reviews__by").first()


def campaign_list(account):
    """Campaigns set by the account's own org, the orgs above it, or those below it."""
    return governing(Campaign.objects.select_related("org"), account).order_by("-year", "org__path")
