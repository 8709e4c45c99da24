"""qingnong export-form {plan|roster|progress} --org CODE [--as-of] -o FILE.xlsx"""
import openpyxl
import pytest
from django.core.management import CommandError, call_command


def test_county_progress(tmp_path, world):
    out = tmp_path / "yuyang.xlsx"
    call_command("export_form", "progress", "--org", "610802", "--as-of", "2014-11-30", "-o", str(out),
                 "--filled-by", "张伟", "--contact", "13800000001")
    ws = openpyxl.load_workbook(out).active
    assert ws.title == "榆阳区" and "填表人：张伟" in ws["A3"].value and "填报时间：2014年11月30日" in ws["A3"].value


def test_city_code_gives_the_city_wide_workbook(tmp_path, world):
    out = tmp_path / "yulin.xlsx"
    call_command("export_form", "progress", "--org", "610800", "-o", str(out))
    assert openpyxl.load_workbook(out).sheetnames == ["全市汇总", "榆阳区", "横山区", "附件2 统计表", "附件1 计划表"]


@pytest.mark.parametrize("form", ["plan", "roster"])
def test_plan_and_roster(tmp_path, world, form):
    out = tmp_path / f"{form}.xlsx"
    call_command("export_form", form, "--org", "610802", "-o", str(out))
    assert openpyxl.load_workbook(out).active["A2"].value in ("县乡两级微信体系建设计划表", "微信体系建设情况统计表")


@pytest.mark.parametrize("code,message", [("999999", "没有行政区划代码"), ("610802100", "报表按县区或市导出")])
def test_unknown_or_township_code_is_refused(tmp_path, world, code, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_form", "progress", "--org", code, "-o", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
