"""我的待办: what a user owes and what waits for them, each with its deadline and a link —
a plan or 附件3 to submit (with the reason if it came back), items waiting for their
review, inspections assigned to them, join QR codes about to expire, groups without this
week's member figures. A fixed number of statements whatever the size of the subtree."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse

from qingnong.campaign.models import CountyPlan, DeadlineKind, PlanStatus, ProgressSubmission, SubmissionStatus
from qingnong.campaign.selectors import current_campaign
from qingnong.campaign.submissions import period_for
from qingnong.inspection.selectors.inspections import inspections_to_do
from qingnong.ledger.models import BUILT, WechatGroup
from qingnong.ledger.rules import QR_WARN_DAYS
from qingnong.lib.dates import week_of
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import scoped


@dataclass
class Todo:
    text: str
    url: str
    due_on: date | None = None
    reason: str = ""  # why it came back (a returned plan or 附件3)
    note: str = ""
    owed: bool = True  # something the user owes (else: waits for the user's review)
    overdue: bool = False


def todo_items(user, *, today):
    """The to-do of `user` on `today`, owed items first, then by deadline."""
    org = user.org
    if org is None or not user.is_active:
        return []
    items = []
    campaign = current_campaign(user)
    if campaign is not None:
        items += _plan_items(user, org, campaign)
        period = period_for(campaign, today)
        if period is not None:
            items += _reporting_items(user, org, period)
    items += [Todo(f"完成{i.org.name}的检查", reverse("inspection:inspection-checklist", args=[i.pk]),
                   due_on=i.inspected_on, note=i.round.name) for i in inspections_to_do(user).select_related("round")[:5]]
    if user.can_edit:
        items += _group_items(user, org, today)
    for item in items:
        item.overdue = item.owed and item.due_on is not None and item.due_on < today
    return sorted(items, key=lambda t: (not t.owed, t.due_on or date.max))


def _plan_items(user, org, campaign):
    due = next((d.due_on for d in campaign.deadlines.all() if d.kind == DeadlineKind.PLAN_DUE), None)
    url = reverse("campaign:plan-detail", args=[org.pk])
    if org.level == OrgLevel.COUNTY and user.can_edit:
        plan = CountyPlan.objects.filter(campaign=campaign, org=org).values("status", "return_reason").first()
        if plan is None or plan["status"] == PlanStatus.DRAFT:
            return [Todo("填写并提交计划表（附件1）", url, due_on=due)]
        if plan["status"] == PlanStatus.RETURNED:
            return [Todo("计划表（附件1）被退回，请修改后重新提交", url, due_on=due, reason=plan["return_reason"])]
    if org.level in (OrgLevel.CITY, OrgLevel.PROVINCE) and user.can_manage_users:
        n = CountyPlan.objects.filter(campaign=campaign, org__parent=org, status=PlanStatus.SUBMITTED).count()
        if n:
            return [Todo(f"审核 {n} 个县区的计划表（附件1）", reverse("campaign:plan-list"), owed=False)]
    return []


def _reporting_items(user, org, period):
    url = f"{reverse('reports:reporting', args=[org.pk])}?period={period.pk}"
    items = []
    if org.level in (OrgLevel.TOWNSHIP, OrgLevel.COUNTY) and user.can_edit:
        own = ProgressSubmission.objects.filter(period=period, org=org).values("status", "return_reason").first()
        what = "本乡镇" if org.level == OrgLevel.TOWNSHIP else "本县区"
        if own is None:
            items.append(Todo(f"提交{what}{period.label}的附件3", url, due_on=period.due_on))
        elif own["status"] == SubmissionStatus.RETURNED:
            items.append(Todo(f"{what}{period.label}的附件3被退回，请修改后重新提交", url, due_on=period.due_on,
                              reason=own["return_reason"]))
    if org.level != OrgLevel.TOWNSHIP and user.can_manage_users:
        n = ProgressSubmission.objects.filter(period=period, org__parent=org, status=SubmissionStatus.SUBMITTED).count()
        if n:
            lower = "乡镇" if org.level == OrgLevel.COUNTY else "县区"
            items.append(Todo(f"审核 {n} 个{lower}{period.label}的附件3", url, owed=False))
    return items


def _group_items(user, org, today):
    """Join QR codes expiring within QR_WARN_DAYS (or expired), and live groups whose member
    figures are older than this week: one aggregate over the subtree."""
    monday, _ = week_of(today)
    groups = scoped(WechatGroup.objects.filter(org__path__startswith=org.path, status__in=BUILT), user)
    counts = groups.aggregate(
        qr=Count("pk", filter=Q(qr_expires_on__lte=today + timedelta(days=QR_WARN_DAYS)) & ~Q(qr_code="")),
        stale=Count("pk", filter=Q(members_as_of__isnull=True) | Q(members_as_of__lt=monday)),
    )
    items = []
    if counts["qr"]:
        items.append(Todo(f"{counts['qr']} 个微信群的入群二维码已过期或即将过期，请更新", reverse("ledger:groups", args=[org.pk]),
                          due_on=today + timedelta(days=QR_WARN_DAYS)))
    if counts["stale"] and org.level != OrgLevel.CITY and org.level != OrgLevel.PROVINCE:
        items.append(Todo(f"{counts['stale']} 个微信群本周（{monday:%m月%d日}起）还没有填成员数", reverse("ledger:weekly", args=[org.pk]),
                          due_on=monday + timedelta(days=6)))
    return items

