"""The corpus: one awkward workbook per quirk of forms.md "What people send back", each with
what the import must make of it (errors at exactly these cells, these warnings, these values).

County A is 榆阳区; the corpus sheets list 鱼河镇, 鼓楼街道 and 金鸡滩镇 (corpus.TOWNSHIPS)."""
from datetime import date

import pytest

from qingnong.reports import importer
from qingnong.reports.tests import corpus as C

REPORTED = date(2014, 10, 31)


def rows_with(index, **changes):
    rows = C.base_rows()
    name, values = rows[index]
    rows[index] = (changes.pop("name", name), {**values, **changes})
    return rows


def progress_case(sheet=None, *, xlsx=None, errors=None, warnings=None, values=None, as_of=REPORTED, exact_warnings=None):
    sheet = sheet or C.progress_sheet()
    return {"sheet": sheet, "data": xlsx(sheet) if xlsx else C.to_xlsx(sheet), "errors": errors or {},
            "warnings": warnings or {}, "values": values, "as_of": as_of, "exact_warnings": exact_warnings}


def _cases():
    cases = {}
    cases["clean"] = progress_case(exact_warnings=[""])  # only "表中没有这些乡镇…"
    s = C.progress_sheet(rows_with(0, branch_count="12", cadre_count="１２", youth_count="400个", group_count="12 ",
                                   home_farming="约12", home_wage=None))
    cases["numbers_typed_as_text"] = progress_case(
        s, warnings={C.cell(s, "home_farming", 0): "“约12”是约数，按 12 导入"},
        values={"鱼河镇": {"branch_count": 12, "cadre_count": 12, "youth_count": 400, "group_count": 12,
                          "home_farming": 12, "home_wage": 0}})
    cases["formula_cells"] = progress_case(
        C.progress_sheet(rows_with(1, group_count=C.Formula("=6+7", 13)), formulas=True), exact_warnings=[""])
    cases["unmerged_header"] = progress_case(C.progress_sheet(merged=False), exact_warnings=[""])
    cases["blank_rows_and_columns"] = progress_case(
        C.progress_sheet(blank_row_after=0, blank_col_after="youth_count"), exact_warnings=[""])
    cases["title_moved_down_and_right"] = progress_case(C.progress_sheet(top=1, left=1), exact_warnings=[""])
    cases["second_sheet_with_notes"] = progress_case(xlsx=lambda s: C.to_xlsx(C.notes_sheet(), s), exact_warnings=[""])
    cases["xls"] = progress_case(xlsx=lambda s: C.to_xls(s), exact_warnings=[""])
    cases["xls_notes_and_formulas"] = progress_case(C.progress_sheet(formulas=True), xlsx=lambda s: C.to_xls(s, C.notes_sheet()),
                                                    exact_warnings=[""])
    cases["wps_saved"] = progress_case(xlsx=C.to_wps_xlsx, exact_warnings=[""])
    s = C.progress_sheet([("鱼河", C.figures(0)), (" 鼓楼 街道 ", C.figures(1)), ("金鸡滩\u3000镇 ", C.figures(2))], county="榆阳")
    cases["names_differ_slightly"] = progress_case(s, warnings={
        f"{C.col_letter(s.col_of['name'])}{s.first_row + 1}": "“鱼河”按“鱼河镇”导入",
        f"{C.col_letter(s.col_of['name'])}{s.first_row + 2}": "按“鼓楼街道”导入",
        f"{C.col_letter(s.col_of['name'])}{s.first_row + 3}": "按“金鸡滩镇”导入"})
    s = C.progress_sheet(C.base_rows() + [("不存在乡", C.figures(5))])
    cases["township_not_in_tree"] = progress_case(s, errors={f"A{s.first_row + 4}": "“不存在乡”不是榆阳区的乡镇"})
    s = C.progress_sheet(subtotal={"group_count": 99})
    cases["subtotal_does_not_add_up"] = progress_case(s, warnings={
        f"{C.col_letter(s.col_of['group_count'])}{s.first_row + 4}": "合计为 99，但上面各乡镇相加是 39（E6:E8）"})
    s = C.progress_sheet(rows_with(0, youth_count=30))  # the default rule: members ≤ 3 × 团员青年数
    cases["members_exceed_youth"] = progress_case(s, warnings={C.cell(s, "youth_count", 0): "微信群内成员共 126 人，超过团员青年数 30 的 3 倍"},
                                                 values={"鱼河镇": {"youth_count": 30}})
    s = C.progress_sheet(rows_with(0, cadre_count=-3))
    cases["negative_number"] = progress_case(s, errors={C.cell(s, "cadre_count", 0): "不能是负数（-3）"}, values={"鱼河镇": {}})
    s = C.progress_sheet(rows_with(0, youth_count="十二"))
    cases["unreadable_number"] = progress_case(s, errors={C.cell(s, "youth_count", 0): "“十二”不是数字"}, values={"鱼河镇": {}})
    cases["another_countys_file"] = progress_case(C.progress_sheet(county="横山区"), errors={"第2行": "表头写的是“横山区”"})
    s = C.progress_sheet(header_labels={"乡镇名称": "乡镇（街道）名称", "微信群内成员数(人)": "微信群内成员数（人）",
                                        "团员青年数": "团员\n青年数", "发送微信数(条)": "发送微信数", "务农": " 务 农 "})
    cases["header_spelled_differently"] = progress_case(s, exact_warnings=[""])
    s = C.progress_sheet(C.base_rows() + [("鱼河镇", C.figures(0))])
    cases["township_twice"] = progress_case(s, errors={f"A{s.first_row + 4}": "鱼河镇在第6行已经填过"})
    s = C.progress_sheet(rows_with(1, **dict.fromkeys(C.NUMERIC)))
    cases["township_row_left_empty"] = progress_case(
        s, warnings={f"A{s.first_row + 2}": "鼓楼街道这一行没有填数字，不导入"}, values={"鼓楼街道": None})
    cases["no_report_date"] = progress_case(C.progress_sheet(header_line=False), as_of=None, warnings={"": "表中没有填报时间"})
    return cases


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_workbook(world, name):
    case = CASES[name]
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress", data=case["data"])
    errors = {p["cell"]: p["message"] for p in analysis.problems if p["level"] == "error"}
    warnings = [(p["cell"], p["message"]) for p in analysis.problems if p["level"] == "warning"]
    assert set(errors) == set(case["errors"]), analysis.problems
    for cell, text in case["errors"].items():
        assert text in errors[cell], (cell, errors[cell])
    for cell, text in case["warnings"].items():
        assert any(c == cell and text in m for c, m in warnings), (cell, text, warnings)
    if case["exact_warnings"] is not None:
        assert [c for c, _ in warnings] == case["exact_warnings"], warnings
    if case["as_of"]:
        assert analysis.as_of == case["as_of"]
    rows = {r["name"]: r["values"] for r in analysis.preview["rows"]}
    expected = {name: values for name, values in C.base_rows()}
    expected.update(case["values"] or {})
    for township, values in expected.items():
        if values is None:
            assert township not in rows
        elif not case["errors"] or township in rows:
            assert {k: rows[township][k] for k in values} == values, township


def test_clean_file_reads_every_figure_of_every_township(world):
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress", data=C.to_xlsx(C.progress_sheet()))
    assert not analysis.errors
    assert [r["name"] for r in analysis.preview["rows"]] == C.TOWNSHIPS
    for row, (_, values) in zip(analysis.preview["rows"], C.base_rows()):
        assert row["values"] == values
    assert analysis.preview["header"]["filled_by"] == "张三"
    assert [f["label"] for f in analysis.preview["footers"]] == ["合计", "县级直属微信群数量", "市级直属微信群数量", "总计"]


def test_unrelated_and_empty_sheets_are_refused(world):
    for data, reason in [(C.unrelated_workbook(), "没有找到附件3的表头"), (C.empty_workbook(), "工作簿是空的"),
                         (C.to_xlsx(C.notes_sheet()), "没有找到附件3的表头")]:
        with pytest.raises(importer.ImportRefused) as refused:
            importer.analyse(user=None, org=world.county_a, form_code="progress", data=data)
        assert reason in refused.value.messages[0]


def test_two_county_sheets_pick_the_one_named_after_the_county(world):
    ours = C.progress_sheet(name="榆阳区")
    theirs = C.progress_sheet([("石湾镇", C.figures(0))], county="横山区", name="横山区")
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress", data=C.to_xlsx(theirs, ours))
    assert analysis.preview["sheet"] == "榆阳区" and not analysis.errors


def test_two_unnamed_form_sheets_are_refused(world):
    data = C.to_xlsx(C.progress_sheet(name="Sheet1"), C.progress_sheet(name="Sheet2"))
    with pytest.raises(importer.ImportRefused, match="无法确定哪一张"):
        importer.analyse(user=None, org=world.county_a, form_code="progress", data=data)


def test_a_missing_column_is_an_error_at_the_header(world):
    sheet = C.progress_sheet(header_labels={"婚恋交友": "相亲"})
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress", data=C.to_xlsx(sheet))
    messages = [p["message"] for p in analysis.errors]
    assert any("找不到“线下活动开展情况(次)·婚恋交友”" in m for m in messages)
    assert any("“线下活动开展情况·相亲”不是附件3的列" in p["message"] for p in analysis.problems)


def test_date_chosen_on_upload_wins_over_the_file_with_a_warning(world):
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress",
                                data=C.to_xlsx(C.progress_sheet()), as_of=date(2014, 11, 30))
    assert analysis.as_of == date(2014, 11, 30)
    assert any("按您选择的2014年11月30日导入" in p["message"] for p in analysis.problems)


# ---------------------------------------------------------------- 附件1


def test_plan_clean(world):
    analysis = importer.analyse(user=world.county_a_admin, org=world.county_a, form_code="plan",
                                data=C.to_xlsx(C.plan_sheet()))
    assert not analysis.errors, analysis.problems
    values = analysis.preview["values"]
    assert values["county_name"] == "榆阳区" and values["account_opened"] is True and values["account_type"] == "subscription"
    assert values["planned_township_youth_groups"] == 320 and values["admins_contact"] == "赵六 13900000011\n钱七 13900000012"
    assert values["filled_by"] == "李四" and values["contact"] == "0912-3333333"


def test_plan_with_quirks(world):
    sheet = C.plan_sheet({"county_name": "榆阳", "planned_county_youth_groups": "１０个", "account_opened": "是，服务号",
                          "planned_direct_groups": "约8", "township_count": 30}, top=1, numbered=True, admins_rows=2)
    analysis = importer.analyse(user=world.county_a_admin, org=world.county_a, form_code="plan",
                                data=C.to_xls(C.notes_sheet(), sheet))
    assert not analysis.errors, analysis.problems
    values = analysis.preview["values"]
    assert values["county_name"] == "榆阳区" and values["account_type"] == "service"
    assert values["planned_county_youth_groups"] == 10 and values["planned_direct_groups"] == 8
    assert values["admins_contact"] == "赵六 13900000011\n钱七 13900000012"
    messages = " ".join(f"{p['cell']}:{p['message']}" for p in analysis.problems)
    assert "C4:“榆阳”按“榆阳区”导入" in messages
    assert "C12:现有乡镇数量填的是 30，组织树中榆阳区有 31 个乡镇" in messages
    assert "“约8”是约数" in messages


def test_plan_errors_at_their_cells(world):
    sheet = C.plan_sheet({"county_name": "横山区", "planned_village_groups": "三百", "planned_direct_groups": -1})
    analysis = importer.analyse(user=world.county_a_admin, org=world.county_a, form_code="plan", data=C.to_xlsx(sheet))
    errors = {p["cell"]: p["message"] for p in analysis.errors}
    assert "不是榆阳区" in errors["C3"]
    assert errors["C14"] == "“三百”不是数字（请用阿拉伯数字填写）"
    assert errors["C13"] == "不能是负数（-1）。"


def test_plan_is_imported_by_the_county_itself(world):
    analysis = importer.analyse(user=world.city_admin, org=world.county_a, form_code="plan", data=C.to_xlsx(C.plan_sheet()))
    assert any("由县区团委本级" in p["message"] for p in analysis.errors)
