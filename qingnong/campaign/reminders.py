"""What each county owes the campaign, as a ready-to-paste message for its 青农 group.

Only real debts are listed: a plan not submitted as its deadline nears or has passed, a
missing account or county 青农 group near its deadline, townships below the ≥10 团青
groups target near its deadline, townships whose ledger has not moved for
`stale_after_days`, this period's 附件3 not submitted (or returned) as its due date nears.
An org that has done what is asked is never named. Figures come from the scorecard's
one-statement selectors.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from qingnong.accounts.models import User
from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log_bulk
from qingnong.ledger.models import Cadre
from qingnong.org.models import Org, OrgLevel

from .models import DeadlineKind, PhaseKind, PlanStatus, ProgressSubmission, Reminder, SubmissionStatus
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
    _reporting_debts(debts, campaign=campaign, townships=townships, as_of=as_of, build=build)
    return [d for d in debts.values() if d]


def _reporting_debts(debts, *, campaign, townships, as_of, build):
    """The latest ended period's 附件3 (figures are owed from 全面建设 on): a township or
    county that has not submitted it, or had it returned. One that submitted is never named."""
    ended = [p for p in campaign.periods.all() if p.ends_on < as_of and (build is None or p.ends_on >= build.starts_on)]
    if not ended:
        return
    period = ended[-1]
    counties = [d.county.pk for d in debts.values()]
    states = dict(ProgressSubmission.objects.filter(period=period).filter(Q(org__in=townships) | Q(org__in=counties))
                  .values_list("org_id", "status"))
    owed = {None: "未提交", SubmissionStatus.RETURNED: "被退回待修改"}
    for township in townships.order_by("code").values("pk", "name", "parent_id"):
        state = states.get(township["pk"])
        if state in owed and township["parent_id"] in debts:
            debts[township["parent_id"]].townships.setdefault(township["name"], []).append(
                f"{period.label}附件3{owed[state]}{_when(as_of, period.due_on)}")
    for debt in debts.values():
        state = states.get(debt.county.pk)
        if state in owed:
            debt.items.append(f"县区{period.label}附件3{owed[state]}（各乡镇审核通过后报市里）{_when(as_of, period.due_on)}")


def reminder_message(debt, *, as_of):
    """The text a county secretary pastes into its 青农 work group."""
    short = debt.county.name[:-1] if len(debt.county.name) > 2 else debt.county.name
    body = "\n".join(f"{i}. {line}；" for i, line in enumerate(debt.lines(), 1))
    return (f"【青农{short}】各乡镇团委：截至{as_of.month}月{as_of.day}日，农村共青团微信体系建设尚有以下事项未完成：\n"
            f"{body}\n请抓紧落实，并在青农台帐中及时填报。{debt.county.name}团委")


@transaction.atomic
def reminders_record(*, campaign, debts, as_of, user=None):
    """One Reminder row per county reminded, with who sent it (the dashboard shows the last
    one); recorded in each county's 操作记录 too."""
    reminders = Reminder.objects.bulk_create([
        Reminder(campaign=campaign, org=d.county, by=user, items=d.lines(), message=reminder_message(d, as_of=as_of))
        for d in debts
    ])
    audit_log_bulk([{"obj": d.county, "action": AuditAction.UPDATE, "changes": {"提醒": ["", f"{len(d.lines())} 项待办"]},
                     "note": f"已提醒：{'；'.join(d.lines())}"} for d in debts], user=user)
    return reminders


CONTACT_HEADER = ["县区", "姓名", "职务/角色", "手机号", "待办事项"]


def reminder_contacts(debts):
    """[CONTACT_HEADER row] of the people to call in the counties that owe: their active
    accounts with a mobile, and the county-level cadres (two statements)."""
    counties = {d.county.pk: d for d in debts}
    users = User.objects.filter(org_id__in=counties, is_active=True).exclude(mobile=None).order_by("org__code", "username")
    cadres = Cadre.objects.filter(org_id__in=counties, org__level=OrgLevel.COUNTY).exclude(mobile="").order_by("org__code", "name")
    rows = [[counties[u.org_id].county.name, u.get_full_name(), u.get_role_display(), u.mobile,
             "；".join(counties[u.org_id].lines())] for u in users]
    rows += [[counties[c.org_id].county.name, c.name, c.position, c.mobile, "；".join(counties[c.org_id].lines())]
             for c in cadres]
    return rows
