"""批量导入 (issue 12, "fill once"): the ledger lists a county sets up once, as a template to
download and a filled-in file to upload. The upload becomes an ImportRun to preview and
confirm on the import pages, like a form's (reports.bulk declares each list)."""
import tempfile

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.xlsx import write_workbook
from qingnong.org.models import Org
from qingnong.org.scoping import in_scope

from . import bulk, importer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BulkUploadForm(forms.Form):
    file = forms.FileField(label="填好的模板（.xlsx、.xls 或 .ods）")


def _listing(code):
    listing = bulk.LISTS.get(code)
    if listing is None:
        raise Http404("没有这种批量导入")
    return listing


def _county(request, org_id, *, rw=False):
    """(county, redirect): bulk lists are a county's; below a county, the same page of the
    county above when the user sees it (else 404)."""
    org = get_for_user(request, Org.objects.all(), org_id, rw=rw)
    county = importer.county_for(org)
    if county is None or not in_scope(request.user, county):
        raise Http404("批量导入按县区进行：请从县区页面进入")
    return county, (None if county.pk == org.pk else redirect(request.resolver_match.view_name,
                                                               org_id=county.pk, code=request.resolver_match.kwargs["code"]))


@role_required(Role.REPORTER, after_scope=True)
def bulk_upload(request, org_id, code):
    (county, bounce), listing = _county(request, org_id, rw=True), _listing(code)
    if bounce:
        return bounce
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = importer.bulk_preview(user=request.user, org=county, code=code, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("reports:import-detail", run_id=run.pk)
    return render(request, "reports/bulk_upload.html", {"org": county, "listing": listing, "form": form})


def bulk_template(request, org_id, code):
    (county, bounce), listing = _county(request, org_id), _listing(code)
    if bounce:
        return bounce
    target = tempfile.TemporaryFile()
    write_workbook(target, [listing.template(county)])
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=f"{county.name}-{listing.title}模板-{today():%Y-%m-%d}.xlsx",
                        content_type=XLSX)


urls = [
    path("orgs/<int:org_id>/bulk/<str:code>/", bulk_upload, name="bulk-upload"),
    path("orgs/<int:org_id>/bulk/<str:code>/template.xlsx", bulk_template, name="bulk-template"),
]
