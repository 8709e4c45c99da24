"""Writes of reported 附件3 figures (ledger.ProgressReport and its ReportedProgress rows):
an Excel import and a township's submission each record one report; a report can be
withdrawn. Rows are only ever added, so withdrawing a report brings back what stood before."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.org.models import Org
from qingnong.org.scoping import in_scope, require_edit, scoped

from ..models import REPORTED_FIGURE_KEYS, ProgressReport, ReportedProgress

COUNT_FIELDS = ["branch_count", "cadre_count", "youth_count", "group_count"]


@transaction.atomic
def progress_report_record(*, user, county, as_of, source, rows, submitted_at=None, unchanged=()):
    """One report of `county` as of `as_of`: `rows` is {township id: {column key: n}}; one
    INSERT for the report and one for its rows, whatever their number. The townships in
    `unchanged` re-sent the figures that stood: kept, but not counted as their update."""
    if user is not None:  # the county's staff, or a township's for its own row
        require_edit(user, county) if in_scope(user, county) else _require_rows(user, rows)
    report = ProgressReport.objects.create(org=county, as_of=as_of, source=source, submitted_by=user,
                                           submitted_at=submitted_at or timezone.now())
    ReportedProgress.objects.bulk_create([
        ReportedProgress(report=report, org_id=org_id, as_of=as_of, **{f: values[f] for f in COUNT_FIELDS},
                         figures={k: values[k] for k in REPORTED_FIGURE_KEYS}, changed=org_id not in unchanged)
        for org_id, values in rows.items()
    ])
    return report


def _require_rows(user, rows):
    if scoped(Org.objects.filter(pk__in=list(rows)), user).count() != len(rows):
        raise Http404("记录不存在或不在您的权限范围内")
    if not user.can_edit:
        raise PermissionDenied("您的账号为查看员，只能查看，不能修改。")


@transaction.atomic
def progress_report_withdraw(*, user, report, note=""):
    """Take a report back: its rows stand nowhere from now on, so each township's earlier
    report (or the ledger) stands again. Recorded in the county's 操作记录."""
    report = ProgressReport.objects.select_for_update().select_related("org").get(pk=report.pk)
    if user is not None:
        require_edit(user, report.org)
    if report.withdrawn_at:
        raise ValidationError(f"这份上报已在 {timezone.localtime(report.withdrawn_at):%Y-%m-%d %H:%M} 撤回。")
    report.withdrawn_at, report.withdrawn_by = timezone.now(), user
    report.save(update_fields=["withdrawn_at", "withdrawn_by"])
    n = report.rows.count()
    audit_log(obj=report.org, action=AuditAction.WITHDRAW, user=user,
              changes={"附件3 上报": [f"{report.get_source_display()}（截至 {report.as_of:%Y-%m-%d}，{n} 个乡镇）", "已撤回"]},
              note=note or f"撤回{report.get_source_display()}的附件3（截至 {report.as_of:%Y-%m-%d}，{n} 个乡镇）")
    return report
