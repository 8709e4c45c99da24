"""Campaign reads: the campaign that governs a user, and the progress scorecard.

The scorecard costs about a dozen SQL statements for any number of rows: one GROUP BY
per ledger table over the rows' common subtree (org.selectors.rollup), never a Python
loop over groups and never one subquery per row. Red/amber/green is then judged per cell against the campaign's targets and the
date (`as_of`), in `judge.py`.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from types import SimpleNamespace

from django.utils import timezone
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum

from qingnong.ledger.models import (
    AccountStatus, Cadre, CadreTotals, GroupKind, GroupTotals, MemberSnapshot, OfficialAccount, ReportedProgress,
    TotalsMeasure, WechatGroup, built_on,
)
from qingnong.ledger.rules import YOUTHS_PER_CADRE
from qingnong.ledger.selectors.groups import with_members_on
from qingnong.ledger.totals import rollup_ranges
from qingnong.lib.dates import month_of, today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import governing, scoped
from qingnong.org.selectors import rollup, subtree_aggregate


from .judge import Cell, Judge
from .models import Campaign, CountyPlan, DeadlineKind, PlanStatus, Reminder
from qingnong.ledger.models import AccountAdmin



def current_campaign(user, *, year=None):
    """The latest campaign set by the user's city (or above), or one in its scope."""
    campaigns = governing(Campaign.objects.select_related("org"), user)
    if year:
        campaigns = campaigns.filter(year=year)
    return campaigns.prefetch_related("phases", "deadlines").order_by("-year", "org__depth").first()


def default_as_of(campaign):
    """Today, or the campaign's last day if it is over (the 2014 demo reads as of 2014-11-30)."""
    last = max([p.ends_on for p in campaign.phases.all()] + [d.due_on for d in campaign.deadlines.all()], default=None)
    return min(today(), last) if last else today()


def _groups_on(orgs, as_of):
    """{(path, kind): {"n", "members", "last"}} on a past `as_of`: the groups built then, their
    members as last recorded by then, and the latest record of any group. The groups' current
    figures are today's: a finished campaign would count the youths reached since."""
    groups = with_members_on(WechatGroup.objects.all(), as_of)
    built = built_on(as_of)
    return rollup(orgs, groups, by=("kind",), n=Count("pk", filter=built), members=Sum("members_then", filter=built),
                  last=Max("updated_then"))


def _with_imports(latest, orgs, *, as_of, since=None):
    """Merge in 附件3 imports: a confirmed import counts as its townships' update on the day
    it was confirmed (issue 5: an import is that org's submission at that time)."""
    imports = ReportedProgress.objects.filter(report__submitted_at__date__lte=as_of)
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
    if as_of >= today():
        # Today the summary rows answer: built counts, members and the latest update per
        # unit (ledger/totals.py); a province's 285,000 groups were read on every request.
        groups = rollup(orgs, GroupTotals.objects.all(), path="path", by=("kind",), n=Sum("built"),
                        members=Sum("members"), last=Max("last_update"))
    else:
        groups = _groups_on(orgs, as_of)
    last_update = {}
    for (path, _), row in groups.items():
        if row["last"] and (path not in last_update or row["last"] > last_update[path]):
            last_update[path] = row["last"]
    last_update = _with_imports(last_update, orgs, as_of=as_of)
    townships = rollup(orgs, Org.objects.filter(level=OrgLevel.TOWNSHIP), path="path", n=Count("pk"))
    if campaign.youths_per_cadre == YOUTHS_PER_CADRE:  # the plan's 20: kept per unit (ledger/totals.py)
        cadres = rollup(orgs, CadreTotals.objects.all(), path="path", n=Sum("grassroots"), on_target=Sum("on_target"))
    else:
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
        org.grassroots_cadres = cadres.get(org.path, {}).get("n", 0)
        org.cadres_on_target = cadres.get(org.path, {}).get("on_target", 0)
        org.messages_month = messages.get(org.path, 0)
        org.activities_month = activities.get(org.path, 0)
        org.last_update = last_update.get(org.path)
        org.account_opened = org.pk in opened
        org.plan_id, org.plan_status, org.plan_is_late = plan.get("pk"), plan.get("status"), plan.get("is_late")
        org.planned_youth = (plan["planned_county_youth_groups"] + plan["planned_township_youth_groups"]) if plan else None
        org.last_reminded = reminded.get(org.pk)
    return orgs


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


def completeness_windows(parent, *, as_of, windows=(7, 30)):
    """[(days, townships updated in the last `days` days, all townships)] under `parent`. Today
    from the summary rows in one statement; a past date from the member snapshots, the latest
    per township in one GROUP BY (rollup), not an EXISTS per township (0.9 s for Yulin's 184
    townships on SQLite; this is 20 ms)."""
    if as_of >= today():
        return _completeness_today(parent, as_of=as_of, windows=windows)
    return _completeness_from_snapshots(parent, as_of=as_of, windows=windows)


def _completeness_from_snapshots(parent, *, as_of, windows):
    if parent.level == OrgLevel.TOWNSHIP:
        townships = [parent]
    else:
        # Paths only (rollup reads `.path`): a province's 1,300 model instances cost more than the sums.
        townships = [SimpleNamespace(path=p) for p in Org.objects.filter(
            path__startswith=parent.path, level=OrgLevel.TOWNSHIP).values_list("path", flat=True)]
    since = date.fromordinal(as_of.toordinal() - max(windows) + 1)
    latest = rollup(townships, MemberSnapshot.objects.filter(group__deleted_at__isnull=True, taken_on__gte=since,
                                                              taken_on__lte=as_of), path="group__org__path", v=Max("taken_on"))
    latest = _with_imports({path: row["v"] for path, row in latest.items()}, townships, as_of=as_of, since=since)
    return [(days, sum(1 for day in latest.values() if (as_of - day).days < days), len(townships)) for days in windows]


def _completeness_today(parent, *, as_of, windows):
    """completeness_windows for today, counted in one statement: each township's latest
    update is its unit's GroupTotals.last_update (the groups' members_as_of, ledger/totals.py)
    or its latest confirmed 附件3 import; a province's 1,300 townships are never fetched."""
    townships = Org.objects.filter(level=OrgLevel.TOWNSHIP).filter(
        Q(pk=parent.pk) if parent.level == OrgLevel.TOWNSHIP else Q(path__startswith=parent.path))
    updated = GroupTotals.objects.filter(unit=OuterRef("pk"), last_update__lte=as_of).order_by().values("unit")
    imported = ReportedProgress.objects.filter(org=OuterRef("pk"), report__submitted_at__lt=_day_start(as_of + timedelta(days=1)))
    townships = townships.annotate(
        updated=Subquery(updated.annotate(v=Max("last_update")).values("v")),
        imported=Subquery(imported.order_by().values("org").annotate(v=Max("report__submitted_at")).values("v")))
    counts = townships.aggregate(all=Count("pk"), **{
        f"d{days}": Count("pk", filter=Q(updated__gte=as_of - timedelta(days=days - 1))
                          | Q(imported__gte=_day_start(as_of - timedelta(days=days - 1))))
        for days in windows})
    return [(days, counts[f"d{days}"], counts["all"]) for days in windows]


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


def due_items(user, parent, *, campaign, as_of, rows=None):
    """What each county (or township) under `parent` owes now: [(org, [text])], only those owing.
    `rows`: the already annotated scorecard rows, so a page does not query them twice."""
    judge = Judge(campaign, as_of)
    owing = []
    labels = {**COLUMN_LABELS, "youth_vs_min": f"团青群（每乡镇≥{campaign.youth_groups_per_township}）"}  # targets are data
    for row in scorecard(user, parent, campaign=campaign, as_of=as_of, rows=rows):
        # A township's "plan" is the per-township minimum: say it once.
        same = "youth_vs_plan" if row.org.level == OrgLevel.TOWNSHIP else None
        items = [f"{labels[key]}：{_owed(cell)}" for key, cell in row.cells.items() if cell.status == "red" and key != same]
        if items:
            owing.append((row.org, items))
    return owing, judge


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


# The dashboard (issue 4): a countdown, the share of the goal, the totals row, and the
# scorecard shaped as columns for the table / phone cards.

@dataclass
class Countdown:
    phase: object  # the Phase `as_of` falls in, or None
    due_on: date | None  # the next date something is due on or after `as_of`
    items: list  # what is due that day (labels)
    days: int | None
    first_day: date | None
    last_day: date | None
    over: bool  # the campaign has ended (today is past its last day)


def countdown(campaign, *, as_of):
    """The next deadline (or phase end) on or after `as_of`, and whether the campaign is over."""
    phases, deadlines = list(campaign.phases.all()), list(campaign.deadlines.all())
    days = [p.starts_on for p in phases] + [p.ends_on for p in phases] + [d.due_on for d in deadlines]
    first, last = (min(days), max(days)) if days else (None, None)
    phase = next((p for p in phases if p.starts_on <= as_of <= p.ends_on), None)
    events = [(d.due_on, d.get_kind_display()) for d in deadlines if d.due_on >= as_of]
    events += [(p.ends_on, f"{p.get_kind_display()}阶段结束") for p in phases if p.ends_on >= as_of]
    due_on = min((day for day, _ in events), default=None)
    return Countdown(
        phase=phase, due_on=due_on, items=[label for day, label in events if day == due_on],
        days=(due_on - as_of).days if due_on else None, first_day=first, last_day=last,
        over=bool(last and today() > last),
    )


@dataclass
class Column:
    key: str
    label: str  # short: a table head and the label of a phone card's cell
    title: str  # in full, as a tooltip


def scorecard_columns(campaign, *, townships):
    """The dashboard's columns; a township row has no 计划表, 公众号 or plan of its own."""
    c = campaign
    columns = [
        Column("plan", "计划表", "计划表（附件1）状态"),
        Column("account", "公众号", "团县委微信公众号"),
        Column("work_groups", "青农群", "青农微信群（本级）"),
        Column("youth_vs_plan", "团青/计划", "已建团青微信群 / 计划表中的计划数"),
        Column("goal", f"达成{c.youth_groups_goal_percent}%目标", f"已建团青群占计划数 {c.youth_groups_goal_percent}% 的比例"),
        Column("youth_vs_min", f"团青/每镇{c.youth_groups_per_township}",
               f"已建团青微信群 / 每个乡镇不少于 {c.youth_groups_per_township} 个"),
        Column("youths_reached", "联系青年", "团青微信群成员数（联系青年数）"),
        Column("cadres", f"团干部≥{c.youths_per_cadre}", f"联系青年≥{c.youths_per_cadre} 名的基层团干部 / 基层团干部总数"),
        Column("messages", "本月微信", "本月发送微信条数"),
        Column("activities", "本月活动", "本月线下活动次数"),
        Column("last_update", "最近更新", "最近一次填报成员数的日期"),
    ]
    if townships:
        columns = [col for col in columns if col.key not in ("plan", "account", "youth_vs_plan")]
    return columns


def youth_targets(campaign, r):
    """(planned 团青 groups, minimum by townships) of an annotated row, as judge_row uses them."""
    is_township = r.level == OrgLevel.TOWNSHIP
    minimum = campaign.youth_groups_per_township * (1 if is_township else r.n_townships)
    return (minimum if is_township else (r.planned_youth or 0)), minimum


def goal_cell(campaign, r, judged):
    """方案：10月底前力争团青微信群建立90%以上 — built as a share of goal% × planned,
    coloured like the 团青群/计划 cell it derives from."""
    planned, _ = youth_targets(campaign, r)
    if not planned:
        return Cell("—", "", "未报计划表")
    needed = planned * campaign.youth_groups_goal_percent / 100
    return Cell(f"{r.youth_groups / needed:.0%}", judged.status,
                f"已建 {r.youth_groups} 个，计划 {planned} 个的 {campaign.youth_groups_goal_percent}% 为 {ceil(needed)} 个")


def _display(key, cell, r, campaign):
    """What a cell shows; the judgement's note goes in its tooltip."""
    if key in ("youth_vs_plan", "youth_vs_min"):
        planned, minimum = youth_targets(campaign, r)
        target = planned if key == "youth_vs_plan" else minimum
        return f"{cell.value}{SLASH}{target or '—'}"
    if key == "cadres":
        return f"{r.cadres_on_target}{SLASH}{r.grassroots_cadres}"
    if key == "youths_reached":
        return f"{cell.value:,}"
    if key == "last_update":
        return cell.value.strftime("%m-%d") if isinstance(cell.value, date) else cell.value
    return cell.value


SLASH = "\u2009/\u2009"  # thin spaces: a narrow phone cell may break "1750 / 2058" there, not inside a number
SEVERITY = {"red": 3, "amber": 2, "green": 1, "": 0}


def _summary(cells, ok, label):
    """A totals cell over the rows: how many are fine, coloured by the worst row."""
    cells = list(cells)
    worst = max((c.status for c in cells), key=SEVERITY.get, default="")
    return Cell(f"{sum(1 for c in cells if ok(c))}{SLASH}{len(cells)}", worst, label)


@dataclass
class TableRow:
    org: Org
    figures: object
    cells: list  # [(Column, Cell, shown)]
    is_total: bool = False
    own: list = field(default_factory=list)  # a county's own 计划表 and 公众号 under its townships' table


def scorecard_table(rows, total, *, campaign, as_of, townships):
    """(columns, body, foot) for the dashboard. `rows` are ScoreRows; `total` is the parent
    annotated by scorecard_total. Above a county the totals row sums the counties' plans
    (a county without a plan counts its minimum) and counts the counties on track for the
    plan, the account and the 青农 group; a county's totals row is the county's own card."""
    judge = Judge(campaign, as_of)
    columns = scorecard_columns(campaign, townships=townships)
    rows = list(rows)
    above_county = total.level in (OrgLevel.CITY, OrgLevel.PROVINCE)
    if above_county:
        total.planned_youth = sum(planned or minimum for planned, minimum in (youth_targets(campaign, r.figures) for r in rows))
    foot_cells = judge_row(judge, total)
    if above_county and not rows:
        foot_cells.update(plan=Cell("—"), account=Cell("—"), work_groups=Cell("—"))
    elif above_county:
        statuses = [r.figures.plan_status for r in rows]
        counts = "，".join(f"{label} {statuses.count(value)}" for value, label in PlanStatus.choices if value in statuses)
        missing = statuses.count(None)
        foot_cells["plan"] = _summary((r.cells["plan"] for r in rows), lambda c: c.value.startswith("已审核"),
                                      f"已审核/全部；{counts}{'，未填报 ' + str(missing) if missing else ''}")
        foot_cells["account"] = _summary((r.cells["account"] for r in rows), lambda c: c.status == "green", "已开通/全部")
        foot_cells["work_groups"] = _summary((r.cells["work_groups"] for r in rows), lambda c: c.status == "green",
                                             "建成本级青农群的县区/全部")
        foot_cells["youth_vs_plan"].note += "（未报计划表的县区按每乡镇最低数计）"

    def shaped(org, figures, cells, is_total=False):
        cells = {**cells, "goal": goal_cell(campaign, figures, cells["youth_vs_plan"])}
        return TableRow(org, figures, [(col, cells[col.key], _display(col.key, cells[col.key], figures, campaign))
                                       for col in columns], is_total)

    body = [shaped(r.org, r.figures, r.cells) for r in rows]
    foot = shaped(total, total, foot_cells, is_total=True)
    if townships and total.level == OrgLevel.COUNTY:
        own = scorecard_columns(campaign, townships=False)[:2]
        foot.own = [(col, foot_cells[col.key], foot_cells[col.key].value) for col in own]
    return columns, body, foot


# 附件1 on screen (issue 4): the ledger's figures beside each planned number, and the
# city's list of county plans.

def plan_ledger_figures(user, county, *, as_of):
    """What the ledger says now about the numbers a county's 附件1 plans (one statement):
    townships in the org tree, 团青/青农 groups built at each level, the county's account.
    None if `county` is not visible to `user` (its own subtree or an org above it)."""
    here, pk = OuterRef("path"), OuterRef("pk")

    def built(kind=None, **where):
        groups = WechatGroup.objects.filter(built_on(as_of), org__path__startswith=here, **where)
        return subtree_aggregate(groups.filter(kind=kind) if kind else groups)

    oa = OfficialAccount.objects.filter(org=pk)
    return governing(Org.objects.filter(pk=county.pk), user).annotate(
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


def plan_list(user, *, campaign):
    """The counties under the campaign's org that `user` sees (its subtree, or the county
    it works under), each with its plan's status and dates: one statement."""
    plan = CountyPlan.objects.filter(campaign=campaign, org=OuterRef("pk"))
    counties = governing(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=campaign.org.path), user)
    return counties.annotate(
        plan_status=Subquery(plan.values("status")[:1]),
        plan_submitted_at=Subquery(plan.values("submitted_at")[:1]),
        plan_reviewed_at=Subquery(plan.values("reviewed_at")[:1]),
        plan_is_late=Subquery(plan.values("is_late")[:1]),
    ).order_by("code", "name")


def county_plan(user, *, campaign, county):
    """The county's plan in `campaign` with its review history, or None (visible like the county)."""
    plans = governing(CountyPlan.objects.select_related("campaign", "org"), user)
    return plans.filter(campaign=campaign, org=county).prefetch_related("reviews__by").first()


def campaign_list(user):
    """Campaigns set by the user's own org, the orgs above it, or those below it."""
    return governing(Campaign.objects.select_related("org"), user).order_by("-year", "org__path")
