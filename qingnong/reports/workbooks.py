"""The official forms as workbooks: which sheets an export of 附件1/2/3 holds, built from
the forms' declarations (reports/layouts) and written by qingnong.lib.xlsx."""
from dataclasses import replace

from qingnong.lib.sheets import Column, TableLayout
from qingnong.lib.xlsx import Sheet
from qingnong.org.models import OrgLevel

from . import plan, progress, roster
from .layouts import get as form_layout


def plan_table_layout(layout):
    """附件1 as a table, one row per county, for the city's sheet of all plans: the same
    declaration, each field a column."""
    columns = tuple(
        Column(f.key, (f.label,), width=12 if f.kind == "int" else 16, kind="int" if f.kind == "int" else "text")
        for f in layout.fields
    )
    return TableLayout(code=f"{layout.code}_table", attachment=layout.attachment, title=layout.title,
                       header_fields=(), columns=columns, landscape=True)


SUMMARY_FIRST_COLUMN = "县区名称"


def summary_layout(layout, org):
    """附件3 in the words of a city (or province) summing its counties (issue 18): one row
    per county under 县区名称, the header line names 团市委 (not 县(区)团委) and the note
    speaks of counties where a county's speaks of townships."""
    first = replace(layout.columns[0], header=(SUMMARY_FIRST_COLUMN,))
    fields = tuple(replace(f, label=org.get_level_display()) if f.key == "county" else f for f in layout.header_fields)
    note = layout.note.replace("不属于任何乡镇", "不属于任何县区").replace("各乡镇行内", "各县区行内")
    return replace(layout, columns=(first, *layout.columns[1:]), header_fields=fields, note=note)


# What each export holds. A county's 附件3 is one sheet; for a city (or above) the
# workbook has the city summary, one sheet per county (named after it), 附件2 and all
# counties' 附件1 plans.
SHEET_NAMES = {"plan": "附件1 计划表", "roster": "附件2 统计表", "progress": "附件3 跟踪摸底表"}


def progress_sheet(form, *, name=None, layout=None):
    layout = layout or form_layout("progress")
    footers = [(f.label, form.footers.get(f.key, {})) for f in layout.footers]
    return Sheet(name or form.org.name, layout, header=form.header, note=form.period_label, rows=form.rows, footers=footers)


def roster_sheet(form):
    return Sheet(SHEET_NAMES["roster"], form_layout("roster"), header=form.header, note=form.note, rows=form.rows)


def plan_sheet(form):
    return Sheet(form.org.name, form_layout("plan"), header=form.header, note=form.note, values=form.values)


def plans_sheet(forms, *, note=""):
    return Sheet(SHEET_NAMES["plan"], plan_table_layout(form_layout("plan")), note=note, rows=[f.values for f in forms])


def export_sheets(code, org, *, as_of, start=None, user=None, header=None):
    """(sheets, file name) for form `code` of `org` as of `as_of`. A county gets its own
    form; a city (or above) gets every county's. `user` limits the counties to its
    scope (None: a command, which sees all)."""
    header = header or {}
    stamp = f"{as_of:%Y%m%d}"
    if code == "plan":
        if org.level == OrgLevel.COUNTY:
            form = plan.plan_form(org, as_of=as_of)
            form.header = {**form.header, **{k: v for k, v in header.items() if v and not form.header.get(k)}}
            return [plan_sheet(form)], f"附件1_计划表_{org.name}_{stamp}.xlsx"
        campaign, forms = plan.plan_forms(org, as_of=as_of, user=user)
        note = forms[0].note if forms else ""
        return [plans_sheet(forms, note=note)], f"附件1_计划表_{org.name}_{stamp}.xlsx"
    if code == "roster":
        form = roster.roster_form(org, as_of=as_of, user=user, header=header)
        return [roster_sheet(form)], f"附件2_统计表_{org.name}_{stamp}.xlsx"
    if code == "progress":
        # 填表人/联系方式: as given (a command's --filled-by), else each county's own.
        if org.level == OrgLevel.COUNTY:
            form = progress.progress_form(org, as_of=as_of, start=start, header=header or progress.fillers_of([org])[org.pk])
            return [progress_sheet(form)], f"附件3_跟踪摸底表_{org.name}_{stamp}.xlsx"
        counties = roster.counties_of(org, user=user)
        fillers = progress.fillers_of(counties)
        county_forms = [progress.progress_form(c, as_of=as_of, start=start, header=header or fillers[c.pk]) for c in counties]
        summary = progress.city_progress(org, county_forms=county_forms, as_of=as_of, start=start, header=header)
        _, plan_list = plan.plan_forms(org, as_of=as_of, user=user)
        sheets = [
            progress_sheet(summary, name="全市汇总" if org.level == OrgLevel.CITY else f"{org.name}汇总",
                           layout=summary_layout(form_layout("progress"), org)),
            *[progress_sheet(f) for f in county_forms],
            roster_sheet(roster.roster_form(org, as_of=as_of, user=user, header=header)),
            plans_sheet(plan_list, note=plan_list[0].note if plan_list else ""),
        ]
        return sheets, f"附件3_跟踪摸底表_{org.name}_各县区_{stamp}.xlsx"
    raise ValueError(f"unknown form {code!r}")
