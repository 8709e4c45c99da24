"""Red / amber / green for each scorecard cell, against the campaign's targets and dates.

Rules (stated once here, shown on the dashboard's legend):
- Before a deadline the bar rises with time: the expected share of a target is the goal
  times the elapsed part of the 全面建设 phase; from the deadline on it is the full goal.
- green: at or above what is expected now; amber: at least 75% of it (or not yet due);
  red: below that, or a deadline passed with nothing done.
"""
from dataclasses import dataclass

from .models import DeadlineKind, PhaseKind, PlanStatus

GREEN, AMBER, RED, NONE = "green", "amber", "red", ""


@dataclass
class Cell:
    value: object
    status: str = NONE
    note: str = ""


class Judge:
    def __init__(self, campaign, as_of):
        self.campaign, self.as_of = campaign, as_of
        self.deadlines = {d.kind: d.due_on for d in campaign.deadlines.all()}
        self.phases = {p.kind: p for p in campaign.phases.all()}

    def due(self, kind):
        return self.deadlines.get(kind)

    def past(self, kind):
        due = self.due(kind)
        return bool(due and self.as_of > due)

    def expected_share(self, kind):
        """Share of a target expected by now: full from the deadline on, pro rata in the build phase."""
        if self.past(kind) or self.as_of == self.due(kind):
            return 1.0
        build = self.phases.get(PhaseKind.BUILD)
        if not build or self.as_of < build.starts_on:
            return 0.0
        end = self.due(kind) or build.ends_on
        span = max((end - build.starts_on).days, 1)
        return min(1.0, (self.as_of - build.starts_on).days / span)

    def against(self, value, target, kind, *, goal=1.0):
        """Judge `value` against `target` (× goal) as expected by now for deadline `kind`."""
        value = value or 0
        if not target:
            return Cell(value, NONE)
        share = value / target
        expected = goal * self.expected_share(kind)
        note = f"{share:.0%}，应达 {expected:.0%}" if expected else f"{share:.0%}"
        if share >= expected and (expected or value):
            return Cell(value, GREEN, note)
        if share >= 0.75 * expected or not self.past(kind):
            return Cell(value, AMBER if expected else NONE, note)
        return Cell(value, RED, note)

    def plan(self, status, is_late):
        due = self.due(DeadlineKind.PLAN_DUE)
        label = dict(PlanStatus.choices).get(status, "未填报")
        if is_late and status:
            label += "（逾期）"
        if status == PlanStatus.APPROVED:
            return Cell(label, AMBER if is_late else GREEN)
        if status == PlanStatus.SUBMITTED:
            return Cell(label, AMBER if is_late else GREEN, "待审核")
        if status == PlanStatus.RETURNED:
            return Cell(label, RED if self.past(DeadlineKind.PLAN_DUE) else AMBER, "已退回，待修改")
        return Cell(label, RED if self.past(DeadlineKind.PLAN_DUE) else AMBER, f"截止 {due}" if due else "")

    def account(self, opened):
        if opened:
            return Cell("已开通", GREEN)
        return Cell("未开通", RED if self.past(DeadlineKind.ACCOUNT) else AMBER)

    def freshness(self, last_update):
        if not last_update:
            return Cell("从未", RED)
        days = (self.as_of - last_update).days
        status = GREEN if days <= 7 else AMBER if days <= self.campaign.stale_after_days else RED
        return Cell(last_update, status, f"{days} 天前")

    def activity(self, count, units):
        """Something happened this month: green if at least one per unit (township)."""
        count = count or 0
        return Cell(count, GREEN if count >= max(units, 1) else AMBER if count else RED)
