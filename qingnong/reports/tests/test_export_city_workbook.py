"""The city-wide 附件3 workbook: 全市汇总, one sheet per county named after it, 附件2 and
all counties' 附件1; the summary's 市级直属 row counts the city's own groups."""
from datetime import date

import openpyxl

from qingnong.ledger.models import GroupKind, WechatGroup
from qingnong.org.models import Org, OrgLevel
from qingnong.lib.xlsx import sheet_name, write_workbook
from qingnong.reports import workbooks

AS_OF = date(2014, 11, 30)


def workbook(tmp_path, org, **kwargs):
    sheets, name = workbooks.export_sheets("progress", org, as_of=AS_OF, **kwargs)
    write_workbook(tmp_path / name, sheets)
    return openpyxl.load_workbook(tmp_path / name, data_only=True)  # totals: the cached values of their SUMs


def by_label(ws):
    return {ws.cell(r, 1).value: r for r in range(7, ws.max_row + 1)}


def test_one_sheet_per_county_then_roster_and_plans(tmp_path, world):
    wb = workbook(tmp_path, world.city)
    counties = list(Org.objects.filter(parent=world.city, level=OrgLevel.COUNTY).order_by("code").values_list("name", flat=True))
    assert counties == ["榆阳区", "横山区"]
    assert wb.sheetnames == ["全市汇总", *counties, "附件2 统计表", "附件1 计划表"]
    for name in counties:
        assert wb[name]["A1"].value == "附件3"
        assert wb[name]["A2"].value == "农村共青团微信体系建设工作推进情况跟踪摸底表"
        assert f"县(区)团委：{name}" in wb[name]["A3"].value
    assert wb["附件2 统计表"]["A2"].value == "微信体系建设情况统计表"
    assert wb["附件1 计划表"]["A2"].value == "县乡两级微信体系建设计划表"
    assert [wb["附件1 计划表"].cell(4, c).value for c in (1, 6)] == ["县区名称", "拟建区县直属团青微信群数量"]


def test_summary_rows_are_the_counties_totals_and_city_groups_count_once(tmp_path, world):
    WechatGroup.objects.create(org=world.county_b, name="横山县青农群", kind=GroupKind.WORK)
    WechatGroup.objects.create(org=world.city, name="市青农群", kind=GroupKind.WORK)
    WechatGroup.objects.create(org=world.township_b, name="城关青年群", kind=GroupKind.YOUTH)
    wb = workbook(tmp_path, world.city)
    summary, a, b = wb["全市汇总"], wb["榆阳区"], wb["横山区"]
    assert summary["A4"].value == "县区名称"
    # The city's own words (issue 18): 团市委, not 县(区)团委; the note speaks of counties.
    assert "团市委：榆林市" in summary["A3"].value and "县(区)团委" not in summary["A3"].value
    assert "不属于任何县区" in summary.cell(summary.max_row, 1).value and "乡镇" not in summary.cell(summary.max_row, 1).value
    rows = by_label(summary)
    g = 5  # 微信群数
    assert summary.cell(rows["榆阳区"], g).value == a.cell(by_label(a)["合计"], g).value == 1
    assert summary.cell(rows["横山区"], g).value == b.cell(by_label(b)["合计"], g).value == 1
    for c in range(2, 25):
        assert summary.cell(rows["合计"], c).value == summary.cell(rows["榆阳区"], c).value + summary.cell(rows["横山区"], c).value
    assert summary.cell(rows["县级直属微信群数量"], g).value == 1
    assert summary.cell(rows["市级直属微信群数量"], g).value == 1
    assert summary.cell(rows["总计"], g).value == 2 + 1 + 1
    assert b.cell(by_label(b)["市级直属微信群数量"], g).value == 0  # a county's own sheet: 0


def test_a_county_user_gets_only_counties_in_scope(tmp_path, world):
    sheets, _ = workbooks.export_sheets("progress", world.city, as_of=AS_OF, user=world.county_b_admin)
    assert [s.name for s in sheets] == ["全市汇总", "横山区", "附件2 统计表", "附件1 计划表"]


def test_sheet_names_are_valid_and_unique():
    taken = set()
    assert sheet_name("a/b:c*d?[e]", taken) == "a_b_c_d__e_"
    assert sheet_name("榆阳区", taken) == "榆阳区"
    assert sheet_name("榆阳区", taken) == "榆阳区(2)"
    assert len(sheet_name("很" * 40, taken)) == 31
