"""Reading a returned workbook: refuse what is not a readable spreadsheet (not Excel,
password-protected, over 10 MB, a zip bomb, empty) before any cell is looked at."""
import html
import io
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from qingnong.org.models import Org

from ..matching import clean
from ..numbers import shown
import python_calamine


MAX_UPLOAD = 10 * 1024 * 1024  # 10 MB: a filled-in form is a few dozen KB
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a zip (.xlsx) may not unpack to more than this…
MAX_RATIO = 100  # …nor to more than 100 times its own size
MAX_ROWS, MAX_COLS = 1000, 100  # a 附件3 has a few dozen rows; the rest of a sheet is not read
# python-calamine holds a sheet as one dense block from A1 to its farthest filled cell: a stray
# entry in XFD20000 took 27 s and 10 GB (issue 18's 40-second first upload). Past this many
# cells in that block the file is refused, naming the cell, before calamine sees it.
MAX_DENSE_CELLS = 2_000_000
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
FORM_NAMES = {"plan": "附件1 计划表", "progress": "附件3 跟踪摸底表"}


class ImportRefused(ValidationError):
    """The file as a whole cannot be read; nothing was saved."""


@dataclass
class Analysis:
    form_code: str
    org: Org
    as_of: date | None
    preview: dict
    problems: list

    @property
    def errors(self):
        return [p for p in self.problems if p["level"] == "error"]


class Problems(list):
    def error(self, cell, message):
        self.append({"cell": cell, "level": "error", "message": message})

    def warning(self, cell, message):
        self.append({"cell": cell, "level": "warning", "message": message})


def column_number(letters):
    """"A" → 1, "Z" → 26, "AA" → 27: a column's letters as its number (from 1)."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def cell_name(row, col):
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------- reading the file


def check_file(data):
    """'xlsx' or 'xls', or ImportRefused with the reason in Chinese."""
    if not data:
        raise ImportRefused("文件是空的（0 字节），请重新选择文件。")
    if len(data) > MAX_UPLOAD:
        raise ImportRefused(f"文件太大（{len(data) / 1024 / 1024:.1f} MB），最大 10 MB。附件表格通常只有几十 KB，请检查是否选错了文件。")
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise ImportRefused("文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存再上传。")
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return _check_zip(data)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")) or b"<html" in head:
        raise ImportRefused("这个文件其实是网页（HTML）格式，只是扩展名为 .xls。请在 Excel/WPS 中打开后“另存为” .xlsx 再上传。")
    if data.startswith(b"%PDF"):
        raise ImportRefused("这是 PDF 文件，不是 Excel 表格。请上传填好的 .xlsx 或 .xls 文件。")
    raise ImportRefused("这不是 Excel 文件（.xlsx 或 .xls），无法读取。请上传填好的附件表格。")


def _check_zip(data):
    """Refuse a zip bomb before python-calamine unpacks anything: the sizes the archive
    declares, then the bytes it really inflates to (a forged header cannot get past)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused("文件已损坏，无法读取。请在 Excel/WPS 中打开后重新保存再上传。")
    declared = sum(m.file_size for m in members)
    limit = min(MAX_UNCOMPRESSED, MAX_RATIO * len(data))
    if declared > limit or len(members) > 10000:
        raise ImportRefused(_bomb_message(declared, len(data)))
    names = {m.filename for m in members}
    kind = "xlsx" if "xl/workbook.xml" in names else "xlsb" if "xl/workbook.bin" in names else "ods" if "content.xml" in names else None
    if kind is None:
        raise ImportRefused("这是一个压缩包（或 Word 等其他文件），不是 Excel 表格。请上传填好的 .xlsx 或 .xls 文件。")
    inflated = 0
    try:
        for member in members:
            sheet = [] if kind == "xlsx" and SHEET_MEMBER.fullmatch(member.filename) else None
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    inflated += len(chunk)
                    if inflated > limit:
                        raise ImportRefused(_bomb_message(inflated, len(data)))
                    if sheet is not None:
                        sheet.append(chunk)
            if sheet is not None:
                _check_extent(archive, member.filename, b"".join(sheet))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):  # zlib: found by fuzzing
        raise ImportRefused("文件已损坏或加了密，无法读取。请在 Excel/WPS 中打开后重新保存再上传。")
    return kind


SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml")
# A cell that holds something: a start tag not closed on itself, then <v>, <is> or <f> first
# inside (the schema's order). A format-only cell (<c r="B7" s="3"/>, or openpyxl's
# <c r="B7" s="3" t="n"></c>) does not match: calamine skips those.
FILLED = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')


def _check_extent(archive, path, xml):
    """Refuse a sheet whose farthest filled cell would make python-calamine's dense block
    larger than MAX_DENSE_CELLS, naming that cell. The farthest row and column are taken
    over the distinct letters and numbers (C loops), not cell by cell in Python."""
    found = FILLED.findall(xml)
    if not found:
        return
    letters, digits = zip(*found)
    last_row = max(map(int, set(digits)))
    last_col = column_number(max(set(letters), key=lambda s: (len(s), s)).decode())  # AA after Z: longer first, then A–Z
    if last_row * last_col > MAX_DENSE_CELLS:
        name = _sheet_names(archive).get(path, path.rsplit("/", 1)[-1])
        raise ImportRefused(
            f"工作表“{name}”在第 {last_row} 行、第 {last_col} 列（{cell_name(last_row - 1, last_col - 1)} 单元格）一带还填有内容，"
            "离表格太远，无法读取。请在 Excel/WPS 中按 Ctrl+End 找到它，删除表格以外的行和列后保存，再上传。")


def _sheet_names(archive):
    """{"xl/worksheets/sheet2.xml": "榆阳区"}: each worksheet's name, for the message."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m["id"]: m["target"] for m in re.finditer(r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]+)")(?=[^>]*\bTarget="(?P<target>[^"]+)")', rels)}
    names = {}
    for m in re.finditer(r'<(?:\w+:)?sheet\b(?=[^>]*\bname="(?P<name>[^"]+)")(?=[^>]*\br:id="(?P<id>[^"]+)")', book):
        target = targets.get(m["id"], "")
        names["xl/" + target.lstrip("/").removeprefix("xl/")] = html.unescape(m["name"])
    return names


def _bomb_message(size, packed):
    return (f"文件解压后过大（至少 {size / 1024 / 1024:.0f} MB，是文件本身的 {size / max(packed, 1):.0f} 倍），"
            "不像是一张填好的表格，已拒绝读取。")


@dataclass
class Grid:
    """One worksheet's values from A1 (python-calamine: str, float, int, bool, dates; "" = empty)
    and its merged ranges, so a merged header cell reads the same in every cell it covers."""

    name: str
    rows: list
    merges: dict = field(default_factory=dict)  # (row, col) → top-left (row, col)
    merge_ranges: list = field(default_factory=list)  # [(r0, c0, r1, c1)]
    width: int = 0

    def raw(self, row, col):
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def value(self, row, col):
        return self.raw(*self.merges.get((row, col), (row, col)))

    def text(self, row, col):
        return clean(shown(self.value(row, col)))

    def merge_at(self, row, col):
        return next((m for m in self.merge_ranges if m[0] <= row <= m[2] and m[1] <= col <= m[3]), None)

    def is_empty(self):
        return not any(_filled(v) for row in self.rows for v in row)


def _filled(value):
    return value is not None and (not isinstance(value, str) or clean(value) != "")


def read_workbook(data):
    """[Grid] of every worksheet, or ImportRefused."""
    kind = check_file(data)
    try:
        # From a file named by its real kind: python-calamine then reports a password-protected
        # .xls as PasswordError (from a stream it only says it cannot detect the format).
        with tempfile.NamedTemporaryFile(suffix=f".{kind}") as handle:
            handle.write(data)
            handle.flush()
            book = python_calamine.CalamineWorkbook.from_path(handle.name)
            grids = []
            for meta in book.sheets_metadata:
                if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                    continue
                sheet = book.get_sheet_by_name(meta.name)
                rows = [list(r[:MAX_COLS]) for r in sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)]
                grids.append(_grid(meta.name, rows, sheet.merged_cell_ranges or []))
            book.close()
    except python_calamine.PasswordError:
        raise ImportRefused("文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码后另存再上传。")
    except python_calamine.ZipError:
        raise ImportRefused("文件已损坏或不是 Excel 文件，无法读取。请在 Excel/WPS 中打开后重新保存再上传。")
    except python_calamine.CalamineError as error:
        if "Workbook stream" in str(error):
            raise ImportRefused("这不是 Excel 表格（可能是 Word 等其他 Office 文件）。请上传填好的 .xlsx 或 .xls 文件。")
        raise ImportRefused("文件已损坏或格式无法识别，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再上传。")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # python-calamine reports some malformed files as a Rust panic
        raise ImportRefused("文件已损坏或格式无法识别，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再上传。")
    if not grids or all(g.is_empty() for g in grids):
        raise ImportRefused("工作簿是空的：没有任何填写的单元格。")
    return grids


def _grid(name, rows, ranges):
    merges, kept = {}, []
    for (r0, c0), (r1, c1) in ranges:
        r1, c1 = min(r1, MAX_ROWS - 1), min(c1, MAX_COLS - 1)
        if r1 < r0 or c1 < c0 or (r1 - r0 + 1) * (c1 - c0 + 1) > 20000:
            continue
        kept.append((r0, c0, r1, c1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                merges[(r, c)] = (r0, c0)
    return Grid(name=name, rows=rows, merges=merges, merge_ranges=kept, width=max((len(r) for r in rows), default=0))


# ---------------------------------------------------------------- the header line
