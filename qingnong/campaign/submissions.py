"""The reporting cycle of 附件3 (writes): the campaign's reporting periods, and each period's
submissions up the hierarchy — a township submits its row, the county returns it with a
reason or approves it; the county then submits its 附件3 to the city, which returns or
approves it. Approved is locked until the level above unlocks it, with a reason. Every
transition writes a SubmissionReview row and, through the submission's history, the audit
log. The figures a township submits are a ledger report (ledger.services.reports), so they
stand in every form until superseded."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from qingnong.ledger.models import ReportSource
from qingnong.lib.dates import month_end, month_of, today
from qingnong.ledger.services.reports import progress_report_record
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope, is_own_org, is_parent, require_admin

from .models import ProgressSubmission, ReportingPeriod, SubmissionReview, SubmissionStatus

DUE_AFTER_DAYS = 5  # a month's 附件3 is due five days after the month ends (the city may change each period)


def monthly_periods(first, last):
    """[(starts_on, ends_on, due_on)] for the calendar months from `first` to `last`."""
    periods, start = [], month_of(first)
    while start <= last:
        end = month_end(start)
        periods.append((start, end, end + timedelta(days=DUE_AFTER_DAYS)))
        start = end + timedelta(days=1)
    return periods


@transaction.atomic
def periods_generate_monthly(*, user, campaign):
    """Monthly periods over the campaign's phases, replacing its periods while none has a
    submission (a period that has one is kept as it is)."""
    if user is not None:
        require_admin(user, campaign.org)
    days = [p.starts_on for p in campaign.phases.all()] + [p.ends_on for p in campaign.phases.all()]
    if not days:
        raise ValidationError("建设计划还没有阶段日期，无法生成报告期。")
    if ProgressSubmission.all_objects.filter(period__campaign=campaign).exists():
        raise ValidationError("已有报告期收到报送，不能重新生成。")
    campaign.periods.all().delete()
    return ReportingPeriod.objects.bulk_create([
        ReportingPeriod(campaign=campaign, starts_on=s, ends_on=e, due_on=d) for s, e, d in monthly_periods(min(days), max(days))
    ])


def period_as_of(period):
    """The date a period's figures are read as of: its last day, or today while it runs."""
    return min(period.ends_on, today())


def _transition(submission, *, user, to_status, reason=""):
    from_status = submission.status if submission.pk else ""
    submission.status = to_status
    submission.version += 1 if submission.pk else 0
    submission._history_user = user
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # two first submissions at once: the other one won
        raise ValidationError(f"{submission.org.name}{submission.period.label}的附件3刚刚已由他人提交，请刷新页面查看。")
    SubmissionReview.objects.create(submission=submission, from_status=from_status, to_status=to_status, by=user, reason=reason)
    return submission


def _require_own(user, org, what):
    if not in_scope(user, org):
        raise Http404("记录不存在或不在您的权限范围内")
    if not (is_own_org(user, org) and user.can_edit):
        raise PermissionDenied(f"{what}由{org.name}本级的管理员或填报员提交。")


def _require_reviewer(user, org):
    """The level directly above reviews: the county its townships, the city its counties."""
    if not in_scope(user, org):
        raise Http404("记录不存在或不在您的权限范围内")
    if not (is_parent(user, org) and user.can_manage_users):
        raise PermissionDenied(f"{org.name}的附件3由{org.parent.name if org.parent_id else '上级'}团委管理员审核。")


def _locked_row(period, org):
    return (ProgressSubmission.objects.select_for_update(of=("self",)).filter(period=period, org=org)
            .order_by("pk").first())


def _submit(submission, *, user, period, org, now):
    if submission is None:
        submission = ProgressSubmission(period=period, org=org, submitted_at=now, is_late=timezone.localdate(now) > period.due_on)
    elif submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(f"{period.label}的附件3已提交，等待上级审核。")
    elif submission.status == SubmissionStatus.APPROVED:
        raise ValidationError(f"{period.label}的附件3已审核，已锁定。如需修改，请上级团委解锁。")
    # Timeliness is the first submission's: a correction after a return is not late.
    submission.submitted_at, submission.submitted_by, submission.return_reason = now, user, ""
    return submission


@transaction.atomic
def township_submit(*, user, period, township, figures):
    """A township submits its 附件3 row for `period` (`figures`: {column key: n}, as its
    row of the county's form shows them): the row becomes a report of the county that
    stands until superseded, and the county sees it to review."""
    if township.level != OrgLevel.TOWNSHIP:
        raise ValidationError("只有乡镇提交本乡镇的附件3。")
    _require_own(user, township, "附件3")
    now = timezone.now()
    submission = _submit(_locked_row(period, township), user=user, period=period, org=township, now=now)
    county = township.parent
    submission.report = progress_report_record(user=user, county=county, as_of=period_as_of(period),
                                               source=ReportSource.MANUAL, rows={township.pk: figures}, submitted_at=now)
    return _transition(submission, user=user, to_status=SubmissionStatus.SUBMITTED)


@transaction.atomic
def county_submit(*, user, period, county):
    """The county submits its 附件3 for `period` to the city, once every township's row is
    approved (the message names those that are not)."""
    if county.level != OrgLevel.COUNTY:
        raise ValidationError("只有县区向市里提交附件3。")
    _require_own(user, county, "县区附件3")
    townships = Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP)
    approved = set(ProgressSubmission.objects.filter(period=period, org__in=townships, status=SubmissionStatus.APPROVED)
                   .values_list("org_id", flat=True))
    waiting = [name for pk, name in townships.order_by("code", "name").values_list("pk", "name") if pk not in approved]
    if waiting:
        shown = "、".join(waiting[:5]) + (f"等 {len(waiting)} 个乡镇" if len(waiting) > 5 else "")
        raise ValidationError(f"还有乡镇的附件3未审核通过：{shown}。请先审核各乡镇的报送。")
    submission = _submit(_locked_row(period, county), user=user, period=period, org=county, now=timezone.now())
    return _transition(submission, user=user, to_status=SubmissionStatus.SUBMITTED)


def _review(submission, *, user, expected, refusal):
    _require_reviewer(user, submission.org)
    submission = ProgressSubmission.objects.select_for_update(of=("self",)).select_related("org", "period").get(pk=submission.pk)
    if submission.status != expected:
        raise ValidationError(refusal)
    return submission


def _reason(reason, what):
    if not (reason or "").strip():
        raise ValidationError({"reason": f"请写明{what}。"})
    return reason.strip()


@transaction.atomic
def submission_return(*, user, submission, reason):
    """已提交 → 退回, with the reason the level below sees."""
    reason = _reason(reason, "退回原因")
    submission = _review(submission, user=user, expected=SubmissionStatus.SUBMITTED, refusal="只有已提交的附件3可以退回。")
    submission.return_reason, submission.reviewed_at = reason, timezone.now()
    return _transition(submission, user=user, to_status=SubmissionStatus.RETURNED, reason=reason)


@transaction.atomic
def submission_approve(*, user, submission):
    """已提交 → 已审核: the period's row is locked."""
    submission = _review(submission, user=user, expected=SubmissionStatus.SUBMITTED, refusal="只有已提交的附件3可以审核通过。")
    submission.return_reason, submission.reviewed_at = "", timezone.now()
    return _transition(submission, user=user, to_status=SubmissionStatus.APPROVED)


@transaction.atomic
def submission_unlock(*, user, submission, reason):
    """已审核 → 退回: the level above reopens an approved period (audited, with a reason)."""
    reason = _reason(reason, "解锁原因")
    submission = _review(submission, user=user, expected=SubmissionStatus.APPROVED, refusal="只有已审核的附件3需要解锁。")
    submission.return_reason = reason
    return _transition(submission, user=user, to_status=SubmissionStatus.RETURNED, reason=f"解锁：{reason}")


def imported_rows_approve(*, user, county, as_of, report, township_ids, at):
    """An Excel import of a county's 附件3 is that county's submission of those townships'
    rows for the period holding `as_of`: each row is recorded as submitted and approved by
    the county at the import's time (an approved, locked row is left as it is), so a
    township that reports only by Excel counts as reported. Returns how many were recorded."""
    period = (ReportingPeriod.objects.filter(campaign__org__path__in=county.ancestor_paths(), starts_on__lte=as_of,
                                             ends_on__gte=as_of).order_by("-campaign__year").first())
    if period is None:
        return 0
    existing = {s.org_id: s for s in ProgressSubmission.objects.select_for_update(of=("self",)).filter(
        period=period, org_id__in=township_ids)}
    n = 0
    for org_id in township_ids:
        submission = existing.get(org_id)
        if submission is not None and submission.status == SubmissionStatus.APPROVED:
            continue
        if submission is None:
            submission = ProgressSubmission(period=period, org_id=org_id, is_late=timezone.localdate(at) > period.due_on)
        submission.submitted_at, submission.submitted_by, submission.report = at, user, report
        submission.reviewed_at, submission.return_reason = at, ""
        _transition(submission, user=user, to_status=SubmissionStatus.APPROVED, reason="Excel 导入")
        n += 1
    return n


def imported_rows_undo(*, user, report):
    """Undo imported_rows_approve for a withdrawn import: a submission the import made is
    removed; one it approved goes back to the status it had."""
    now = timezone.now()
    for submission in ProgressSubmission.objects.select_for_update(of=("self",)).filter(report=report):
        last = submission.reviews.order_by("-at", "-id").first()
        if last is None or last.to_status != SubmissionStatus.APPROVED or last.reason != "Excel 导入":
            continue  # reviewed since the import: left to the reviewers
        if not last.from_status:
            submission.deleted_at, submission.deleted_by, submission._history_user = now, user, user
            submission.save(update_fields=["deleted_at", "deleted_by"])
        else:
            _transition(submission, user=user, to_status=last.from_status, reason="撤回 Excel 导入")


def period_for(campaign, day):
    """The campaign's period holding `day`, else the latest that ended before it."""
    periods = list(campaign.periods.all())
    return (next((p for p in periods if p.starts_on <= day <= p.ends_on), None)
            or next((p for p in reversed(periods) if p.ends_on < day), None)
            or (periods[0] if periods else None))
