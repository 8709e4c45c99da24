"""The progress scorecard: each org's campaign figures as of a date, judged red/amber/green.

About a dozen SQL statements for any number of rows: one GROUP BY per ledger summary table
over the rows' common subtree (org.selectors.rollup), never a Python loop over groups and
never one subquery per row. Each cell is then judged against the campaign's targets and
the date in `judge.py`; `dashboard.py` shapes the judged rows for the page.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, AccountStatus, Cadre, CadreTotals, GroupDayTotals, GroupKind, GroupTotals, OfficialAccount, ReportedProgress,
    TotalsMeasure, WechatGroup, built_on, coarse_is,
)
from qingnong.ledger.rules import YOUTHS_PER_CADRE
from qingnong.ledger.dated import cadres_on, groups_standing
from qingnong.ledger.totals import rollup_ranges, uses_coarse
from qingnong.lib.dates import month_of, today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped
from qingnong.ledger.selectors.reported import provenance, standing_reports
from qingnong.org.selectors import common_path, rollup

from .judge import Cell, Judge
from .models import CountyPlan, DeadlineKind, Reminder


def _with_imports(latest, orgs, *, as_of, since=None):
    """Merge in 附件3 imports: a confirmed import counts as its townships' update on the day
    it was confirmed (issue 5: an import is that org's submission at that time), for the
    townships whose figures it changed (issue 17: not every row a county sheet re-sends)."""
    imports = ReportedProgress.objects.filter(report__submitted_at__date__lte=as_of, report__withdrawn_at__isnull=True,
                                              changed=True)
    if since:
        imports = imports.filter(report__submitted_at__date__gte=since)
    for path, row in rollup(orgs, imports, v=Max("report__submitted_at")).items():
        day = timezone.localtime(row["v"]).date()
        if latest.get(path) is None or day > latest[path]:
            latest[path] = day
    return latest


def with_progress(orgs, *, campaign, as_of):
    """Each org of `orgs` with its campaign figures as of `as_of` set as attributes.

    About a dozen statements whatever the number of orgs: one GROUP BY per ledger table over
    the orgs' common subtree (org.selectors.rollup), one lookup per per-org table."""
    orgs = list(orgs)
    month = month_of(as_of)
    ids = [o.pk for o in orgs]
    built = WechatGroup.objects.filter(built_on(as_of))
    groups = _group_figures(orgs, as_of)
    last_update = {}
    for (path, _), row in groups.items():
        if row["last"] and (path not in last_update or row["last"] > last_update[path]):
            last_update[path] = row["last"]
    last_update = _with_imports(last_update, orgs, as_of=as_of)
    townships = rollup(orgs, Org.objects.filter(level=OrgLevel.TOWNSHIP), path="path", n=Count("pk"))
    if campaign.youths_per_cadre == YOUTHS_PER_CADRE:  # the plan's 20: kept per unit, today and by day (ledger/totals.py)
        rows = CadreTotals.objects.all() if as_of >= today() else \
            cadres_on(as_of, under=common_path(o.path for o in orgs), coarse=uses_coarse(orgs))
        cadres = rollup(orgs, rows, path="path", n=Sum("grassroots"), on_target=Sum("on_target"))
    else:  # another target: each cadre's reach as it is now
        cadres = rollup(orgs, Cadre.objects.filter(is_grassroots=True), n=Count("pk"),
                        on_target=Count("pk", filter=Q(youths_reached__gte=campaign.youths_per_cadre)))
    month_sums = rollup_ranges(orgs, [TotalsMeasure.MESSAGES, TotalsMeasure.ACTIVITIES], start=month, as_of=as_of)
    messages, activities = month_sums[TotalsMeasure.MESSAGES], month_sums[TotalsMeasure.ACTIVITIES]
    own_work = dict(built.filter(kind=GroupKind.WORK, org_id__in=ids).values("org_id").annotate(n=Count("pk")).values_list("org_id", "n"))
    opened = set(OfficialAccount.objects.filter(org_id__in=ids, status=AccountStatus.OPENED).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=as_of)).values_list("org_id", flat=True))
    plans = {p["org_id"]: p for p in CountyPlan.objects.filter(campaign=campaign, org_id__in=ids).values(
        "org_id", "pk", "status", "is_late", "planned_county_youth_groups", "planned_township_youth_groups")}
    reminded = dict(Reminder.objects.filter(campaign=campaign, org_id__in=ids).values("org_id").annotate(
        at=Max("at")).values_list("org_id", "at"))
    for org in orgs:
        youth = groups.get((org.path, GroupKind.YOUTH), {})
        plan = plans.get(org.pk, {})
        org.n_townships = townships.get(org.path, {}).get("n", 0)
        org.youth_groups = youth.get("n", 0)
        org.work_groups = groups.get((org.path, GroupKind.WORK), {}).get("n", 0)
        org.own_work_groups = own_work.get(org.pk, 0)
        org.youths_reached = youth.get("members") or 0
        org.youth_member_columns = {f: youth.get(f) or 0 for f in MEMBER_FIELD_NAMES}  # the ledger's, before reports
        org.grassroots_cadres = cadres.get(org.path, {}).get("n", 0)
        org.cadres_on_target = cadres.get(org.path, {}).get("on_target", 0)
        org.messages_month = messages.get(org.path, 0)
        org.activities_month = activities.get(org.path, 0)
        org.last_update = last_update.get(org.path)
        org.account_opened = org.pk in opened
        org.plan_id, org.plan_status, org.plan_is_late = plan.get("pk"), plan.get("status"), plan.get("is_late")
        org.planned_youth = (plan["planned_county_youth_groups"] + plan["planned_township_youth_groups"]) if plan else None
        org.last_reminded = reminded.get(org.pk)
        org.reported = ""  # the provenance of a township's figures when a report stands (_with_reports)
    _with_reports(orgs, as_of=as_of)
    return orgs


def _group_figures(orgs, as_of):
    """{(path, kind): {"n", "members", "last", and the nine member columns}}: built groups,
    their members and the latest member record, from the summary rows standing on `as_of`
    (one row per unit and kind)."""
    rows = groups_standing(as_of, under=common_path(o.path for o in orgs), coarse=uses_coarse(orgs))
    columns = {f: Sum(f) for f in MEMBER_FIELD_NAMES}  # the members chart's, read here in the same statement
    return rollup(orgs, rows, path="path", by=("kind",), n=Sum("built"), members=Sum("members"), last=Max("last_update"),
                  **columns)


def _with_reports(orgs, *, as_of):
    """Reported figures stand until superseded (issue 12): where a township's 附件3 report
    stands on `as_of` (ledger.selectors.reported), its 团青 groups and youths reached replace
    the ledger's, in its own row and in every row above it (reported_youth). The township's
    row says so (`reported`: 手工填报/Excel 导入 and the date). One statement when no report
    stands, a few when some do."""
    if not orgs:
        return
    by_path = {o.path: o for o in orgs}
    for org in orgs:
        org.reported_shares = {}  # {township path: ReportedShare} under the org: the charts add the same
    for path, share in reported_youth(common_path(by_path), as_of=as_of).items():
        for ancestor in (p for p in by_path if path.startswith(p)):
            org = by_path[ancestor]
            org.youth_groups += share.groups
            org.youths_reached += sum(share.members.values())
            org.reported_shares[path] = share
            if ancestor == path:
                org.reported = share.provenance


@dataclass
class ReportedShare:
    """What a standing report changes in a township's 团青 figures: `groups` and `members`
    ({member column: n}) to add to the ledger's, and the report's day and provenance."""
    as_of: date
    provenance: str
    groups: int
    members: dict


def reported_youth(path, *, as_of):
    """{township path: ReportedShare} for the townships under `path` whose report stands on
    `as_of`. A report counts all groups (团青 and 青农): its 团青 share is its 微信群数, and
    each member column, less the township's 青农 groups in the ledger. The tiles, the rows
    and the charts of a page all add these, so they agree (issue 17). One statement when no
    report stands, three when some do."""
    townships = Org.objects.filter(path__startswith=path, level=OrgLevel.TOWNSHIP)
    standing = standing_reports(townships, as_of=as_of)
    if not standing:
        return {}
    reported = {r.org.path: r for r in standing.values()}
    places = [SimpleNamespace(path=p) for p in reported]
    sums = {f: Sum(f) for f in MEMBER_FIELD_NAMES}
    ledger = rollup(places, groups_standing(as_of, under=path), path="path", by=("kind",), n=Sum("built"), **sums)
    shares = {}
    for path, report in reported.items():
        youth, work = ledger.get((path, GroupKind.YOUTH), {}), ledger.get((path, GroupKind.WORK), {})
        members = {f: max(0, int(report.figures.get(f) or 0) - (work.get(f) or 0)) - (youth.get(f) or 0)
                   for f in MEMBER_FIELD_NAMES}
        shares[path] = ReportedShare(as_of=report.as_of, provenance=provenance(report), members=members,
                                     groups=max(0, report.group_count - (work.get("n") or 0)) - (youth.get("n") or 0))
    return shares


def scorecard_rows(user, parent, *, campaign, as_of):
    """The rows under `parent` (counties of a city, townships of a county), scoped."""
    children = scoped(Org.objects.filter(parent=parent), user).exclude(level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT])
    return with_progress(children.order_by("code", "name"), campaign=campaign, as_of=as_of)


def scorecard_total(parent, *, campaign, as_of):
    (total,) = with_progress([parent], campaign=campaign, as_of=as_of)
    return total


def scorecard_rows_and_total(user, parent, *, campaign, as_of):
    """scorecard_rows and scorecard_total in one with_progress (its per-org lookups once)."""
    children = scoped(Org.objects.filter(parent=parent), user).exclude(level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT])
    total, *rows = with_progress([parent, *children.order_by("code", "name")], campaign=campaign, as_of=as_of)
    return rows, total


def completeness(parent, *, as_of, days):
    """(townships with a member snapshot in the last `days` days, all townships) under `parent`."""
    ((_, updated, total),) = completeness_windows(parent, as_of=as_of, windows=(days,))
    return updated, total


def completeness_windows(parent, *, as_of, windows=(7, 30), dated=None, n_townships=None):
    """[(days, townships updated in the last `days` days, all townships)] under `parent`.
    A township's latest update is its unit's latest member record (today: GroupTotals'
    last_update, the groups' members_as_of; a past date: its dated rows of the window, a
    range of the (coarse, day, path) index) or its latest confirmed 附件3 import that changed
    it. Three statements, the updated townships as (id, day) pairs: a subquery per township
    costs ≈ 10 µs each in PostgreSQL, 13 ms for a province (bench/NOTES.md). `dated=True`
    reads the dated rows on today too (a test checks that both sources agree). `n_townships`:
    the townships under `parent` when the caller has counted them (the dashboard's total row)."""
    since = as_of - timedelta(days=max(windows) - 1)
    townships = Org.objects.filter(level=OrgLevel.TOWNSHIP).filter(
        Q(pk=parent.pk) if parent.level == OrgLevel.TOWNSHIP else Q(path__startswith=parent.path))
    if not (as_of < today() if dated is None else dated):
        updated = GroupTotals.objects.filter(last_update__lte=as_of)
    else:
        updated = GroupDayTotals.objects.filter(coarse_is(False), day__gte=since, day__lte=as_of)
    updated = (updated.filter(path__startswith=parent.path, unit__level=OrgLevel.TOWNSHIP, last_update__gte=since)
               .values("unit").annotate(v=Max("last_update")).order_by().values_list("unit", "v"))
    imported = (ReportedProgress.objects.filter(
        org__path__startswith=parent.path, org__level=OrgLevel.TOWNSHIP, report__withdrawn_at__isnull=True, changed=True,
        report__submitted_at__gte=_day_start(since), report__submitted_at__lt=_day_start(as_of + timedelta(days=1)))
        .values("org").annotate(v=Max("report__submitted_at")).order_by().values_list("org", "v"))
    latest = dict(updated)
    for org_id, at in imported:
        latest[org_id] = max(filter(None, (latest.get(org_id), timezone.localtime(at).date())))
    everyone = townships.count() if n_townships is None else n_townships
    return [(days, sum(1 for day in latest.values() if (as_of - day).days < days), everyone) for days in windows]


def _day_start(day):
    """The first instant of `day` in the office's time zone (imports are timestamped)."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class ScoreRow:
    org: Org
    cells: dict  # column key → judge.Cell
    figures: object  # the annotated org, for numbers shown without a judgement


def scorecard(user, parent, *, campaign, as_of, rows=None):
    """Judged rows for the orgs under `parent` (or for `rows`, already annotated)."""
    judge = Judge(campaign, as_of)
    rows = scorecard_rows(user, parent, campaign=campaign, as_of=as_of) if rows is None else rows
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
    cells["youth_vs_plan"].note = f"{r.youth_groups}/{planned}，" + cells["youth_vs_plan"].note if planned else "未报计划表"
    cells["youth_vs_min"].note = f"{r.youth_groups}/{minimum}，" + cells["youth_vs_min"].note
    cells["cadres"].note = f"{r.cadres_on_target}/{r.grassroots_cadres} 名基层团干部联系青年≥{c.youths_per_cadre}"
    if not is_township:
        cells["plan"] = judge.plan(r.plan_status, r.plan_is_late)
        cells["account"] = judge.account(r.account_opened)
    return cells


def youth_targets(campaign, r):
    """(planned 团青 groups, minimum by townships) of an annotated row, as judge_row uses them."""
    is_township = r.level == OrgLevel.TOWNSHIP
    minimum = campaign.youth_groups_per_township * (1 if is_township else r.n_townships)
    return (minimum if is_township else (r.planned_youth or 0)), minimum


def owed_items(rows, campaign):
    """What each org of the judged `rows` (ScoreRows) owes now: [(org, [text])], only those
    owing (a red cell is owed)."""
    owing = []
    labels = {**COLUMN_LABELS, "youth_vs_min": f"团青群（每乡镇≥{campaign.youth_groups_per_township}）"}  # targets are data
    for row in rows:
        # A township's "plan" is the per-township minimum: say it once.
        same = "youth_vs_plan" if row.org.level == OrgLevel.TOWNSHIP else None
        items = [f"{labels[key]}：{_owed(cell)}" for key, cell in row.cells.items() if cell.status == "red" and key != same]
        if items:
            owing.append((row.org, items))
    return owing


def _owed(cell):
    """"146/227，64%，应达 90%" rather than "146（146/227，64%，应达 90%）"."""
    if cell.note and cell.note.startswith(f"{cell.value}/"):
        return cell.note
    return f"{cell.value}（{cell.note}）" if cell.note else f"{cell.value}"


COLUMN_LABELS = {
    "plan": "计划表", "account": "公众号", "work_groups": "青农微信群", "youth_vs_plan": "团青群（对计划）",
    "youth_vs_min": "团青群（每乡镇≥10）", "cadres": "团干部联系青年", "youths_reached": "联系青年数",
    "messages": "本月发送微信", "activities": "本月线下活动", "last_update": "最近更新",
}
