"""The official forms 附件1/2/3 on screen, printable (`?print=1`) and as .xlsx, for any org
in scope and any date (`?as_of=YYYY-MM-DD`, default today; 附件3 also `?from=` for a
period, default cumulative). A county's own forms; above a county (the city) every
county's. An org below a county (township, village, 直属) is sent to its county's form
when that county is in scope, else 404: the forms are filled in per county.

The tables are drawn from the layout declarations (reports/layouts): the merged header
of 附件3 comes from TableLayout.header_cells(), as in the Excel export."""
import tempfile
from datetime import date

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from qingnong.audit.services import audit_export
from qingnong.lib.dates import today
from qingnong.lib.xlsx import write_workbook
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import get_scoped_or_404, in_scope
from qingnong.org.selectors import breadcrumbs, root_orgs

from . import plan, progress, roster, workbooks
from .layouts import get as get_layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_LEVELS = (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY)


def reports_home(request):
    """The forms of the user's own org (a superuser's: the top of the tree); below a
    county, of the county when it is in scope."""
    org = request.user.org if request.user.org_id else root_orgs(request.user).first()
    if org is None:
        return redirect("portal:org-tree")
    above = org if org.level in FORM_LEVELS else _form_org_above(org)
    if above is None or not in_scope(request.user, above):
        return render(request, "reports/form_none.html", {"org": org})
    return redirect("reports:forms", org_id=above.pk)


def forms_index(request, org_id):
    org, bounce = _form_org(request, org_id, "reports:forms")
    if bounce:
        return bounce
    return render(request, "reports/form_index.html", {
        "org": org, "is_county": org.level == OrgLevel.COUNTY, "crumbs": breadcrumbs(request.user, org),
    })


def progress_view(request, org_id):
    org, bounce = _form_org(request, org_id, "reports:progress")
    if bounce:
        return bounce
    as_of, start, problems = _dates(request, period=True)
    layout = get_layout("progress")
    if org.level == OrgLevel.COUNTY:
        form = progress.progress_form(org, as_of=as_of, start=start, header=_filler(org))
    else:
        counties = roster.counties_of(org, user=request.user)
        county_forms = [progress.progress_form(c, as_of=as_of, start=start) for c in counties]
        form = progress.city_progress(org, county_forms=county_forms, as_of=as_of, start=start, header=_filler(org))
        layout = workbooks.summary_layout(layout, org)
    return _render(request, "reports/form_progress.html", org, layout, as_of, problems, {
        "form": form, "start": start, "note": form.period_label, "header": form.header,
        "head": _head(layout), "body": _progress_body(layout, form, link=org.level != OrgLevel.COUNTY),
        "foot": [(f.label, _cells(layout, form.footers.get(f.key, {}))) for f in layout.footers],
        "imported": any(r["source"] == "import" for r in form.rows),
        "month_start": as_of.replace(day=1),
    })


def roster_view(request, org_id):
    org, bounce = _form_org(request, org_id, "reports:roster")
    if bounce:
        return bounce
    as_of, _, problems = _dates(request)
    layout = get_layout("roster")
    form = roster.roster_form(org, as_of=as_of, user=request.user)
    body = [{"org": r["org"], "missing": r.get("account") is None, "cells": _cells(layout, r)[1:]} for r in form.rows]
    return _render(request, "reports/form_roster.html", org, layout, as_of, problems, {
        "form": form, "note": form.note, "header": form.header, "head": _head(layout), "body": body,
        "blank_rows": range(max(0, layout.blank_rows - len(body))),
    })


def plan_view(request, org_id):
    org, bounce = _form_org(request, org_id, "reports:plan")
    if bounce:
        return bounce
    as_of, _, problems = _dates(request)
    layout = get_layout("plan")
    if org.level == OrgLevel.COUNTY:
        form = plan.plan_form(org, as_of=as_of)
        context = {"form": form, "note": form.note, "header": form.header,
                   "fields": [(f, form.values.get(f.key)) for f in layout.fields]}
    else:
        campaign, forms = plan.plan_forms(org, as_of=as_of, user=request.user)
        table = workbooks.plan_table_layout(layout)
        context = {"forms": forms, "campaign": campaign, "note": forms[0].note if forms else "", "header_line": [],
                   "head": _head(table), "body": [{"org": f.org, "missing": f.plan is None, "cells": _cells(table, f.values)[1:]}
                                                  for f in forms]}
    return _render(request, "reports/form_plan.html", org, layout, as_of, problems, context)


def form_xlsx(request, org_id, code):
    """The form as an .xlsx download, written to a temporary file (rows streamed)."""
    org, bounce = _form_org(request, org_id, f"reports:{code}-xlsx")
    if bounce:
        return bounce
    as_of, start, _ = _dates(request, period=code == "progress")
    sheets, file_name = workbooks.export_sheets(code, org, as_of=as_of, start=start, user=request.user)
    audit_export(org=org, user=request.user, what=f" {file_name}")
    target = tempfile.TemporaryFile()
    write_workbook(target, sheets)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=file_name, content_type=XLSX)


def _form_org(request, org_id, url_name):
    """(org, None) for a county or above in scope; (None, redirect) from an org below a
    county to its county's form when that is in scope; 404 otherwise."""
    org = get_scoped_or_404(Org.objects.all(), request.user, pk=org_id)
    if org.level in FORM_LEVELS:
        return org, None
    above = _form_org_above(org)
    if above is None or not in_scope(request.user, above):
        raise Http404("报表按县区填报：您的权限范围内没有这个组织所在的县区。")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return None, redirect(reverse(url_name, kwargs={"org_id": above.pk}) + query)


def _form_org_above(org):
    """The nearest county (or city) above `org`: whose forms cover it."""
    return Org.objects.filter(path__in=org.ancestor_paths(), level__in=FORM_LEVELS).order_by("-depth").first()


def _dates(request, *, period=False):
    """(as_of, start or None, problems): `?as_of=` (default today) and, for 附件3, `?from=`."""
    problems = []

    def parse(name, default):
        raw = request.GET.get(name, "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            problems.append(f"“{raw}”不是有效日期（格式如 2014-11-30），已按默认处理。")
            return default

    as_of = parse("as_of", today())
    start = parse("from", None) if period else None
    if start and start > as_of:
        problems.append("开始日期晚于填报日期，已按累计统计。")
        start = None
    return as_of, start, problems


def _filler(org):
    """填表人 and 联系方式 of `org`'s form: the county's own (progress.fillers_of)."""
    return progress.fillers_of([org])[org.pk]


def _render(request, template, org, layout, as_of, problems, context):
    printing = bool(request.GET.get("print"))
    return render(request, template, {
        "org": org, "layout": layout, "as_of": as_of, "problems": problems, "printing": printing,
        "base": "reports/form_print.html" if printing else "base.html", "download_url": f"reports:{layout.code}-xlsx",
        "header_line": [(f.label, context.get("header", {}).get(f.key, "")) for f in layout.header_fields],
        "query": request.GET.urlencode(), "crumbs": [] if printing else breadcrumbs(request.user, org),
        **context,
    })


def _head(layout):
    """The merged header as table rows: [[{"text", "rowspan", "colspan", "first"}]]."""
    rows = [[] for _ in range(layout.depth)]
    for r, c, last_r, last_c, text in layout.header_cells():
        rows[r].append({"text": text, "rowspan": last_r - r + 1, "colspan": last_c - c + 1, "first": c == 0})
    return rows


def _cells(layout, values):
    return [{"value": values.get(c.key), "num": c.kind == "int"} for c in layout.columns]


def _progress_body(layout, form, *, link):
    body = []
    for row in form.rows:
        cells = _cells(layout, row)[1:]
        for cell, column in zip(cells, layout.columns[1:]):
            if column.key in row.get("differs", ()):
                cell.update(differs=True, ledger=row["ledger"][column.key])
        body.append({"org": row["org"], "name": row["name"], "imported": row["source"] == "import", "link": link,
                     "provenance": row.get("provenance", ""), "cells": cells})
    return body


urls = [
    path("", reports_home, name="home"),
    path("orgs/<int:org_id>/", forms_index, name="forms"),
    path("orgs/<int:org_id>/plan/", plan_view, name="plan"),
    path("orgs/<int:org_id>/plan.xlsx", form_xlsx, {"code": "plan"}, name="plan-xlsx"),
    path("orgs/<int:org_id>/roster/", roster_view, name="roster"),
    path("orgs/<int:org_id>/roster.xlsx", form_xlsx, {"code": "roster"}, name="roster-xlsx"),
    path("orgs/<int:org_id>/progress/", progress_view, name="progress"),
    path("orgs/<int:org_id>/progress.xlsx", form_xlsx, {"code": "progress"}, name="progress-xlsx"),
]
