"""The Excel writer: any layout (qingnong.lib.sheets) → a worksheet in the official layout.

A `Sheet` names a layout, the header line's values and the rows; `write_workbook` writes
one or more sheets with XlsxWriter in constant-memory mode, so rows stream to disk in
order and memory does not grow with them. Every cell address is computed here from the
layout; no other module writes one.

Constant-memory mode flushes a row as soon as a later row is written, and XlsxWriter's
merge_range() pads every cell of its range and refuses a range that starts in a row
already flushed: it cannot merge over several rows there (its author does not plan to
support it). The merged header is therefore written row by row (the text in the first
cell, formatted blanks in the covered ones) and its ranges are added to the worksheet's
list of merged ranges, which XlsxWriter writes out when the sheet is closed
(`_merge_header`; reports/tests/test_export_*.py read the ranges back with openpyxl).
"""
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Iterable

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .sheets import FieldListLayout

A4 = 9  # XlsxWriter's paper code for A4
LINE_HEIGHT = 14.5  # points per text line at 11 pt
BODY_HEIGHT = 18  # a table row: room to read (and to write on the printed form)
CJK_WIDTH = 2.1  # an ideograph is about two '0' wide in Excel's default font


@dataclass
class Sheet:
    name: str  # worksheet name (≤ 31 characters; county names for 附件3)
    layout: object  # TableLayout | FieldListLayout
    header: dict = field(default_factory=dict)  # header field key → value
    note: str = ""  # after the header fields: the period (截至…累计), the as-of date
    rows: Iterable = ()  # TableLayout: dicts keyed by column key
    footers: list = field(default_factory=list)  # TableLayout: [(label, {column key: n})]
    values: dict = field(default_factory=dict)  # FieldListLayout: field key → value
    notes: tuple = ()  # TableLayout: lines of text under the table (a formula, a rule)


def text_width(text):
    """Excel column units needed to show `text` on one line."""
    return sum(CJK_WIDTH if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in str(text))


def header_line(layout, header, note=""):
    """The line under the title: 县区：榆阳区    填报时间：2014年11月30日    填表人：…    联系方式：…"""
    parts = [f"{f.label}：{header.get(f.key) or ''}" for f in layout.header_fields]
    if note:
        parts.append(note)
    return "    ".join(parts)


def sheet_name(name, taken):
    """A valid, unique worksheet name: Excel forbids []:*?/\\ and more than 31 characters."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


class _Styles:
    def __init__(self, workbook):
        base = {"font_size": 11, "valign": "vcenter"}
        boxed = {**base, "border": 1}
        add = workbook.add_format
        self.title = add({**base, "bold": True, "font_size": 16, "align": "center"})
        self.line = add({**base, "align": "left"})
        self.attachment = add({**base, "align": "left", "bold": True})
        self.head = add({**boxed, "bold": True, "align": "center", "text_wrap": True})
        self.text = add({**boxed, "align": "left", "text_wrap": True})
        self.int = add({**boxed, "align": "center", "num_format": "0"})
        self.decimal = add({**boxed, "align": "center", "num_format": "0.00"})
        self.date = add({**boxed, "align": "center", "num_format": "yyyy-mm-dd"})
        self.foot_text = add({**boxed, "bold": True, "align": "center", "text_wrap": True})
        self.foot_int = add({**boxed, "bold": True, "align": "center", "num_format": "0"})
        self.label = add({**boxed, "align": "left", "text_wrap": True})
        self.value_int = add({**boxed, "align": "left", "num_format": "0"})


def write_workbook(target, sheets):
    """Write `sheets` to `target` (a path or a binary file object), streaming rows."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(workbook)
    taken = set()
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet_name(sheet.name, taken))
        if isinstance(sheet.layout, FieldListLayout):
            _write_fields(worksheet, styles, sheet)
        else:
            _write_table(worksheet, styles, sheet)
    workbook.close()


def _merge_across(worksheet, row, last_col, text, style):
    if last_col > 0:
        worksheet.merge_range(row, 0, row, last_col, text, style)
    else:
        worksheet.write_string(row, 0, text, style)


def _write_title(worksheet, styles, last_col, layout):
    """附件N on its own line at the top left, as on the paper and the print view (issue 18),
    then the title; returns the next row."""
    row = 0
    if layout.attachment:
        worksheet.write_string(row, 0, layout.attachment, styles.attachment)
        row += 1
    worksheet.set_row(row, 30)
    _merge_across(worksheet, row, last_col, layout.title, styles.title)
    return row + 1


def _write_header_line(worksheet, styles, row, last_col, sheet, *, total_width):
    """The header fields and the note on one line, or on two when one would not fit."""
    line = header_line(sheet.layout, sheet.header, sheet.note)
    lines = [line] if text_width(line) <= total_width else [header_line(sheet.layout, sheet.header), sheet.note]
    for text in lines:
        if text:
            worksheet.set_row(row, 22)
            _merge_across(worksheet, row, last_col, text, styles.line)
            row += 1
    return row


def _print_setup(worksheet, layout, *, header_rows=None):
    worksheet.set_paper(A4)
    if layout.landscape:
        worksheet.set_landscape()
    else:
        worksheet.set_portrait()
    worksheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as the rows need
    worksheet.center_horizontally()
    worksheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    worksheet.set_footer("&C第 &P 页，共 &N 页")
    if header_rows:
        worksheet.repeat_rows(*header_rows)


def _write_table(worksheet, styles, sheet):
    layout = sheet.layout
    columns = layout.columns
    last_col = len(columns) - 1
    widths = [max(c.width, 4) for c in columns]
    # One default height for the body: set_row() per row would keep a record per row in
    # memory, which constant-memory mode does not free.
    worksheet.set_default_row(BODY_HEIGHT)
    row = _write_title(worksheet, styles, last_col, layout)
    row = _write_header_line(worksheet, styles, row, last_col, sheet, total_width=sum(widths))
    top = row
    row = _write_header(worksheet, styles, layout, top, widths)
    first_body = row
    for values in sheet.rows:
        for col, column in enumerate(columns):
            _write_value(worksheet, row, col, column, values.get(column.key), styles.text,
                         styles.decimal if column.kind == "decimal" else styles.int, widths, date_style=styles.date)
        row += 1
    for _ in range(max(0, layout.blank_rows - (row - first_body))):  # the paper form's empty lines
        for col in range(len(columns)):
            worksheet.write_blank(row, col, None, styles.text)
        row += 1
    declared = layout.footers if len(layout.footers) == len(sheet.footers) else [None] * len(sheet.footers)
    footer_rows = {}
    for footer, (label, values) in zip(declared, sheet.footers):
        for col, column in enumerate(columns):
            value = label if col == 0 else values.get(column.key)
            formula = _total_formula(footer, col, column, first_body, row, footer_rows) if col and value is not None else None
            if formula:  # the computed value is cached: readers that do not recalculate show it too
                worksheet.write_formula(row, col, formula, styles.foot_int, value)
            else:
                _write_value(worksheet, row, col, column if col else replace(column, kind="text"), value,
                             styles.foot_text, styles.foot_int, widths)
        if footer is not None:
            footer_rows[footer.key] = row
        row += 1
    for text in (*sheet.notes, *([layout.note] if layout.note else [])):
        _merge_across(worksheet, row, last_col, text, styles.line)
        row += 1
    for col, width in enumerate(widths):  # column info is written at close: after the rows is fine
        worksheet.set_column(col, col, round(width, 1))
    if layout.autofilter:  # also written at close
        worksheet.autofilter(top + layout.depth - 1, 0, max(row - 1, top + layout.depth - 1), last_col)
    worksheet.freeze_panes(top + layout.depth, 1)
    _print_setup(worksheet, layout, header_rows=(top, top + layout.depth - 1))


def _total_formula(footer, col, column, first_body, row, footer_rows):
    """A totals cell as a SUM (issue 17: a county that corrects a township's cell in Excel or
    WPS gets a true total), or None for a figure of its own."""
    if footer is None or footer.total is None or column.kind not in ("int", "decimal"):
        return None
    letter = xl_col_to_name(col)
    if footer.total == "rows":
        return f"=SUM({letter}{first_body + 1}:{letter}{row})" if row > first_body else None
    cells = [f"{letter}{footer_rows[key] + 1}" for key in footer.total if key in footer_rows]
    return f"=SUM({','.join(cells)})" if cells else None


def _write_header(worksheet, styles, layout, top, widths):
    """The merged header from layout.header_cells(), row by row (see the module docstring)."""
    cells = layout.header_cells()
    covering = {}
    for r, c, last_r, last_c, text in cells:
        for rr in range(r, last_r + 1):
            for cc in range(c, last_c + 1):
                covering[(rr, cc)] = (r, c, last_r, last_c, text)
    for level in range(layout.depth):
        lines = 1
        for r, c, last_r, last_c, text in cells:
            if r == level and last_r == level:  # a cell of this row alone sets its height
                span = sum(widths[c: last_c + 1])
                lines = max(lines, -(-text_width(text) // max(span - 1, 1)))
        worksheet.set_row(top + level, LINE_HEIGHT * lines + 4)
        for col in range(len(layout.columns)):
            r, c, last_r, last_c, text = covering[(level, col)]
            if (r, c) == (level, col):
                worksheet.write_string(top + level, col, text, styles.head)
            else:
                worksheet.write_blank(top + level, col, None, styles.head)
    for r, c, last_r, last_c, text in cells:
        if (r, c) != (last_r, last_c):
            _merge_header(worksheet, top + r, c, top + last_r, last_c)
    return top + layout.depth


def _merge_header(worksheet, first_row, first_col, last_row, last_col):
    """Register a merged range whose cells are already written (see the module docstring).
    XlsxWriter keeps the ranges of merge_range() in `worksheet.merge` and writes them
    as <mergeCells> at close; constant-memory mode leaves no public way to add one."""
    worksheet.merge.append([first_row, first_col, last_row, last_col])


def _write_value(worksheet, row, col, column, value, text_style, int_style, widths, *, date_style=None):
    if value is None or value == "":
        worksheet.write_blank(row, col, None, text_style if column.kind == "text" else int_style)
        return
    if column.kind == "date" and isinstance(value, date) and date_style is not None:
        worksheet.write_datetime(row, col, value, date_style)
        widths[col] = max(widths[col], 11)  # 2014-10-06
    elif column.kind in ("int", "decimal") and isinstance(value, (int, float, Decimal)):
        worksheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, int_style)
        widths[col] = max(widths[col], len(str(value)) * 1.1 + 2)  # = text_width: digits are narrow
    else:
        text = str(value)
        worksheet.write_string(row, col, text, text_style)
        longest = max((text_width(part) for part in text.splitlines()), default=0)
        widths[col] = max(widths[col], min(longest + 2, 40))  # longer text wraps


def _write_fields(worksheet, styles, sheet):
    """附件1: label | value, one row per field."""
    layout = sheet.layout
    label_width = max(text_width(f.label) for f in layout.fields) + 2
    value_width = 36
    row = _write_title(worksheet, styles, 1, layout)
    row = _write_header_line(worksheet, styles, row, 1, sheet, total_width=label_width + value_width)
    for f in layout.fields:
        value = sheet.values.get(f.key)
        text_lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
        wrapped = -(-text_width(value) // value_width) if isinstance(value, str) else 1
        worksheet.set_row(row, LINE_HEIGHT * max(text_lines, wrapped, 1) + 10)
        worksheet.write_string(row, 0, f.label, styles.label)
        if f.kind == "int" and isinstance(value, (int, float)):
            worksheet.write_number(row, 1, value, styles.value_int)
        elif value is None or value == "":
            worksheet.write_blank(row, 1, None, styles.label)
        else:
            worksheet.write_string(row, 1, str(value), styles.label)
        row += 1
    worksheet.set_column(0, 0, round(label_width, 1))
    worksheet.set_column(1, 1, value_width)
    _print_setup(worksheet, layout)
