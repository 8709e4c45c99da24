"""Hand-made awkward workbooks: every quirk of forms.md "What people send back", each its
own file, built by test code (no binary fixtures in the repository).

A sheet is described once (`Sheet`: cells and merged ranges) and written as .xlsx by
XlsxWriter, as a "WPS-saved" .xlsx (inline strings, numbers typed as text, WPS as the
application) or as a legacy .xls by the small BIFF8 + compound-file writer below, which
is also how a password-protected workbook is made: Office keeps an encrypted .xlsx in
a compound file with an `EncryptedPackage` stream.
"""
import io
import math
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field

import xlsxwriter

from qingnong.ledger.models import MEMBER_FIELD_NAMES
from qingnong.reports import layouts

PROGRESS = layouts.get("progress")
PLAN = layouts.get("plan")
NUMERIC = PROGRESS.numeric_keys


@dataclass
class Formula:
    text: str
    cached: float


@dataclass
class Sheet:
    name: str = "附件3"
    cells: dict = field(default_factory=dict)  # (row, col) → str | int | float | Formula
    merges: list = field(default_factory=list)  # (r0, c0, r1, c1)

    def put(self, row, col, value):
        if value is not None:
            self.cells[(row, col)] = value

    def merge(self, r0, c0, r1, c1, value):
        self.put(r0, c0, value)
        if (r0, c0) != (r1, c1):
            self.merges.append((r0, c0, r1, c1))


def col_letter(col):
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def figures(i):
    """Township i's 23 figures: distinct, members below 团员青年数."""
    values = {"branch_count": 10 + i, "cadre_count": 20 + i, "youth_count": 400 + i, "group_count": 12 + i}
    for n, key in enumerate(MEMBER_FIELD_NAMES):
        values[key] = 10 + n + i
    for n, key in enumerate(k for k in NUMERIC if k.startswith("msg_")):
        values[key] = 30 + n + i
    for n, key in enumerate(k for k in NUMERIC if k.startswith("act_")):
        values[key] = 2 + n + i
    return values


TOWNSHIPS = ["鱼河镇", "鼓楼街道", "金鸡滩镇"]


def base_rows():
    return [(name, figures(i)) for i, name in enumerate(TOWNSHIPS)]


def progress_sheet(rows=None, *, county="榆阳区", reported="2014年10月31日", top=0, left=0, merged=True,
                   header_labels=None, footers=True, subtotal=None, blank_row_after=None, blank_col_after=None,
                   formulas=False, name="附件3", header_line=True):
    """An 附件3 sheet: title, header line, the three-row header from the layout, township
    rows (values as given: int, text, None, Formula), the four footer rows.

    `header_labels` replaces header texts ({original: typed}); `subtotal` overrides 合计
    cells ({key: value}); blank_row_after / blank_col_after insert an empty row after that
    township index / an empty column after that layout key."""
    rows = base_rows() if rows is None else rows
    sheet = Sheet(name=name)
    keys = [c.key for c in PROGRESS.columns]
    col_of, c = {}, left
    for key in keys:
        col_of[key] = c
        c += 2 if key == blank_col_after else 1
    last = c - 1
    sheet.merge(top, left, top, last, PROGRESS.title)
    if header_line:
        sheet.merge(top + 1, left, top + 1, last,
                    f"{county}县(区)团委      填报时间：{reported}      填表人：张三      联系方式：13900000000")
    h = top + 2
    labels = header_labels or {}
    for r, c0, r1, c1, text in PROGRESS.header_cells():
        text = labels.get(text, text)
        first, end = col_of[keys[c0]], col_of[keys[c1]]
        if merged:
            sheet.merge(h + r, first, h + r1, end, text)
        else:
            sheet.put(h + r, first, text)  # typed once, not merged
    r = h + PROGRESS.depth
    first_row = r
    for i, (township, values) in enumerate(rows):
        sheet.put(r, col_of["name"], township)
        for key in NUMERIC:
            sheet.put(r, col_of[key], values.get(key))
        r += 2 if blank_row_after == i else 1
    last_row = r - 1
    if footers:
        sums = {k: sum(_number(v.get(k)) for _, v in rows) for k in NUMERIC}
        sheet.put(r, col_of["name"], "合计")
        for key in NUMERIC:
            cl = col_letter(col_of[key])
            value = Formula(f"=SUM({cl}{first_row + 1}:{cl}{last_row + 1})", sums[key]) if formulas else sums[key]
            sheet.put(r, col_of[key], (subtotal or {}).get(key, value))
        sheet.put(r + 1, col_of["name"], "县级直属微信群数量")
        sheet.put(r + 1, col_of["group_count"], 3)
        sheet.put(r + 2, col_of["name"], "市级直属微信群数量")
        sheet.put(r + 3, col_of["name"], "总计")
        for key in NUMERIC:
            sheet.put(r + 3, col_of[key], sums[key] + (3 if key == "group_count" else 0))
    sheet.col_of = col_of
    sheet.first_row = first_row
    return sheet


def _number(value):
    if isinstance(value, Formula):
        return value.cached
    if isinstance(value, (int, float)):
        return value
    match = re.search(r"\d+", unicodedata.normalize("NFKC", value or ""))
    return int(match.group()) if match else 0


def cell(sheet, key, township_index):
    """The address of a township's cell in a sheet made by progress_sheet."""
    return f"{col_letter(sheet.col_of[key])}{sheet.first_row + township_index + 1}"


def plan_sheet(values=None, *, top=0, numbered=False, admins_rows=1, county="榆阳区", name="附件1"):
    """附件1: title, header line, then 序号 | label | value rows."""
    values = {**plan_values(), **(values or {})}
    sheet = Sheet(name=name)
    sheet.merge(top, 0, top, 2, PLAN.title)
    sheet.merge(top + 1, 0, top + 1, 2, f"县区：{county}    填表人：李四    联系方式：0912-3333333")
    r = top + 2
    for n, f in enumerate(PLAN.fields, 1):
        label = f"{n}、{f.label}" if numbered else f.label
        sheet.put(r, 0, n)
        if f.key == "admins_contact" and admins_rows > 1:
            sheet.merge(r, 1, r + admins_rows - 1, 1, label)
            for i, line in enumerate(values[f.key].split("\n")[:admins_rows]):
                sheet.put(r + i, 2, line)
            r += admins_rows
            continue
        sheet.put(r, 1, label)
        sheet.put(r, 2, values[f.key])
        r += 1
    return sheet


def plan_values():
    return {
        "county_name": "榆阳区", "account_opened": "是（订阅号）", "account_name": "青农榆阳", "wechat_lead": "王五",
        "admins_contact": "赵六 13900000011\n钱七 13900000012", "planned_county_youth_groups": 5,
        "planned_county_work_groups": 2, "township_count": 31, "planned_township_youth_groups": 320,
        "planned_township_work_groups": 31, "planned_direct_groups": 8, "planned_village_groups": 300,
    }


def notes_sheet(name="填表说明"):
    sheet = Sheet(name=name)
    sheet.put(0, 0, "填表说明")
    sheet.put(1, 0, "1. 乡镇名称请填写全称。")
    sheet.put(2, 0, "2. 微信群内成员数按最近一次统计填写。")
    return sheet


# ---------------------------------------------------------------- writers


def to_xlsx(*sheets, constant_memory=False):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": not constant_memory, "constant_memory": constant_memory,
                                     "strings_to_numbers": False, "strings_to_formulas": False})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        merged = {(m[0], m[1]): m for m in sheet.merges}
        for (r, c) in sorted(sheet.cells):
            value = sheet.cells[(r, c)]
            if (r, c) in merged:
                r0, c0, r1, c1 = merged[(r, c)]
                ws.merge_range(r0, c0, r1, c1, "")
            if isinstance(value, Formula):
                ws.write_formula(r, c, value.text, None, value.cached)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    book.close()
    return out.getvalue()


def to_ods(*sheets):
    """An OpenDocument spreadsheet as LibreOffice saves one (mimetype first, stored), merges
    as spanned cells: values only, which is what the importer reads."""
    from xml.sax.saxutils import escape as x

    tables = []
    for sheet in sheets:
        spans = {(m[0], m[1]): (m[2] - m[0] + 1, m[3] - m[1] + 1) for m in sheet.merges}
        rows = max((r for r, _ in sheet.cells), default=-1) + 1
        cols = max((c for _, c in sheet.cells), default=-1) + 1
        lines = []
        for r in range(rows):
            cells = []
            for c in range(cols):
                value = sheet.cells.get((r, c))
                value = value.cached if isinstance(value, Formula) else value
                span = spans.get((r, c))
                attrs = f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"' if span else ""
                if value is None:
                    cells.append(f"<table:table-cell{attrs}/>")
                elif isinstance(value, str):
                    cells.append(f'<table:table-cell office:value-type="string"{attrs}><text:p>{x(value)}</text:p></table:table-cell>')
                else:
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{value}"{attrs}><text:p>{value}</text:p></table:table-cell>')
            lines.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(f'<table:table table:name="{x(sheet.name)}">' + "".join(lines) + "</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_wps_xlsx(*sheets):
    """What WPS 表格 saves: inline strings instead of a shared-string table, every number typed
    as text, and WPS as the application in docProps/app.xml."""
    texted = []
    for sheet in sheets:
        copy = Sheet(sheet.name, {k: (str(v) if isinstance(v, int) else v) for k, v in sheet.cells.items()}, list(sheet.merges))
        texted.append(copy)
    data = to_xlsx(*texted, constant_memory=True)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                body = re.sub(rb"<Application>.*?</Application>", "<Application>WPS 表格</Application>".encode(), body)
            dst.writestr(item.filename, body)
    return out.getvalue()


def _record(kind, data=b""):
    return struct.pack("<HH", kind, len(data)) + data


def _xl_string(text, *, short=False):
    encoded = text.encode("utf-16-le")
    count = len(encoded) // 2
    return (struct.pack("<BB", count, 1) if short else struct.pack("<HB", count, 1)) + encoded


def to_xls(*sheets, password=False):
    """A BIFF8 .xls (what Excel 97-2003 and WPS save as .xls) in a compound file."""
    bodies = []
    for sheet in sheets:
        body = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
        for (r, c) in sorted(sheet.cells):
            value = sheet.cells[(r, c)]
            if isinstance(value, Formula):
                body += _record(0x0006, struct.pack("<HHHdHIH", r, c, 0, value.cached, 0, 0, 0))
            elif isinstance(value, str):
                body += _record(0x0204, struct.pack("<HHH", r, c, 0) + _xl_string(value))
            else:
                body += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
        if sheet.merges:
            body += _record(0x00E5, struct.pack("<H", len(sheet.merges)) + b"".join(
                struct.pack("<HHHH", r0, r1, c0, c1) for r0, c0, r1, c1 in sheet.merges))
        bodies.append(body + _record(0x000A))
    head = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    if password:
        head += _record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))  # FilePass: RC4 encrypted
    head += _record(0x0042, struct.pack("<H", 1200))
    bound = [_record(0x0085, struct.pack("<IBB", 0, 0, 0) + _xl_string(s.name, short=True)) for s in sheets]
    globals_size = len(head) + sum(len(b) for b in bound) + 4
    pos, stream = globals_size, head
    for sheet, record, body in zip(sheets, bound, bodies):
        stream += _record(0x0085, struct.pack("<IBB", pos, 0, 0) + _xl_string(sheet.name, short=True))
        pos += len(body)
    stream += _record(0x000A) + b"".join(bodies)
    return compound_file([("Workbook", stream)])


def compound_file(streams):
    """A version-3 compound file (512-byte sectors) holding `streams` [(name, bytes)]; each
    stream is padded to 4096 bytes so that none lives in the mini stream."""
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    streams = [(name, data + bytes(max(0, 4096 - len(data)))) for name, data in streams]
    data_sectors = [math.ceil(len(d) / 512) for _, d in streams]
    dir_sectors = math.ceil((len(streams) + 1) / 4)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + sum(data_sectors):
        fat_sectors += 1
    fat = [fat_sect] * fat_sectors
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [end]
    starts = []
    for count in data_sectors:
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (fat_sectors * 128 - len(fat))

    def entry(name, kind, start, size, child=nostream, right=nostream):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", nostream, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<III", start, size, 0))

    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, ((name, data), start) in enumerate(zip(streams, starts), 1):
        entries.append(entry(name, 2, start, len(data), right=i + 1 if i < len(streams) else nostream))
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\0")
    difat = [i for i in range(fat_sectors)] + [free] * (109 - fat_sectors)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", *difat))
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for (_, data), count in zip(streams, data_sectors):
        body += data.ljust(count * 512, b"\0")
    return header + body


# ---------------------------------------------------------------- bad files


def password_xlsx():
    """How Office stores an .xlsx with an opening password: a compound file, not a zip."""
    return compound_file([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(200)),
                          ("EncryptedPackage", bytes(6000))])


def zip_bomb(size=60 * 1024 * 1024):
    """A small .xlsx-looking zip whose sheet inflates to `size` bytes of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return out.getvalue()


def zip_bomb_forged(size=60 * 1024 * 1024):
    """A zip bomb whose headers claim the sheet is only 1 KB (the ratio check alone would pass)."""
    data = bytearray(zip_bomb(size))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            start = match.start() + offset
            if struct.unpack("<I", data[start:start + 4])[0] == size:
                data[start:start + 4] = struct.pack("<I", 1024)
    return bytes(data)


def word_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def empty_workbook():
    return to_xlsx(Sheet(name="Sheet1"))


def unrelated_workbook():
    sheet = Sheet(name="工资表")
    for r, row in enumerate([["姓名", "部门", "工资"], ["张三", "办公室", 3000], ["李四", "组织部", 3200]]):
        for c, value in enumerate(row):
            sheet.put(r, c, value)
    return to_xlsx(sheet)
