"""Bulk entry of cadres from Excel (issue 12, "fill once"): the template, a preview with the
problem at each cell, all-or-nothing, the same scoping, a confirm whose statements do not
grow with the rows."""
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import A_VILLAGE
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import Cadre, CadreTotals
from qingnong.reports import importer
from qingnong.reports.models import ImportStatus

HEADER = ["所属组织*", "姓名*", "职务", "手机号", "微信号", "QQ号", "基层团干部", "联系青年数"]


def workbook(rows, header=HEADER, top=2):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.cell(1, 1, "榆阳区团干部名单（批量导入）")
    for c, label in enumerate(header, 1):
        sheet.cell(top, c, label)
    for r, row in enumerate(rows, top + 1):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return ContentFile(out.getvalue(), name="团干部.xlsx")


def good_rows(n=3):
    return [["鱼河镇", f"王{i}", "团委委员", f"1390000{i:04d}", "", "", "是", 20 + i] for i in range(n)]


def upload(world, rows, user=None):
    return importer.bulk_preview(user=user or world.county_a_reporter, org=world.county_a, code="cadres", file=workbook(rows))


def test_the_template_is_the_declared_list(client_for, world):
    response = client_for(world.county_a_reporter).get(reverse("reports:bulk-template", args=[world.county_a.pk, "cadres"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(row for row in values if row[0] == "所属组织*")
    assert header_row[:len(HEADER)] == HEADER


def test_a_clean_file_previews_then_writes_every_row(world):
    rows = good_rows(2) + [[f"鱼河镇/{A_VILLAGE}", "李村", "团支部书记", "", "li_wx", "12345", "否", ""]]
    run = upload(world, rows)
    assert run.status == ImportStatus.PREVIEWED and run.preview["counts"]["rows"] == 3
    assert not Cadre.objects.filter(name__in=["王0", "王1", "李村"]).exists()  # nothing before confirming
    importer.import_confirm(user=world.county_a_reporter, run=run)
    li = Cadre.objects.get(name="李村")
    assert (li.org.name, li.is_grassroots, li.youths_reached, li.qq) == (A_VILLAGE, False, 0, "12345")
    assert Cadre.objects.get(name="王1").youths_reached == 21
    assert li.history.count() == 1  # its creation is in the history: a first edit has a before
    assert AuditEntry.objects.filter(action="import", object_id=world.county_a.pk, note__contains="团干部 3 名").exists()
    township_totals = CadreTotals.objects.filter(unit=world.township_a).first()
    assert township_totals is not None and township_totals.grassroots >= 2


def test_every_problem_is_named_at_its_cell_and_nothing_is_written(world):
    rows = [
        ["鱼河镇", "", "", "", "", "", "", ""],  # no name
        ["城关街道", "外县人", "", "", "", "", "", ""],  # another county's township
        ["鱼河镇", "错号码", "", "1380000", "", "", "也许", "很多"],
    ] + good_rows(1)
    run = upload(world, rows)
    assert run.status == ImportStatus.FAILED
    messages = {p["cell"]: p["message"] for p in run.errors}
    assert messages["B3"] == "“姓名”必须填写。"
    assert "不是本县区的组织" in messages["A4"]
    assert "手机号应为 11 位数字" in messages["D5"] and "只能填“是”或“否”" in messages["G5"]
    assert "应为不小于 0 的整数" in messages["H5"]
    with pytest.raises(Exception):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    assert not Cadre.objects.filter(name="王0").exists()


def test_a_file_without_the_header_is_refused_with_a_message(world):
    run = importer.bulk_preview(user=world.county_a_reporter, org=world.county_a, code="cadres",
                                file=workbook(good_rows(1), header=["名字", "电话"]))
    assert run.status == ImportStatus.FAILED and "没有找到团干部名单的表头" in run.errors[0]["message"]


def test_scoping_and_roles(client_for, world):
    url = reverse("reports:bulk-upload", args=[world.county_a.pk, "cadres"])
    assert client_for(world.county_b_admin).get(url).status_code == 404
    assert client_for(world.county_a_viewer).get(url).status_code == 403
    assert client_for(world.county_a_reporter).get(url).status_code == 200
    township = reverse("reports:bulk-upload", args=[world.township_a.pk, "cadres"])
    assert client_for(world.county_a_reporter).get(township)["Location"] == url  # a county's list
    assert client_for(world.township_a_reporter).get(township).status_code == 404  # its county is out of its scope
    assert client_for(world.county_a_reporter).get(reverse("reports:bulk-upload", args=[world.county_a.pk, "nope"])).status_code == 404


def test_the_preview_page_marks_the_bad_cells(client_for, world):
    run = upload(world, [["鱼河镇", "错号码", "", "1380000", "", "", "", ""]])
    html = client_for(world.county_a_reporter).get(reverse("reports:import-detail", args=[run.pk])).content.decode()
    assert 'data-testid="import-errors"' in html and 'class="p-error"' in html and "手机号应为 11 位数字" in html
    assert 'data-testid="confirm"' not in html


def test_confirm_costs_the_same_for_3_or_30_rows(world):
    def statements(rows):
        run = upload(world, rows)
        with CaptureQueriesContext(connection) as queries:
            importer.import_confirm(user=world.county_a_reporter, run=run)
        return len(queries)

    few = statements(good_rows(3))
    many = statements([["鱼河镇", f"赵{i}", "", "", "", "", "是", i] for i in range(30)])
    assert Cadre.objects.filter(name__startswith="赵").count() == 30
    assert few == many, (few, many)
