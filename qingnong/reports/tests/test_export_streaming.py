"""The writer streams: memory stays flat as rows grow (XlsxWriter constant_memory, rows
written in order from an iterator), and the merged header survives that mode."""
import tracemalloc

import openpyxl

from qingnong.lib.xlsx import Sheet, write_workbook
from qingnong.reports.layouts import progress

LAYOUT = progress.LAYOUT


def rows(n):
    for i in range(n):
        yield {"name": f"乡镇{i}", **{key: i % 500 for key in LAYOUT.numeric_keys}}


def peak_bytes(tmp_path, n):
    tracemalloc.start()
    try:
        write_workbook(tmp_path / f"{n}.xlsx", [Sheet("大表", LAYOUT, rows=rows(n))])
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows(tmp_path):
    small, large = peak_bytes(tmp_path, 500), peak_bytes(tmp_path, 5_000)
    # Ten times the rows (120,000 cells): kept in memory they would take tens of MB.
    assert large < small + 512 * 1024, (small, large)
    ws = openpyxl.load_workbook(tmp_path / "5000.xlsx", read_only=True)["大表"]
    assert ws.max_row == 6 + 5_000 + 1  # 附件3, title, header line, three header rows, the rows, the note


def test_rows_may_be_any_iterable_and_are_written_in_order(tmp_path):
    write_workbook(tmp_path / "x.xlsx", [Sheet("x", LAYOUT, rows=rows(3))])
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert [ws.cell(r, 1).value for r in range(7, 10)] == ["乡镇0", "乡镇1", "乡镇2"]
    assert "A4:A6" in {str(r) for r in ws.merged_cells.ranges}
