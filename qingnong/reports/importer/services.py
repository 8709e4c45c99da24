"""Import as services: preview (an ImportRun with the problems and the rows as they will be
stored) and confirm (all rows in one transaction, or none)."""
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope, require_edit, scoped

from qingnong.ledger.models import ReportSource
from qingnong.ledger.services.reports import progress_report_record, progress_report_withdraw

from .. import bulk
from ..models import ImportRun, ImportStatus

from .workbook import CFB_MAGIC, FORM_NAMES, Analysis, ImportRefused, MAX_UPLOAD, read_workbook
from .progress import analyse_progress
from .plan import analyse_plan
from qingnong.campaign.models import Campaign, CountyPlan
from qingnong.campaign.services import plan_save
from qingnong.campaign.submissions import imported_rows_approve, imported_rows_undo


def county_for(org):
    """The county an import for `org` belongs to: itself, or the county above it."""
    if org.level == OrgLevel.COUNTY:
        return org
    if org.level in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT):
        return Org.objects.filter(path__in=org.ancestor_paths(), level=OrgLevel.COUNTY).first()
    return None


def _read(file):
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD:
        raise ImportRefused(f"文件太大（{size / 1024 / 1024:.1f} MB），最大 10 MB。附件表格通常只有几十 KB，请检查是否选错了文件。")
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_UPLOAD + 1)


def analyse(*, user, org, form_code, data, as_of=None):
    """Read `data` as the `form_code` form of `org` (a county); no writes. ImportRefused for
    a file that cannot be read as that form at all."""
    if form_code not in FORM_NAMES:
        raise ValidationError("只能导入附件1（计划表）或附件3（跟踪摸底表）。")
    if org.level != OrgLevel.COUNTY:
        raise ValidationError("附件1、附件3 按县区导入：请选择一个县区。")
    if user is not None:
        require_edit(user, org)
    grids = read_workbook(data)
    if form_code == "progress":
        return analyse_progress(grids, county=org, as_of=as_of)
    return analyse_plan(grids, county=org, user=user)


def import_preview(*, user, org, form_code, file, as_of=None):
    """Save the upload as an ImportRun: the file, its problems and the rows as they will be
    stored (status 待确认, or 有错误). Nothing else changes until import_confirm. A file that
    cannot be read at all raises ImportRefused and leaves no run behind."""
    data = _read(file)
    analysis = analyse(user=user, org=org, form_code=form_code, data=data, as_of=as_of)
    return run_save(user=user, analysis=analysis, data=data, file_name=_file_name(file))


def bulk_preview(*, user, org, code, file):
    """A filled-in bulk template (reports.bulk) as an ImportRun to preview, like a form's."""
    require_edit(user, org)
    data = _read(file)
    listing = bulk.LISTS[code]
    found = bulk.analyse(listing, read_workbook(data), county=org)
    analysis = Analysis(code, org, None, bulk.preview(listing, found), list(found.problems))
    return run_save(user=user, analysis=analysis, data=data, file_name=_file_name(file))


def _file_name(file):
    name = getattr(file, "name", "") or "upload.xlsx"
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def run_save(*, user, analysis, data, file_name):
    run = ImportRun(org=analysis.org, form_code=analysis.form_code, file_name=file_name, as_of=analysis.as_of,
                    status=ImportStatus.FAILED if analysis.errors else ImportStatus.PREVIEWED,
                    problems=analysis.problems, preview=analysis.preview, created_by=user)
    suffix = ".xls" if data.startswith(CFB_MAGIC) else ".xlsx"
    run.file.save(f"{analysis.form_code}-{analysis.org.code or analysis.org.pk}{suffix}", ContentFile(data), save=False)
    run.save()
    return run


@transaction.atomic
def import_confirm(*, user, run):
    """Write the previewed rows, all in one transaction or none: 附件3 → one ReportedProgress
    per township for the run's date (replacing an earlier import of that date); 附件1 → the
    county's plan through campaign.services.plan_save (a draft, only while editable). The
    run's confirmed_at is the org's submission time; the org's audit log gets the counts."""
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("org").get(pk=run.pk)
    if user is not None:
        require_edit(user, run.org)
    if run.status == ImportStatus.IMPORTED:
        raise ValidationError(f"这份文件已经在 {timezone.localtime(run.confirmed_at):%Y-%m-%d %H:%M} 导入过了，不能重复导入。")
    if run.status == ImportStatus.CANCELLED:
        raise ValidationError("这次导入已取消。如需导入，请重新上传文件。")
    if run.status == ImportStatus.FAILED or run.errors:
        raise ValidationError("表中还有错误，不能导入。请改正后重新上传。")
    run.confirmed_at = timezone.now()
    if run.form_code == "progress":
        written, note = _write_progress(user, run)
    elif run.form_code in bulk.WRITERS:
        written = bulk.WRITERS[run.form_code](user=user, county=run.org, rows=run.preview.get("rows", []))
        note = f"{written} 行"
    else:
        written, note = _write_plan(user, run)
    run.status = ImportStatus.IMPORTED
    run.rows_written = written
    run.save(update_fields=["status", "rows_written", "confirmed_at", "report"])
    changed = run.preview.get("counts", {}).get("changed", 0)
    what = FORM_NAMES.get(run.form_code) or run.get_form_code_display()
    audit_log(obj=run.org, action=AuditAction.IMPORT, user=user, changes={what: ["", f"{note}，{changed} 处与原数据不同"]},
              note=f"Excel 导入{what}（{run.file_name}，导入记录 #{run.pk}）：{note}")
    return run


def _write_progress(user, run):
    """One ledger report of the county as of the sheet's date, a row per township. Earlier
    reports are kept: undoing this import (import_withdraw) brings them back."""
    rows = run.preview.get("rows", [])
    as_of = date.fromisoformat(run.preview["as_of"])
    ids = [r["org_id"] for r in rows]
    townships = set(Org.objects.filter(parent=run.org, level=OrgLevel.TOWNSHIP, pk__in=ids).values_list("pk", flat=True))
    if townships != set(ids):
        raise ValidationError("组织树在预览之后有变化（有乡镇被删除或移动），请重新上传。")
    run.report = progress_report_record(user=user, county=run.org, as_of=as_of, source=ReportSource.EXCEL,
                                        rows={row["org_id"]: row["values"] for row in rows}, submitted_at=run.confirmed_at,
                                        unchanged={row["org_id"] for row in rows if not row.get("changed")})
    # The import is the county's submission of these rows for the period holding its date.
    imported_rows_approve(user=user, county=run.org, as_of=as_of, report=run.report, township_ids=ids, at=run.confirmed_at)
    return len(rows), f"{len(rows)} 个乡镇（截至 {as_of:%Y-%m-%d}）"


def _write_plan(user, run):
    if user is None:
        raise ValidationError("计划表由县区团委本级的账号导入。")
    campaign = Campaign.objects.get(pk=run.preview["campaign_id"])
    if run.preview["plan_id"] is None and CountyPlan.objects.filter(campaign=campaign, org=run.org).exists():
        raise ValidationError("预览之后计划表已被他人填写，请重新上传后再确认。")
    plan_save(user=user, campaign=campaign, county=run.org,
              expected_version=run.preview["plan_version"] if run.preview["plan_id"] else None, **run.preview["values"])
    return 1, f"计划表（{campaign.year}年）已保存为草稿"


@transaction.atomic
def import_withdraw(*, user, run):
    """Undo a confirmed 附件3 import: its report is withdrawn, so what stood before it (an
    earlier report, or the ledger) stands again. The run and its file stay, marked 已撤回."""
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("org", "report").get(pk=run.pk)
    require_edit(user, run.org)
    if run.status != ImportStatus.IMPORTED or run.report is None:
        raise ValidationError("只有已导入的附件3可以撤回。")
    imported_rows_undo(user=user, report=run.report)
    run.report = progress_report_withdraw(user=user, report=run.report,
                             note=f"撤回 Excel 导入的附件3（{run.file_name}，导入记录 #{run.pk}）：各乡镇恢复为此前的上报数或台帐数")
    run.status = ImportStatus.WITHDRAWN
    run.save(update_fields=["status"])
    return run


@transaction.atomic
def import_cancel(*, user, run):
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("org").get(pk=run.pk)
    require_edit(user, run.org)
    if run.status == ImportStatus.IMPORTED:
        raise ValidationError("已经导入的文件不能取消。")
    run.status = ImportStatus.CANCELLED
    run.save(update_fields=["status"])
    return run


def import_runs(user, org, *, limit=10):
    """The latest imports of `org`, as `user` may see them (a selector)."""
    if not in_scope(user, org):
        return ImportRun.objects.none()
    return scoped(ImportRun.objects.select_related("created_by"), user).filter(org=org)[:limit]
