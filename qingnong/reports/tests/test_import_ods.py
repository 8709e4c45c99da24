"""Issue 18: a 附件3 saved by LibreOffice as .ods reads as the .xlsx does (the upload page and
the command say .ods is accepted)."""
from qingnong.reports import importer
from qingnong.reports.importer import read_workbook
from qingnong.reports.tests import corpus as C


def test_an_ods_reads_like_the_xlsx_of_the_same_sheet(world):
    sheet = C.progress_sheet()
    ods, xlsx = read_workbook(C.to_ods(sheet)), read_workbook(C.to_xlsx(sheet))
    assert [g.name for g in ods] == [g.name for g in xlsx]
    assert [g.raw(r, c) for g in ods for r in range(20) for c in range(25)] == \
        [g.raw(r, c) for g in xlsx for r in range(20) for c in range(25)]
    analysis = importer.analyse(user=world.county_a_reporter, org=world.county_a, form_code="progress", data=C.to_ods(sheet))
    assert not analysis.errors and [r["name"] for r in analysis.preview["rows"]] == C.TOWNSHIPS


def test_the_upload_page_says_ods_is_accepted(client_for, world):
    page = client_for(world.county_a_reporter).get(f"/reports/orgs/{world.county_a.pk}/import/").content.decode()
    assert ".ods" in page and 'accept=".xlsx,.xls,.xlsm,.et,.ods"' in page
