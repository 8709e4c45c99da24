"""The dashboard's charts. Each series is one SQL statement over the viewed org's subtree
(a GROUP BY or one aggregate, never a loop over groups), drawn as server-rendered SVG by
lib/svgchart: no script, a few KB, readable on a phone on 2G. Each chart also carries its
numbers as rows for the table under it."""
from dataclasses import dataclass
from math import ceil
from datetime import timedelta

from django.db.models import Sum

from qingnong.ledger.dated import built_by_week, day_rows, groups_on, groups_standing
from qingnong.ledger.models import MEMBER_FIELDS, GroupKind, MessageCategory, TotalsMeasure
from qingnong.ledger.totals import as_date, rollup_range, uses_coarse
from qingnong.lib.dates import month_of, week_of
from qingnong.lib.svgchart import bar_chart, line_with_target
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import scoped

from .judge import Judge
from .models import DeadlineKind
from .scorecard import youth_targets


def _youth_rows(user, org, as_of):
    """The summary rows of the 团青 groups under `org` that stand on `as_of` (issue 13)."""
    return scoped(groups_standing(as_of, under=org.path, coarse=uses_coarse([org])).filter(kind=GroupKind.YOUTH), user)


def youth_groups_by_week(user, org, *, start, as_of, reported=None, built=None):
    """[(last day of the week, built 团青 groups then)] for each week from `start` to `as_of`:
    the groups standing built on each week's last day (the last week: on `as_of`), from the
    dated summary rows in one GROUP BY, on any date. Groups without a founding date stand
    from the first week. A standing report (`reported`, scorecard.reported_youth) counts
    from its own day, so the last week is the page's figure. `built`: the ledger's built 团青
    groups under `org` on `as_of`, when the caller has it (the dashboard's total row, for an
    org wholly in the user's scope): what stood before the first week is then that less the
    weeks' changes, instead of a seek per unit on the day before."""
    coarse, (monday, _) = uses_coarse([org]), week_of(start)
    weekly = built_by_week(scoped(day_rows(GroupKind.YOUTH, under=org.path, as_of=as_of, coarse=coarse)
                                  .filter(day__gte=monday), user))
    weekly = {as_date(week): n for week, n in weekly.items()}
    if built is not None:
        total = built - sum(weekly.values())
    else:  # what stood before the first week: the rows standing then
        before = scoped(groups_on(monday - timedelta(days=1), under=org.path, coarse=coarse).filter(kind=GroupKind.YOUTH), user)
        total = before.aggregate(n=Sum("built"))["n"] or 0
    for share in (reported or {}).values():
        week, _ = week_of(share.as_of)
        if week < monday:
            total += share.groups
        else:
            weekly[week] = weekly.get(week, 0) + share.groups
    series = []
    while monday <= as_of:
        total += weekly.get(monday, 0)
        series.append((min(monday + timedelta(days=6), as_of), total))
        monday += timedelta(days=7)
    return series


def members_by_category(user, org, *, as_of, reported=None, columns=None):
    """[(在乡·务农, n), …] the nine 附件3 columns summed over the 团青 groups built on `as_of`,
    as last recorded by then, in one aggregate of the summary rows (or `columns`, the same
    sums the dashboard's total row read with its figures, for an org wholly in the user's
    scope); plus what the standing reports (`reported`) change, as the page's 联系青年 does."""
    sums = dict(columns) if columns is not None else \
        _youth_rows(user, org, as_of).aggregate(**{f: Sum(f) for f, _, _ in MEMBER_FIELDS})
    for share in (reported or {}).values():
        for f, n in share.members.items():
            sums[f] = (sums[f] or 0) + n
    return [(f"{where}·{label}", sums[f] or 0) for f, where, label in MEMBER_FIELDS]


def messages_by_category(user, org, *, since, as_of):
    """[(category label, this month, since `since`)] of messages sent in the subtree, from
    the monthly totals (ledger/totals.py). `org` is in the user's scope (the view
    checked it), so its whole subtree is."""
    this_month = month_of(as_of)
    sums = rollup_range([org], TotalsMeasure.MESSAGES, start=min(since, this_month), as_of=as_of, by=("category", "month"))
    month, total = {}, {}
    for (_, category, day), n in sums.items():  # one GROUP BY for both columns
        if as_date(day) == this_month:
            month[category] = month.get(category, 0) + n
        if as_date(day) >= since:
            total[category] = total.get(category, 0) + n
    return [(label, month.get(value, 0), total.get(value, 0)) for value, label in MessageCategory.choices]


@dataclass
class Chart:
    template: str
    context: dict


def _bar_status(row, townships):
    """The colour of a row's bar: its 团青群 cell against the plan, or the minimum without one."""
    cells = {col.key: cell for col, cell, _ in row.cells}
    judged = cells.get("youth_vs_plan")
    return (judged if judged and judged.status else cells["youth_vs_min"]).status


def _target(campaign, figures):
    planned, minimum = youth_targets(campaign, figures)
    return planned or minimum


def dashboard_charts(user, org, *, campaign, as_of, start, table, townships):
    """The dashboard's charts: 团青 groups by week against the target line, per-row bars
    against each row's target, members by category, messages by category. `table` is
    selectors.scorecard_table's (columns, body, foot): the bars cost no query."""
    _, body, foot = table
    has_plan = foot.figures.level != OrgLevel.TOWNSHIP and bool(foot.figures.planned_youth)
    base = _target(campaign, foot.figures)
    goal = campaign.youth_groups_goal_percent / 100 * base
    due = next((d.due_on for d in campaign.deadlines.all() if d.kind == DeadlineKind.YOUTH_GROUPS), None)
    reported = foot.figures.reported_shares  # the reports the tiles added (scorecard._with_reports), added alike
    ledger_built = foot.figures.youth_groups - sum(share.groups for share in reported.values())  # `org` is in the user's scope
    weekly = [(day.strftime("%m-%d"), n, round(goal * Judge(campaign, day).expected_share(DeadlineKind.YOUTH_GROUPS), 1))
              for day, n in youth_groups_by_week(user, org, start=start, as_of=as_of, reported=reported, built=ledger_built)]
    rows = [(r.org.name, r.figures.youth_groups, _target(campaign, r.figures), _bar_status(r, townships)) for r in body]
    members = members_by_category(user, org, as_of=as_of, reported=reported, columns=foot.figures.youth_member_columns)
    # Whole months: the campaign's first month counts from its 1st day (monthly totals).
    since = month_of(start)
    messages = messages_by_category(user, org, since=since, as_of=as_of)
    month = f"{as_of.month}月"
    charts = [Chart("_chart_line_target.html", {
        "chart": line_with_target(weekly, title="团青微信群建成数（按周累计）", target_name="目标线"),
        "title": "团青微信群建成数（按周累计）", "name": "已建成", "x_name": "截至",
        "target_name": "目标线",
        "note": f"目标：{due.month}月{due.day}日前建成{'计划数' if has_plan else '最低数'} {base} 个的 "
                f"{campaign.youth_groups_goal_percent}%（{ceil(goal)} 个），全面建设阶段内逐日递增。" if due else "",
    })]
    if len(rows) > 1:
        charts.append(Chart("_chart_bars.html", {
            "chart": bar_chart([(name, [n], target, status) for name, n, target, status in rows],
                               title=f"各{'乡镇' if townships else '县区'}团青微信群", target_name="目标"),
            "title": f"各{'乡镇' if townships else '县区'}团青微信群", "target_name": "目标",
            "note": "竖线为目标：计划数，未报计划的按每乡镇最低数" if not townships else f"竖线为每乡镇最低数 {campaign.youth_groups_per_township} 个",
            "head": ["名称", "已建成", "目标"], "table": [(name, n, target) for name, n, target, _ in rows],
        }))
    charts += [
        Chart("_chart_bars.html", {
            "chart": bar_chart([(label, [n], None, "") for label, n in members], max_label=9, title="团青微信群成员构成"),
            "title": "团青微信群成员构成",
            "note": f"附件3 九类，截至{as_of.year}年{as_of.month}月{as_of.day}日{'（含乡镇上报数）' if reported else ''}",
            "head": ["类别", "人数"], "table": members + [("合计", sum(n for _, n in members))],
        }),
        Chart("_chart_bars.html", {
            "chart": bar_chart([(label, [m, t], None, "") for label, m, t in messages], series=[month, "累计"],
                               title="发送微信条数（按内容类别）"),
            "title": "发送微信条数（按内容类别）", "note": f"累计自 {since.year}年{since.month}月1日",
            "head": ["类别", month, "累计"],
            "table": messages + [("合计", sum(m for _, m, _ in messages), sum(t for _, _, t in messages))],
        }),
    ]
    return charts
