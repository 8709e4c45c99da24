"""附件3 of one county exported to .xlsx and read back with openpyxl: the title, the
header line, the merged three-row header exactly as layout.header_cells() says, numbers
as numeric cells, the four footer rows adding up, frozen header and print setup."""
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from qingnong.ledger.models import (
    Activity, ActivityType, GroupKind, MemberSnapshot, MessageCategory, MessageRecord, TownshipFigures, WechatGroup,
)
from qingnong.org.models import Org, OrgLevel
from qingnong.lib.xlsx import text_width, write_workbook
from qingnong.reports import workbooks
from qingnong.reports.layouts import progress as progress_layout
from conftest import report_for
from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun
from qingnong.reports.progress import progress_form

AS_OF = date(2014, 11, 30)
LAYOUT = progress_layout.LAYOUT
HEADER_TOP = 4  # 1-based: 附件3, title, header line, then the header rows


def export(tmp_path, county, **kwargs):
    sheets, name = workbooks.export_sheets("progress", county, as_of=kwargs.pop("as_of", AS_OF), **kwargs)
    path = tmp_path / name
    write_workbook(path, sheets)
    return openpyxl.load_workbook(path, data_only=True)  # totals: the cached values of their SUMs


def col(key):
    return [c.key for c in LAYOUT.columns].index(key) + 1


def rows_by_name(ws):
    first = HEADER_TOP + LAYOUT.depth
    return {ws.cell(r, 1).value: r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value}


@pytest.fixture
def ledger(world):
    """County A's ledger on top of conftest's: a second township with a dated snapshot,
    township figures, a county-owned group and one owned by a 直属 org of the county."""
    township_2 = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).exclude(pk=world.township_a.pk).order_by("code").first()
    group = WechatGroup.objects.create(org=township_2, name="乙镇青年群", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1))
    MemberSnapshot.objects.create(group=group, taken_on=date(2014, 10, 1), total=30, home_farming=20, away_wage=10)
    MemberSnapshot.objects.create(group=group, taken_on=date(2014, 11, 20), total=45, home_farming=25, away_wage=12, away_study=8)
    MemberSnapshot.objects.create(group=group, taken_on=date(2014, 12, 5), total=60, home_farming=60)  # after the date
    WechatGroup.objects.create(org=township_2, name="明年群", kind=GroupKind.YOUTH, founded_on=date(2015, 1, 1))
    MessageRecord.objects.create(org=township_2, group=group, period_start=date(2014, 11, 3), period_end=date(2014, 11, 9),
                                 month=date(2014, 11, 1), count=7, category=MessageCategory.NEWS)
    Activity.objects.create(org=township_2, held_on=date(2014, 11, 15), activity_type=ActivityType.CULTURE, title="篮球赛")
    TownshipFigures.objects.create(org=township_2, as_of=date(2014, 9, 1), branch_count=5, cadre_count=6, youth_count=100)
    TownshipFigures.objects.create(org=township_2, as_of=date(2014, 11, 1), branch_count=7, cadre_count=8, youth_count=120)
    WechatGroup.objects.create(org=world.county_a, name="县青农群", kind=GroupKind.WORK)
    direct = Org.objects.create(name="县直机关团工委", level=OrgLevel.DIRECT, parent=world.county_a,
                                path=f"{world.county_a.path}ndirect/", depth=world.county_a.depth + 1)
    WechatGroup.objects.create(org=direct, name="机关青年群", kind=GroupKind.YOUTH)
    WechatGroup.objects.create(org=world.city, name="市青农群", kind=GroupKind.WORK)  # not on a county's own form
    return township_2


def test_title_and_header_line(tmp_path, world, ledger):
    ws = export(tmp_path, world.county_a, header={"filled_by": "张伟", "contact": "13800000001"}).active
    assert ws.title == "榆阳区"
    assert ws["A1"].value == "附件3"  # at the top left, as on the paper (issue 18)
    assert ws["A2"].value == "农村共青团微信体系建设工作推进情况跟踪摸底表"
    assert ws["A2"].font.b and ws["A2"].font.sz >= 14
    line = ws["A3"].value
    for part in ("县(区)团委：榆阳区", "填报时间：2014年11月30日", "填表人：张伟", "联系方式：13800000001", "截至2014年11月30日累计"):
        assert part in line
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:X2", "A3:X3"} <= merged


def test_merged_header_is_exactly_the_layouts(tmp_path, world):
    ws = export(tmp_path, world.county_a).active
    expected = set()
    for r, c, last_r, last_c, text in LAYOUT.header_cells():
        assert ws.cell(HEADER_TOP + r, c + 1).value == text
        if (r, c) != (last_r, last_c):
            expected.add(f"{get_column_letter(c + 1)}{HEADER_TOP + r}:{get_column_letter(last_c + 1)}{HEADER_TOP + last_r}")
    note = f"A{ws.max_row}:X{ws.max_row}"  # the layout's note, a merged line under the footers
    merged = {str(r) for r in ws.merged_cells.ranges} - {"A2:X2", "A3:X3", note}
    assert merged == expected
    # The paper form's header, spelled out (forms.md): 5 + 9 + 5 + 5 = 24 columns.
    assert {"A4:A6", "E4:E6", "F4:N4", "F5:J5", "K5:N5", "O4:S4", "O5:O6", "T4:X4", "X5:X6"} <= merged
    assert [ws.cell(6, c).value for c in range(6, 15)] == ["务农", "务工", "经商", "行政事业单位", "其他", "务工", "就学", "创业", "其他"]
    assert ws.cell(4, 6).value == "微信群内成员数(人)" and ws.cell(5, 6).value == "在乡" and ws.cell(5, 11).value == "外出"
    assert ws.cell(4, 15).value == "发送微信数(条)" and ws.cell(4, 20).value == "线下活动开展情况(次)"
    assert ws.max_column == 24


def test_township_rows_are_ledger_figures_as_numbers(tmp_path, world, ledger):
    ws = export(tmp_path, world.county_a).active
    rows = rows_by_name(ws)
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code").values_list("name", flat=True))
    first = HEADER_TOP + LAYOUT.depth
    assert [ws.cell(first + i, 1).value for i in range(len(townships))] == townships
    a, b = rows[world.township_a.name], rows[ledger.name]
    assert ws.cell(a, col("group_count")).value == 1
    assert ws.cell(a, col("msg_policy")).value == 5 and ws.cell(a, col("act_skills")).value == 1
    # The latest snapshot on or before the date; the group founded in 2015 does not count yet.
    assert ws.cell(b, col("group_count")).value == 1
    assert (ws.cell(b, col("home_farming")).value, ws.cell(b, col("away_wage")).value, ws.cell(b, col("away_study")).value) == (25, 12, 8)
    assert (ws.cell(b, col("branch_count")).value, ws.cell(b, col("cadre_count")).value, ws.cell(b, col("youth_count")).value) == (7, 8, 120)
    assert ws.cell(b, col("msg_news")).value == 7 and ws.cell(b, col("act_culture")).value == 1
    for r in range(first, first + len(townships)):
        for c in range(2, 25):
            assert ws.cell(r, c).data_type == "n" and isinstance(ws.cell(r, c).value, int), (r, c)


def test_footer_rows_add_up(tmp_path, world, ledger):
    ws = export(tmp_path, world.county_a).active
    rows = rows_by_name(ws)
    first = HEADER_TOP + LAYOUT.depth
    subtotal, county_direct, city_direct, total = (rows[label] for label in ("合计", "县级直属微信群数量", "市级直属微信群数量", "总计"))
    assert [subtotal, county_direct, city_direct, total] == list(range(subtotal, subtotal + 4)) and total == ws.max_row - 1
    assert ws.cell(ws.max_row, 1).value == LAYOUT.note  # why 总计 adds the 直属 rows in 微信群数 only
    for c in range(2, 25):
        assert ws.cell(subtotal, c).value == sum(ws.cell(r, c).value for r in range(first, subtotal)), c
    g = col("group_count")
    assert ws.cell(subtotal, g).value == 2
    assert ws.cell(county_direct, g).value == 2  # the county's own group and its 直属 org's
    assert ws.cell(city_direct, g).value == 0  # 0 on a county's own form
    assert ws.cell(total, g).value == 4
    for c in range(2, 25):
        if c != g:
            assert ws.cell(total, c).value == ws.cell(subtotal, c).value
            assert ws.cell(county_direct, c).value is None and ws.cell(city_direct, c).value is None
        assert ws.cell(total, c).data_type == "n"


def test_frozen_header_print_setup_and_widths(tmp_path, world):
    ws = export(tmp_path, world.county_a).active
    assert ws.freeze_panes == "B7"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    # Fit to one page wide (fitToWidth 1 is the default, which XlsxWriter leaves out), any height.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == "4:6"
    assert ws.column_dimensions["A"].width >= text_width("县级直属微信群数量")  # footer labels fit
    assert all(ws.column_dimensions[get_column_letter(c)].width >= 4 for c in range(2, 25))
    assert ws["B7"].border.left.style == "thin" and ws["A4"].border.top.style == "thin"


def test_period_counts_messages_and_activities_from_the_start_date(tmp_path, world, ledger):
    ws = export(tmp_path, world.county_a, start=date(2014, 11, 1)).active
    rows = rows_by_name(ws)
    assert "统计时段：发送微信数、线下活动为2014年11月01日至2014年11月30日，其余各列截至2014年11月30日" in f'{ws["A3"].value}{ws["A4"].value}'
    assert ws.cell(rows[world.township_a.name], col("msg_policy")).value == 0  # sent in October
    assert ws.cell(rows[ledger.name], col("msg_news")).value == 7
    assert ws.cell(rows[ledger.name], col("group_count")).value == 1  # groups: as of the date, not the period


def test_export_right_after_import_gives_back_the_imported_figures(tmp_path, world, ledger):
    run = ImportRun.objects.create(org=world.county_a, form_code="progress", file="imports/x.xlsx", file_name="x.xlsx", as_of=AS_OF)
    figures = {"home_farming": 40, "msg_news": 9, "act_culture": 3}
    ReportedProgress.objects.create(org=ledger, as_of=AS_OF, report=report_for(run), branch_count=9, cadre_count=10, youth_count=300,
                                    group_count=12, figures=figures)
    form = progress_form(world.county_a, as_of=AS_OF)
    row = next(r for r in form.rows if r["org"] == ledger)
    assert row["source"] == "import" and "group_count" in row["differs"] and "msg_news" in row["differs"]
    assert "away_study" in row["differs"]  # imported 0 against the ledger's 8 is a difference too
    ws = export(tmp_path, world.county_a).active
    r = rows_by_name(ws)[ledger.name]
    assert [ws.cell(r, col(k)).value for k in ("branch_count", "group_count", "home_farming", "msg_news", "act_culture")] == [9, 12, 40, 9, 3]
    assert ws.cell(rows_by_name(ws)["合计"], col("group_count")).value == 1 + 12


def test_a_day_before_the_import_shows_the_ledger(tmp_path, world, ledger):
    run = ImportRun.objects.create(org=world.county_a, form_code="progress", file="imports/x.xlsx", file_name="x.xlsx", as_of=AS_OF)
    ReportedProgress.objects.create(org=ledger, as_of=AS_OF, report=report_for(run), group_count=12)
    ws = export(tmp_path, world.county_a, as_of=date(2014, 11, 29)).active
    assert ws.cell(rows_by_name(ws)[ledger.name], col("group_count")).value == 1


def test_figures_of_an_org_that_is_not_a_township_row_are_ignored(world):
    direct = Org.objects.create(name="县直属团委", level=OrgLevel.DIRECT, parent=world.county_a,
                                path=f"{world.county_a.path}nfigdirect/", depth=world.county_a.depth + 1)
    TownshipFigures.objects.create(org=direct, as_of=date(2014, 11, 1), branch_count=1, cadre_count=1, youth_count=1)
    form = progress_form(world.county_a, as_of=AS_OF)
    assert form.footers["subtotal"]["branch_count"] == 0


def test_totals_are_sums_that_stay_true_when_a_cell_is_corrected(tmp_path, world, ledger):
    """Issue 17: 合计 and 总计 are SUM formulas over the cells they add, with the computed
    value cached, so a county correcting a township's cell in Excel or WPS gets a true total
    and a reader that does not recalculate (calamine, a phone preview) shows the figure."""
    from python_calamine import CalamineWorkbook

    sheets, name = workbooks.export_sheets("progress", world.county_a, as_of=AS_OF)
    path = tmp_path / name
    write_workbook(path, sheets)
    ws = openpyxl.load_workbook(path).active  # formulas as written
    rows = rows_by_name(ws)
    first, subtotal, total = HEADER_TOP + LAYOUT.depth, rows["合计"], rows["总计"]
    g = col("group_count")
    letter = openpyxl.utils.get_column_letter(g)
    assert ws.cell(subtotal, g).value == f"=SUM({letter}{first}:{letter}{subtotal - 1})"
    assert ws.cell(total, g).value == f"=SUM({letter}{subtotal},{letter}{subtotal + 1},{letter}{subtotal + 2})"
    assert isinstance(ws.cell(first, g).value, int)  # township rows stay plain numbers
    cached = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert cached[subtotal - 1][g - 1] == 2 and cached[total - 1][g - 1] == 4  # as computed by qingnong


def test_the_form_on_screen_says_why_grand_total_adds_direct_groups_in_one_column(client_for, world):
    """Issue 17: 总计 of 微信群数 includes the county's own groups while its member columns do
    not; forms.md defines it so (the 直属 rows count groups only), and the form says so."""
    from qingnong.ledger.models import GroupKind, WechatGroup

    WechatGroup.objects.create(org=world.county_a, name="县级直属说明群", kind=GroupKind.WORK, members_total=40, home_farming=40)
    body = client_for(world.county_a_admin).get(f"/reports/orgs/{world.county_a.pk}/progress/").content.decode()
    assert 'data-testid="form-note"' in body and "所以“总计”中除微信群数外，各列等于“合计”" in body
    from qingnong.lib.dates import today

    form = progress_form(world.county_a, as_of=today())
    foot = form.footers
    assert foot["grand_total"]["home_farming"] == foot["subtotal"]["home_farming"]
    assert foot["grand_total"]["group_count"] == foot["subtotal"]["group_count"] + foot["county_direct"]["group_count"] >= 1
