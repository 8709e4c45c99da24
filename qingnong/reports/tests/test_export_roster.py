"""附件2 from the ledger: one row per admin, an account without admins one row, a county
without an account one row; accounts count from their opening date; phone and QQ
numbers stay text (leading digits intact)."""
from datetime import date

import openpyxl

from qingnong.ledger.models import AccountAdmin, AccountStatus, AdminRole, Cadre, OfficialAccount
from qingnong.lib.xlsx import write_workbook
from qingnong.reports import workbooks
from qingnong.reports.roster import roster_form

AS_OF = date(2014, 11, 30)


def open_account(world, **fields):
    official_account = OfficialAccount.objects.get(org=world.county_a)
    for name, value in {"status": AccountStatus.OPENED, "opened_on": date(2014, 9, 1), **fields}.items():
        setattr(official_account, name, value)
    official_account.save()
    return official_account


def test_one_row_per_admin_and_a_row_for_a_county_without_account(world):
    official_account = open_account(world)
    second = Cadre.objects.create(org=world.county_a, name="乙管理员", mobile="13700000002", wechat_id="yi_wx", qq="0123456")
    AccountAdmin.objects.create(account=official_account, cadre=second, role=AdminRole.PART_TIME)
    form = roster_form(world.city, as_of=AS_OF)
    rows = [(r["county"], r["account"], r.get("admin_name")) for r in form.rows]
    assert rows == [("榆阳区", "青农甲县测试公众号", "甲县测试团干部"), ("榆阳区", "青农甲县测试公众号", "乙管理员"), ("横山区", None, None)]


def test_account_without_admins_is_one_row(world):
    official_account = open_account(world)
    AccountAdmin.objects.filter(account=official_account).delete()
    form = roster_form(world.county_a, as_of=AS_OF)
    assert [(r["county"], r["account"], r.get("admin_name")) for r in form.rows] == [("榆阳区", "青农甲县测试公众号", None)]


def test_as_of_before_opening_or_planned_account_is_missing(world):
    open_account(world, opened_on=date(2014, 12, 1))
    assert [r["account"] for r in roster_form(world.county_a, as_of=AS_OF).rows] == [None]
    open_account(world, status=AccountStatus.PLANNED, opened_on=None)
    assert [r["account"] for r in roster_form(world.county_a, as_of=AS_OF).rows] == [None]


def test_roster_sheet(tmp_path, world):
    official_account = open_account(world)
    cadre = Cadre.objects.get(name="甲县测试团干部")
    cadre.qq, cadre.wechat_id = "0123456789", "jia_wx"
    cadre.save()
    sheets, name = workbooks.export_sheets("roster", world.city, as_of=AS_OF)
    write_workbook(tmp_path / name, sheets)
    ws = openpyxl.load_workbook(tmp_path / name)["附件2 统计表"]
    assert ws["A1"].value == "附件2"
    assert ws["A2"].value == "微信体系建设情况统计表" and "A2:F2" in {str(r) for r in ws.merged_cells.ranges}
    assert "截至2014年11月30日" in ws["A3"].value
    assert [ws.cell(4, c).value for c in range(1, 7)] == ["县区名称", "微信公众号", "管理员姓名", "联系电话", "管理员微信号", "管理员QQ号"]
    assert [ws.cell(5, c).value for c in range(1, 7)] == ["榆阳区", official_account.name, "甲县测试团干部", "13700000001", "jia_wx", "0123456789"]
    assert ws.cell(5, 4).data_type == "s" and ws.cell(5, 6).data_type == "s"
    assert ws.cell(6, 1).value == "横山区" and ws.cell(6, 2).value is None
    # The paper form has 7 lines: short rosters are padded with empty bordered rows.
    assert ws.max_row == 4 + 7 and ws.cell(11, 6).border.bottom.style == "thin"
    assert ws.page_setup.orientation == "portrait" and ws.freeze_panes == "B5"
