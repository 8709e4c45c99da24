"""Bad files get a clear message and change nothing: no import record, no figures."""
import zipfile
import os

import pytest
from django.core.files.base import ContentFile

from qingnong.reports import importer
from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun
from qingnong.reports.tests import corpus as C

BAD = {
    "empty_file": (lambda: b"", "文件是空的"),
    "text_file": (lambda: "乡镇名称,团支部数\n鱼河镇,12\n".encode(), "这不是 Excel 文件"),
    "pdf": (lambda: b"%PDF-1.4\n...", "这是 PDF 文件"),
    "html_saved_as_xls": (lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML）格式"),
    "word_document_zip": (C.word_zip, "不是 Excel 表格"),
    "word_97_document": (lambda: C.compound_file([("WordDocument", b"\x00" * 100)]), "不是 Excel 表格"),
    "truncated_xlsx": (lambda: C.to_xlsx(C.progress_sheet())[:3000], "文件已损坏"),
    "password_protected_xlsx": (C.password_xlsx, "设置了打开密码"),
    "password_protected_xls": (lambda: C.to_xls(C.progress_sheet(), password=True), "设置了打开密码"),
    "larger_than_10_mb": (lambda: b"PK\x03\x04" + os.urandom(10 * 1024 * 1024), "文件太大"),
    "zip_bomb": (C.zip_bomb, "文件解压后过大"),
    "zip_bomb_with_forged_sizes": (C.zip_bomb_forged, "文件已损坏"),
    "empty_workbook": (C.empty_workbook, "工作簿是空的"),
    "unrelated_sheet": (C.unrelated_workbook, "没有找到附件3的表头"),
    "notes_only": (lambda: C.to_xlsx(C.notes_sheet()), "没有找到附件3的表头"),
    # One stray entry far out made python-calamine build a 10 GB block over 27 s (issue 18).
    "stray_cell_far_away": (lambda: C.to_xlsx(far_cell_sheet(19999, 16383, "备注")),
                            "工作表“附件3”在第 20000 行、第 16384 列（XFD20000 单元格）一带还填有内容，离表格太远"),
}


def far_cell_sheet(row, col, value):
    sheet = C.progress_sheet()
    sheet.cells[(row, col)] = value
    return sheet


@pytest.mark.parametrize("name", list(BAD))
def test_bad_file_is_refused_and_changes_nothing(world, name):
    build, reason = BAD[name]
    with pytest.raises(importer.ImportRefused) as refused:
        importer.import_preview(user=world.county_a_reporter, org=world.county_a, form_code="progress",
                                file=ContentFile(build(), name=f"{name}.xlsx"))
    assert reason in refused.value.messages[0]
    assert not ImportRun.objects.exists() and not ReportedProgress.objects.exists()


def test_a_far_cell_with_a_format_only_is_no_content(world):
    """Excel and openpyxl write formatted empty cells (<c r="XFD20000" s="3"/>); python-calamine
    skips them, and so does the check: the form is read."""
    import io
    import openpyxl
    from openpyxl.styles import Font
    book = openpyxl.load_workbook(io.BytesIO(C.to_xlsx(C.progress_sheet())))
    book.active["XFD20000"].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    assert importer.read_workbook(out.getvalue())[0].text(0, 0) == C.progress_sheet().cells[(0, 0)]


def test_zip_bomb_is_refused_by_its_declared_size_before_unpacking(world, monkeypatch):
    bomb, opened = C.zip_bomb(), []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    with pytest.raises(importer.ImportRefused, match="解压后过大"):
        importer.check_file(bomb)
    assert not opened


def test_over_100_mb_uncompressed_is_refused_even_at_a_modest_ratio():
    # 9 MB of random bytes (incompressible) plus 100 MB of zeros: ratio ≈ 11, size over the cap
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/media/noise.bin", os.urandom(9 * 1024 * 1024))
        z.writestr("xl/worksheets/sheet1.xml", bytes(101 * 1024 * 1024))
    with pytest.raises(importer.ImportRefused, match="解压后过大"):
        importer.check_file(out.getvalue())


def test_plan_form_in_a_progress_upload_is_refused(world):
    with pytest.raises(importer.ImportRefused, match="没有找到附件3的表头"):
        importer.analyse(user=None, org=world.county_a, form_code="progress", data=C.to_xlsx(C.plan_sheet()))
    with pytest.raises(importer.ImportRefused, match="没有找到附件1的栏目"):
        importer.analyse(user=world.county_a_admin, org=world.county_a, form_code="plan", data=C.to_xlsx(C.progress_sheet()))


def test_only_counties_import(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="按县区导入"):
        importer.analyse(user=world.city_admin, org=world.city, form_code="progress", data=C.to_xlsx(C.progress_sheet()))


@pytest.mark.parametrize("cells,farthest", [
    ({(0, 25): "Z", (0, 26): "AA"}, "第 1 行、第 27 列（AA1"),  # AA is past Z though "Z" > "AA" as text
    ({(8, 0): "x", (79, 1): "y", (9, 2): "z"}, "第 80 行、第 3 列（C80"),  # row and column from different cells
])
def test_the_farthest_row_and_column_are_found_across_cells(monkeypatch, cells, farthest):
    from qingnong.reports.importer import workbook
    sheet = C.progress_sheet()
    sheet.cells = cells
    monkeypatch.setattr(workbook, "MAX_DENSE_CELLS", 26)
    with pytest.raises(importer.ImportRefused) as refused:
        importer.read_workbook(C.to_xlsx(sheet))
    assert farthest in refused.value.messages[0]


@pytest.mark.parametrize("letters,number", [("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("XFD", 16384)])
def test_column_letters_and_numbers_agree(letters, number):
    from qingnong.reports.importer.workbook import cell_name, column_number
    assert column_number(letters) == number and cell_name(0, number - 1) == f"{letters}1"
