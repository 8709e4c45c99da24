"""Uploading a filled-in 附件1 or 附件3: upload → preview (every row as it will be stored,
problems at their cells) → confirm (POST, one transaction) → done. The original file
stays on the ImportRun, downloadable by anyone who may see the county.

Imports are per county: an org below a county is sent to its county's page, the city
picks a county. Without JavaScript the form is a plain multipart POST; with it,
static/js/upload-progress.js shows the upload's progress (rural connections are slow)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.files import private_file_response
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped

from . import bulk, importer
from .models import ImportRun, ImportStatus

FORM_CHOICES = [("progress", "附件3 跟踪摸底表（各乡镇数据）"), ("plan", "附件1 计划表")]


class UploadForm(forms.Form):
    form_code = forms.ChoiceField(label="报表", choices=FORM_CHOICES, widget=forms.RadioSelect, initial="progress")
    file = forms.FileField(label="Excel 文件", help_text="填好的 .xlsx、.xls 或 .ods（LibreOffice/WPS 另存的表格也可以），最大 10 MB",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.xlsm,.et,.ods"}))
    as_of = forms.DateField(label="填报日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="附件3：留空则按表中的“填报时间”")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importer.MAX_UPLOAD:
            raise ValidationError(f"文件太大（{upload.size / 1024 / 1024:.1f} MB），最大 10 MB。")
        return upload


def _run_for_user(request, run_id, *, rw=False):
    return get_for_user(request, ImportRun.objects.select_related("org", "created_by"), run_id, rw=rw)


@role_required(Role.REPORTER, after_scope=True)
def import_upload(request, org_id):
    org = get_for_user(request, Org.objects.all(), org_id, rw=True)
    county = importer.county_for(org)
    if county is None:  # the city (or above): choose a county first
        counties = scoped(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=org.path), request.user)
        return render(request, "reports/import_upload.html", {"org": org, "counties": counties.order_by("code")})
    if county.pk != org.pk:
        return redirect("reports:import-upload", org_id=county.pk)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"form_code": request.GET.get("form", "progress")})
    if request.method == "POST" and form.is_valid():
        try:
            run = importer.import_preview(user=request.user, org=county, form_code=form.cleaned_data["form_code"],
                                          file=form.cleaned_data["file"], as_of=form.cleaned_data["as_of"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            url = reverse("reports:import-detail", kwargs={"run_id": run.pk})
            if request.headers.get("X-Upload-Progress"):
                # The page's upload script goes there itself: a redirect would make its request
                # fetch the whole preview once for nothing before the page loads it again.
                return HttpResponse(status=204, headers={"X-Location": url})
            return redirect(url)
    return render(request, "reports/import_upload.html", {
        "org": county, "form": form, "runs": importer.import_runs(request.user, county),
        "max_bytes": importer.MAX_UPLOAD,
    })


def import_detail(request, run_id):
    """The preview of a run waiting for confirmation (or with errors); once imported, the result."""
    run = _run_for_user(request, run_id)
    if run.status in (ImportStatus.IMPORTED, ImportStatus.WITHDRAWN):
        return render(request, "reports/import_done.html", {
            "run": run, "form_url": _form_url(run), "withdrawn": run.status == ImportStatus.WITHDRAWN,
            "can_withdraw": run.status == ImportStatus.IMPORTED and run.form_code == "progress" and request.user.can_edit,
        })
    if run.form_code in bulk.LISTS:
        return render(request, "reports/bulk_preview.html", {
            "run": run, "rows": _bulk_rows(run), "problems": [p for p in run.problems if not p.get("cell")],
            "can_confirm": run.status == ImportStatus.PREVIEWED and request.user.can_edit,
        })
    return render(request, "reports/import_preview.html", {
        "run": run, "table": _preview_table(run), "can_confirm": run.status == ImportStatus.PREVIEWED and request.user.can_edit,
    })


def _bulk_rows(run):
    """The previewed rows, each cell with its problem (if any) beside it."""
    at = {p["cell"]: p for p in run.problems if p.get("cell")}
    columns = run.preview.get("columns", [])
    return [{"row": r["row"], "cells": [{"value": r["shown"].get(c["key"], ""), "problem": at.get(r["cells"].get(c["key"]))}
                                        for c in columns]} for r in run.preview.get("rows", [])]


def _form_url(run):
    """Where the imported figures show: the county's 附件3 (the forms pages), its 附件1, or
    the ledger list a bulk import filled."""
    if run.form_code in bulk.LISTS:
        return reverse(bulk.LISTS[run.form_code].list_url, args=[run.org_id])
    name = "reports:progress" if run.form_code == "progress" else "campaign:plan-detail"
    kwargs = {"org_id": run.org_id} if run.form_code == "progress" else {"county_id": run.org_id}
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
    return f"{url}?as_of={run.as_of:%Y-%m-%d}" if run.form_code == "progress" and run.as_of else url


def _preview_table(run):
    """Rows with each cell's new value, old value, and the level of any problem at it."""
    levels = {}
    for problem in run.problems:
        if not problem["cell"]:  # a problem of the whole file, not of one cell
            continue
        if problem["level"] == "error" or problem["cell"] not in levels:
            levels[problem["cell"]] = problem["level"]
    preview = run.preview
    if preview.get("form") == "plan":
        return [{**line, "level": levels.get(line["cell"])} for line in preview.get("fields", [])]
    columns = preview.get("columns", [])
    rows = []
    for row in preview.get("rows", []):
        cells = []
        for c in columns:
            cell = row["cells"].get(c["key"], "")
            level = levels.get(cell)
            # An invalid cell shows what was typed (issue 17), a blank one the figure that stands.
            cells.append({"value": row.get("texts", {}).get(c["key"], "?") if level == "error" else row["values"][c["key"]],
                          "current": row["current"][c["key"]], "cell": cell, "level": level,
                          "changed": level != "error" and c["key"] in row["changed"], "kept": c["key"] in row.get("blank", [])})
        rows.append({**row, "cells_shown": cells, "level": levels.get(row.get("name_cell"))})
    footers = [{**f, "cells_shown": [f["values"].get(c["key"], "") for c in columns]} for f in preview.get("footers", [])]
    return {"columns": columns, "rows": rows, "footers": footers}


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def import_confirm(request, run_id):
    run = _run_for_user(request, run_id, rw=True)
    try:
        run = importer.import_confirm(user=request.user, run=run)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已导入：{run.get_form_code_display()}，{run.org.name}。")
    return redirect("reports:import-detail", run_id=run.pk)


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def import_cancel(request, run_id):
    run = _run_for_user(request, run_id, rw=True)
    try:
        importer.import_cancel(user=request.user, run=run)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("reports:import-detail", run_id=run.pk)
    messages.success(request, "已取消这次导入，没有写入任何数据。")
    return redirect("reports:import-upload", org_id=run.org_id)


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def import_withdraw(request, run_id):
    """Undo a confirmed 附件3 import (its figures stop counting; what stood before stands)."""
    run = _run_for_user(request, run_id, rw=True)
    try:
        importer.import_withdraw(user=request.user, run=run)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已撤回这次导入：各乡镇恢复为此前的上报数或台帐数。原始文件仍保留。")
    return redirect("reports:import-detail", run_id=run.pk)


def import_file(request, run_id):
    """The original file as uploaded, for those who may see the county (never a /media/ URL)."""
    run = _run_for_user(request, run_id)
    response = private_file_response(run.file, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, run.file_name)
    return response


urls = [
    path("orgs/<int:org_id>/import/", import_upload, name="import-upload"),
    path("imports/<int:run_id>/", import_detail, name="import-detail"),
    path("imports/<int:run_id>/confirm/", import_confirm, name="import-confirm"),
    path("imports/<int:run_id>/cancel/", import_cancel, name="import-cancel"),
    path("imports/<int:run_id>/withdraw/", import_withdraw, name="import-withdraw"),
    path("imports/<int:run_id>/file/", import_file, name="import-file"),
]
