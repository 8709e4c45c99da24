"""The progress dashboard (建设进度) as one build: the scorecard's rows judged once, shaped
as the table / phone cards with a totals row, what each org owes, the countdown to the
next deadline, how many townships updated lately and the charts."""
from dataclasses import dataclass, field
from datetime import date
from math import ceil

from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel

from .charts import dashboard_charts
from .judge import Cell, Judge
from .models import PlanStatus
from .scorecard import (
    completeness_windows, judge_row, owed_items, scorecard, scorecard_rows_and_total, scorecard_total, youth_targets,
)


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


@dataclass
class Dashboard:
    org: Org
    campaign: object
    as_of: date
    townships: bool  # the rows are townships (a county's page, or a township's own card)
    total: object  # the org itself, annotated
    columns: list
    body: list  # TableRows
    foot: TableRow
    owing: list  # [(org, [what it owes])]
    countdown: Countdown
    completeness: list  # [(days, townships updated, all townships)]
    charts: list


def dashboard_build(user, org, *, campaign, as_of):
    """Everything the dashboard of `org` shows as of `as_of`: its rows' figures read once
    (scorecard_rows_and_total), each row judged once (scorecard), then shaped."""
    townships = org.level in (OrgLevel.COUNTY, OrgLevel.TOWNSHIP)
    if org.level == OrgLevel.TOWNSHIP:  # its own card only
        total = scorecard_total(org, campaign=campaign, as_of=as_of)
        annotated = [total]
    else:
        annotated, total = scorecard_rows_and_total(user, org, campaign=campaign, as_of=as_of)
    rows = scorecard(user, org, campaign=campaign, as_of=as_of, rows=annotated)
    table = scorecard_table(rows, total, campaign=campaign, as_of=as_of, townships=townships)
    clock = countdown(campaign, as_of=as_of)
    return Dashboard(
        org=org, campaign=campaign, as_of=as_of, townships=townships, total=total,
        columns=table[0], body=table[1], foot=table[2], owing=owed_items(rows, campaign), countdown=clock,
        completeness=completeness_windows(org, as_of=as_of, windows=(7, 30), n_townships=total.n_townships),
        charts=dashboard_charts(user, org, campaign=campaign, as_of=as_of, start=clock.first_day or as_of,
                                table=table, townships=townships),
    )
