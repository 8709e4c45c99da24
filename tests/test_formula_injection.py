"""Issue 15: a text a user typed that a spreadsheet would run as a formula (=HYPERLINK(…),
+cmd, @SUM, -1+1) is written as text in every download: the ledger lists' Excel, the 附件
forms (through lib.xlsx, which writes text with write_string) and the contacts CSV (a
leading apostrophe)."""
import csv
import io
import zipfile

from openpyxl import load_workbook

from qingnong.ledger.models import Cadre
from qingnong.lib.csvfiles import safe_cell

HOSTILE = ["=HYPERLINK(\"http://evil\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3"]


def test_safe_cell_neutralises_every_formula_start_and_leaves_the_rest():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [safe_cell(v) for v in ("鱼河镇", "13800000001", 12, None)] == ["鱼河镇", "13800000001", 12, None]


def test_the_cadre_export_writes_typed_formulas_as_text(client_for, world):
    for i, name in enumerate(HOSTILE):
        Cadre.objects.create(org=world.township_a, name=name, position=name, mobile=f"1390000000{i}")
    response = client_for(world.county_a_admin).get(f"/ledger/orgs/{world.county_a.pk}/cadres/export/")
    data = b"".join(response.streaming_content)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere in the list
    values = {c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row}
    assert set(HOSTILE) <= values  # shown exactly as typed


def test_the_contacts_csv_writes_typed_formulas_as_text(client_for, world):
    from datetime import date

    Cadre.objects.create(org=world.county_a, name=HOSTILE[0], position=HOSTILE[1], mobile="13900000009")
    response = client_for(world.city_admin).get(f"/campaign/remind/{world.city.pk}/?format=csv&as_of={date(2014, 11, 30)}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))], cells
    assert "'" + HOSTILE[0] in cells  # the cadre's row is there, neutralised
