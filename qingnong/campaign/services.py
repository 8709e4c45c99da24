"""Campaign writes: the default 2014 plan, edits and copies by the city, and the 附件1
workflow 草稿 → 已提交 → 退回 → 已审核. Every transition writes a PlanReview row and,
through the plan's history, the audit log."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, save_edit
from qingnong.ledger.models import AccountAdmin, AccountStatus, OfficialAccount
from qingnong.lib.dates import month_end
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope, is_above, is_own_org, require_admin

from .models import Campaign, CountyPlan, Deadline, DeadlineKind, Phase, PhaseKind, PlanReview, PlanStatus, ReportingPeriod
from .submissions import periods_generate_monthly
from django.http import Http404

# 《关于全面推进农村共青团微信体系建设工作的实施方案》（共青团榆林市委，2014年7月23日）
DEFAULT_PHASES = [
    (PhaseKind.SURVEY, (7, 1), (8, 31)),  # 联系摸底（2014年7月-8月）
    (PhaseKind.BUILD, (9, 1), (10, 31)),  # 全面建设（2014年9月-10月）
    (PhaseKind.INSPECTION, (11, 1), (11, 30)),  # 检查验收（2014年11月）
]
DEFAULT_DEADLINES = [
    (DeadlineKind.PLAN_DUE, (8, 20)),  # 于8月20日前将计划表（附件1）发送至青工农部邮箱
    (DeadlineKind.WORK_GROUPS, (9, 30)),  # 9月底前，青农微信群建成
    (DeadlineKind.YOUTH_GROUPS, (10, 31)),  # 10月底前，力争团青微信群建立90%以上
    (DeadlineKind.ACCOUNT, (10, 31)),  # 团县委设立微信公共号（全面建设阶段）
]
PLAN_FIELDS = [
    "county_name", "account_opened", "account_type", "account_name", "wechat_lead", "admins_contact",
    "planned_county_youth_groups", "planned_county_work_groups", "township_count", "planned_township_youth_groups",
    "planned_township_work_groups", "planned_direct_groups", "planned_village_groups", "filled_by", "contact",
]


@transaction.atomic
def campaign_create_default(*, org, year=2014, user=None):
    """The 2014 Yulin plan's phases, deadlines and targets, for `org` (a city) in `year`."""
    campaign = Campaign(org=org, year=year, name=f"{year}年农村共青团微信体系建设")
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    Phase.objects.bulk_create([Phase(campaign=campaign, kind=k, starts_on=date(year, *s), ends_on=date(year, *e))
                               for k, s, e in DEFAULT_PHASES])
    Deadline.objects.bulk_create([Deadline(campaign=campaign, kind=k, due_on=date(year, *d)) for k, d in DEFAULT_DEADLINES])
    periods_generate_monthly(user=None, campaign=campaign)  # 附件3 reported monthly over the phases
    return campaign


@transaction.atomic
def campaign_update(*, user, campaign, expected_version, targets, phases, deadlines):
    """The city admin edits targets ({field: value}), phases ({kind: (start, end)}) and
    deadlines ({kind: date})."""
    require_admin(user, campaign.org)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, expected_version)
    for field, value in targets.items():
        setattr(campaign, field, value)
    # Phases and deadlines have no history of their own: their changes go into the audit
    # log here, or a dates-only edit would leave no trace (the campaign row shows only a
    # version bump, which the audit handler skips).
    old_phases = {p.kind: p for p in campaign.phases.all()}
    old_deadlines = {d.kind: d.due_on for d in campaign.deadlines.all()}
    dates_changed = {}
    for kind, (starts_on, ends_on) in phases.items():
        if ends_on < starts_on:
            raise ValidationError(f"{PhaseKind(kind).label}的结束日期不能早于开始日期。")
        old = old_phases.get(kind)
        before = (old.starts_on, old.ends_on) if old else (None, None)
        if before != (starts_on, ends_on):
            label = PhaseKind(kind).label
            dates_changed[label] = [_span(*before), _span(starts_on, ends_on)]
        Phase.objects.update_or_create(campaign=campaign, kind=kind, defaults={"starts_on": starts_on, "ends_on": ends_on})
    for kind, due_on in deadlines.items():
        if old_deadlines.get(kind) != due_on:
            dates_changed[f"{DeadlineKind(kind).label}截止"] = [_span(old_deadlines.get(kind)), _span(due_on)]
        Deadline.objects.update_or_create(campaign=campaign, kind=kind, defaults={"due_on": due_on})
    save_edit(campaign, user=user)
    if dates_changed:
        audit_log(obj=campaign, action=AuditAction.UPDATE, user=user, changes=dates_changed, note="修改阶段和截止日期")
    return campaign


def _span(*days):
    return "–".join(d.isoformat() for d in days if d) if any(days) else ""


@transaction.atomic
def campaign_copy(*, user, campaign, year):
    """A new year's campaign with the same targets, its dates moved to `year`."""
    require_admin(user, campaign.org)
    if Campaign.objects.filter(org=campaign.org, year=year).exists():
        raise ValidationError({"year": f"{year}年的建设计划已存在。"})
    shift = year - campaign.year
    copy = Campaign(org=campaign.org, year=year, name=campaign.name.replace(str(campaign.year), str(year)))
    for field in ("youth_groups_per_township", "work_groups_per_county", "youths_per_cadre",
                  "youth_groups_goal_percent", "stale_after_days"):
        setattr(copy, field, getattr(campaign, field))
    copy._history_user = user
    copy.full_clean()
    copy.save()
    Phase.objects.bulk_create([Phase(campaign=copy, kind=p.kind, starts_on=_shift(p.starts_on, shift), ends_on=_shift(p.ends_on, shift))
                               for p in campaign.phases.all()])
    Deadline.objects.bulk_create([Deadline(campaign=copy, kind=d.kind, due_on=_shift(d.due_on, shift)) for d in campaign.deadlines.all()])
    ReportingPeriod.objects.bulk_create([
        ReportingPeriod(campaign=copy, starts_on=_shift(p.starts_on, shift), ends_on=_shift_month_end(p.ends_on, shift),
                        due_on=_shift(p.due_on, shift)) for p in campaign.periods.all()])
    return copy


def _shift_month_end(day, years):
    """A month's last day stays its month's last day (28 February → 29 in a leap year)."""
    return month_end(_shift(day, years)) if day == month_end(day) else _shift(day, years)


def _shift(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# What a county typed on last year's 附件1 and the ledger cannot give: its new plan starts there (issue 18).
CARRIED_FROM_LAST_YEAR = ["wechat_lead", "filled_by", "contact", "planned_county_youth_groups",
                          "planned_township_work_groups", "planned_direct_groups", "planned_village_groups"]


def plan_prefill(*, campaign, county):
    """A new plan's values: what the county wrote on its latest earlier plan (the lead, the
    filler, the planned numbers), then from the ledger county name, township count, the
    account and its admin team (附件1's 管理员姓名及联系方式: one line each, 专职 first), so
    nothing already known is typed again."""
    last = (CountyPlan.objects.filter(org=county, campaign__org=campaign.org, campaign__year__lt=campaign.year)
            .order_by("-campaign__year").first())
    carried = {f: getattr(last, f) for f in CARRIED_FROM_LAST_YEAR} if last else {}
    official_account = OfficialAccount.objects.filter(org=county).first()
    admins = (AccountAdmin.objects.filter(account=official_account).select_related("cadre").order_by("role", "cadre__name")
              if official_account else [])
    return {
        **carried,
        "admins_contact": "\n".join(f"{a.cadre.name} {a.cadre.mobile}".strip() for a in admins),
        "county_name": county.name,
        "township_count": Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).count(),
        "account_opened": bool(official_account and official_account.status == AccountStatus.OPENED),
        "account_type": official_account.account_type if official_account else "",
        "account_name": official_account.name if official_account else f"青农{county.name[:-1] if len(county.name) > 2 else county.name}",
        "planned_county_work_groups": campaign.work_groups_per_county,
        "planned_township_youth_groups": campaign.youth_groups_per_township * Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).count(),
    }


def _require_county(user, plan_or_county):
    county = getattr(plan_or_county, "org", plan_or_county)
    if not in_scope(user, county):
        raise Http404("记录不存在或不在您的权限范围内")
    if not (is_own_org(user, county) and user.can_edit):
        raise PermissionDenied("计划表由县区团委本级的管理员或填报员填写。")


def _require_reviewer(user, plan):
    if not in_scope(user, plan.org):
        raise Http404("记录不存在或不在您的权限范围内")
    if not (is_above(user, plan.org) and user.can_manage_users):
        raise PermissionDenied("计划表由上级团委管理员审核。")


def _transition(plan, *, user, to_status, reason=""):
    review = PlanReview(plan=plan, from_status=plan.status, to_status=to_status, by=user, reason=reason)
    plan.status = to_status
    plan.version += 1
    plan._history_user = user
    plan.save()
    review.save()
    return plan


@transaction.atomic
def plan_save(*, user, campaign, county, expected_version, **fields):
    """Create or update the county's draft. Only the county itself, only while editable."""
    _require_county(user, county)
    # Lock the plan row only (the model orders by org__path: a plain FOR UPDATE would lock the org row too).
    plan = CountyPlan.objects.select_for_update(of=("self",)).filter(campaign=campaign, org=county).order_by("pk").first()
    if plan is None:
        plan = CountyPlan(campaign=campaign, org=county)
    else:
        check_version(plan, expected_version)
        if not plan.is_editable():
            raise ValidationError(f"计划表{plan.get_status_display()}，不能修改。")
        plan.version += 1
    for field in PLAN_FIELDS:
        if field in fields:
            setattr(plan, field, fields[field])
    if not plan.account_opened:
        plan.account_type = ""
    plan.full_clean()
    plan._history_user = user
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, user, plan):
    """草稿/退回 → 已提交; a first submission after the 附件1 deadline is flagged 逾期."""
    _require_county(user, plan)
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_editable():
        raise ValidationError(f"计划表{plan.get_status_display()}，不能再次提交。")
    if not plan.wechat_lead:
        raise ValidationError({"wechat_lead": "提交前请填写区县微信负责人。"})
    now = timezone.now()
    due = Deadline.objects.filter(campaign=plan.campaign, kind=DeadlineKind.PLAN_DUE).values_list("due_on", flat=True).first()
    # Timeliness is the first submission's: a county that reported on time and was asked
    # to correct something is not late for sending the correction after the deadline.
    if not plan.reviews.filter(to_status=PlanStatus.SUBMITTED).exists():
        plan.is_late = bool(due and timezone.localdate(now) > due)
    plan.submitted_at = now
    return _transition(plan, user=user, to_status=PlanStatus.SUBMITTED)


@transaction.atomic
def plan_return(*, user, plan, reason):
    """已提交 → 退回, with the reason the county sees."""
    _require_reviewer(user, plan)
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("只有已提交的计划表可以退回。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明退回原因。"})
    plan.return_reason = reason.strip()
    plan.reviewed_at = timezone.now()
    return _transition(plan, user=user, to_status=PlanStatus.RETURNED, reason=reason.strip())


@transaction.atomic
def plan_approve(*, user, plan):
    """已提交 → 已审核; the plan is then locked."""
    _require_reviewer(user, plan)
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("只有已提交的计划表可以审核通过。")
    plan.reviewed_at = timezone.now()
    plan.return_reason = ""
    return _transition(plan, user=user, to_status=PlanStatus.APPROVED)


@transaction.atomic
def plan_unlock(*, user, plan, reason):
    """已审核 → 退回: the city reopens an approved plan for changes (audited, with a reason)."""
    _require_reviewer(user, plan)
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError("只有已审核的计划表需要解锁。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明解锁原因。"})
    plan.return_reason = reason.strip()
    return _transition(plan, user=user, to_status=PlanStatus.RETURNED, reason=f"解锁：{reason.strip()}")
