"""What each county owes the campaign, as a ready-to-paste message for its 青农 group.

Only real debts are listed: a plan not submitted as its deadline nears or has passed, a
missing account or county 青农 group near its deadline, townships below the ≥10 团青
groups target near its deadline, townships whose ledger has not moved for
`stale_after_days`. Figures come from the scorecard's one-statement selectors.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from qingnong.org.models import Org, OrgLevel

from .models import DeadlineKind, PhaseKind, PlanStatus, Reminder
from .scorecard import with_progress

WARN_BEFORE = timedelta(days=14)  # start reminding two weeks before a deadline


@dataclass
class Debt:
    county: Org
    items: list = field(default_factory=list)  # county-level debts
    townships: dict = field(default_factory=dict)  # township name → [debts]

    def __bool__(self):
        return bool(self.items or self.townships)

    def lines(self):
        lines = list(self.items)
        lines += [f"{name}：{'；'.join(debts)}" for name, debts in self.townships.items()]
        return lines


def _near(as_of, due):
    return due is not None and as_of >= due - WARN_BEFORE


def _when(as_of, due):
    if due is None:
        return ""
    return f"（{due.month}月{due.day}日截止，已逾期）" if as_of > due else f"（{due.month}月{due.day}日截止）"


def campaign_debts(*, campaign, root, as_of):
    """[Debt] for every county under `root` (a city, or one county) that owes something."""
    due = {d.kind: d.due_on for d in campaign.deadlines.all()}
    counties = Org.objects.filter(path__startswith=root.path, level=OrgLevel.COUNTY)
    townships = Org.objects.filter(path__startswith=root.path, level=OrgLevel.TOWNSHIP)
    debts = {c.pk: Debt(county=c) for c in with_progress(counties.order_by("code"), campaign=campaign, as_of=as_of)}
    for county in (d.county for d in debts.values()):
        debt = debts[county.pk]
        if county.plan_status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED) and _near(as_of, due.get(DeadlineKind.PLAN_DUE)):
            state = "被退回待修改" if county.plan_status == PlanStatus.RETURNED else "未提交"
            debt.items.append(f"计划表（附件1）{state}{_when(as_of, due.get(DeadlineKind.PLAN_DUE))}")
        if not county.account_opened and _near(as_of, due.get(DeadlineKind.ACCOUNT)):
            debt.items.append(f"团县委微信公众号未开通{_when(as_of, due.get(DeadlineKind.ACCOUNT))}")
        if county.own_work_groups < campaign.work_groups_per_county and _near(as_of, due.get(DeadlineKind.WORK_GROUPS)):
            debt.items.append(f"县级青农微信群未建{_when(as_of, due.get(DeadlineKind.WORK_GROUPS))}")
    target = campaign.youth_groups_per_township
    build = next((p for p in campaign.phases.all() if p.kind == PhaseKind.BUILD), None)
    building = build is None or as_of >= build.starts_on  # no figures are owed before 全面建设
    for township in with_progress(townships.order_by("code"), campaign=campaign, as_of=as_of):
        debt = debts.get(township.parent_id)
        if debt is None:
            continue
        owed = []
        if township.youth_groups < target and _near(as_of, due.get(DeadlineKind.YOUTH_GROUPS)):
            owed.append(f"团青微信群 {township.youth_groups} 个，距不少于 {target} 个还差 {target - township.youth_groups} 个")
        stale = township.last_update is None or (as_of - township.last_update).days >= campaign.stale_after_days
        if building and stale:
            owed.append("从未填报台帐" if township.last_update is None else f"已 {(as_of - township.last_update).days} 天未更新台帐")
        if owed:
            debt.townships[township.name] = owed
    return [d for d in debts.values() if d]


def reminder_message(debt, *, as_of):
    """The text a county secretary pastes into its 青农 work group."""
    short = debt.county.name[:-1] if len(debt.county.name) > 2 else debt.county.name
    body = "\n".join(f"{i}. {line}；" for i, line in enumerate(debt.lines(), 1))
    return (f"【青农{short}】各乡镇团委：截至{as_of.month}月{as_of.day}日，农村共青团微信体系建设尚有以下事项未完成：\n"
            f"{body}\n请抓紧落实，并在青农台帐中及时填报。{debt.county.name}团委")


@transaction.atomic
def reminders_record(*, campaign, debts, as_of):
    """One Reminder row per county reminded (the dashboard shows the last one)."""
    return Reminder.objects.bulk_create([
        Reminder(campaign=campaign, org=d.county, items=d.lines(), message=reminder_message(d, as_of=as_of)) for d in debts
    ])
