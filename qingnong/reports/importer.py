"""Importing a returned 附件1 or 附件3 workbook (issue 5 "In", forms.md "What people send back").

Three steps, each its own function:
- `check_file` / `read_workbook`: refuse what is not a readable spreadsheet (not Excel,
  password-protected, over 10 MB, a zip bomb, empty) before any cell is looked at;
- `analyse`: find the form by its header labels (never fixed addresses), read every row,
  and collect problems at their cells: errors stop the import, warnings are shown;
- `import_preview` saves that as an ImportRun (the file, the problems, the rows as they
  will be stored, against the current values); nothing else is written until
  `import_confirm`, which writes all rows in one transaction or none.
"""
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.ledger.models import MEMBER_FIELD_NAMES
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope, is_own_org, require_edit, scoped

from . import layouts
from .matching import COUNTY_SUFFIXES, clean, label_key, match_org
from .models import REPORTED_FIGURE_KEYS, ImportRun, ImportStatus, ReportedProgress
from .numbers import NumberError, parse_count, shown

MAX_UPLOAD = 10 * 1024 * 1024  # 10 MB: a filled-in form is a few dozen KB
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a zip (.xlsx) may not unpack to more than this…
MAX_RATIO = 100  # …nor to more than 100 times its own size
MAX_ROWS, MAX_COLS = 1000, 100  # a 附件3 has a few dozen rows; the rest of a sheet is not read
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
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    inflated += len(chunk)
                    if inflated > limit:
                        raise ImportRefused(_bomb_message(inflated, len(data)))
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise ImportRefused("文件已损坏或加了密，无法读取。请在 Excel/WPS 中打开后重新保存再上传。")
    return kind


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
    import python_calamine

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


HEADER_DATE = re.compile(r"(\d{4})[年\-./](\d{1,2})[月\-./](\d{1,2})")
# Labels of the header line, in either spelling: the paper's "____县(区)团委  填报时间:____"
# and the export's "县(区)团委：榆阳区    填报时间：…    截至…累计".
HEADER_LABELS = {"county": ("县(区)团委", "县区名称", "县区"), "reported_at": ("填报时间", "填报日期"),
                 "filled_by": ("填表人",), "contact": ("联系方式", "联系电话")}
HEADER_STOP = "|".join(re.escape(label) for labels in HEADER_LABELS.values() for label in labels) + "|截至|统计时段"


def _header_line(grid, above):
    """The rows above the table as one cleaned text each: [(row, text)]."""
    lines = []
    for row in range(above):
        text = "".join(clean(shown(v)) + " " for v in (grid.rows[row] if row < len(grid.rows) else []) if _filled(v))
        if text.strip():
            lines.append((row, text))
    return lines


def _header_fields(lines):
    """{key: (value, row)} for 县区 / 填报时间 (a date) / 填表人 / 联系方式 found in the header line."""
    found = {}
    for row, text in lines:
        flat = clean(text)
        for key, labels in HEADER_LABELS.items():
            for label in labels:
                match = re.search(re.escape(label) + r":?_*(.*?)_*(?=" + HEADER_STOP + r"|$)", flat)
                if match and match.group(1).strip("_:"):
                    found.setdefault(key, (match.group(1).strip("_:"), row))
                    break
        if "county" not in found and (match := re.match(r"^_*(.+?)_*团委", flat)):
            county = re.sub(r"县\(区\)$", "", match.group(1)).strip("_")
            if county:
                found["county"] = (county, row)
    if "reported_at" in found:
        text, row = found["reported_at"]
        match = HEADER_DATE.search(text)
        try:
            found["reported_at"] = (date(*map(int, match.groups())) if match else None, row)
        except ValueError:
            found["reported_at"] = (None, row)
    return found


def _check_county_named(named, county, problems):
    """The header names another county: the wrong file. A county not found at all: a warning."""
    if not named:
        return
    text, row = named
    siblings = list(Org.objects.filter(parent_id=county.parent_id, level=OrgLevel.COUNTY)) if county.parent_id else [county]
    match = match_org(text, siblings, suffixes=COUNTY_SUFFIXES)
    if match.org is not None and match.org.pk != county.pk:
        problems.error(f"第{row + 1}行", f"表头写的是“{text}”，这不是{county.name}的表。请选对县区或换成{county.name}的文件。")
    elif match.org is None:
        problems.warning(f"第{row + 1}行", f"表头县区“{text}”与{county.name}对不上，请核对。")


# ---------------------------------------------------------------- 附件3


@dataclass
class Located:
    grid: Grid
    top: int  # first header row
    bottom: int  # last header row
    name_col: int
    columns: dict  # layout key → sheet column
    unknown: list  # [(col, text)] header columns that are not on the form


def _column_keys(layout):
    keys = {}
    for column in layout.columns:
        keys[column.key] = [tuple(label_key(h) for h in column.header)] + [(label_key(a),) for a in column.aliases]
    return keys


def _locate_progress(grid, layout):
    """Find 附件3's header in `grid`: the 乡镇名称 cell, the header rows under it, and which
    sheet column holds which layout column. None when the sheet is not a 附件3."""
    keys = _column_keys(layout)
    name_keys = {k[0] for k in keys["name"]}
    known = {part for paths in keys.values() for path in paths for part in path}
    for top in range(min(len(grid.rows), 40)):
        for col in range(len(grid.rows[top])):
            if grid.merges.get((top, col), (top, col)) != (top, col) or label_key(grid.text(top, col)) not in name_keys:
                continue
            bottom = top
            for row in range(top + 1, min(top + 5, len(grid.rows))):
                labels = {label_key(grid.text(row, c)) for c in range(grid.width)} - {""}
                merged_down = grid.merges.get((row, col), (row, col))[0] < row
                if merged_down or (not grid.text(row, col) and labels and labels <= known | {"序号"}):
                    bottom = row
                else:
                    break
            located = _match_columns(grid, layout, keys, top, bottom, col)
            if len(located.columns) >= 5:
                return located
    return None


def _header_paths(grid, top, bottom):
    """Each sheet column's header path, top to bottom, merged cells read in every cell they
    cover; a group label typed once above unmerged sub-columns carries to the right."""
    paths, carry = {}, {}
    for col in range(grid.width):
        path = []
        for row in range(top, bottom + 1):
            text = label_key(grid.text(row, col))
            starts_here = grid.merges.get((row, col), (row, col)) == (row, col)
            if text and starts_here and row < bottom:
                carry[row] = text  # a new group starts in this column: what it carries ends
                for deeper in range(row + 1, bottom + 1):
                    carry.pop(deeper, None)
            elif not text and starts_here and row < bottom:
                if any(label_key(grid.text(r, col)) for r in range(row + 1, bottom + 1)):
                    text = carry.get(row, "")
            if text and (not path or path[-1] != text):
                path.append(text)
        paths[col] = tuple(path)
    return paths


def _match_columns(grid, layout, keys, top, bottom, name_col):
    paths = _header_paths(grid, top, bottom)
    last_parts = {}
    for key, options in keys.items():
        last_parts.setdefault(options[0][-1], []).append(key)
    columns, unknown = {}, []
    for col, path in paths.items():
        if not path:
            continue
        found = None
        for key, options in keys.items():
            main = options[0]
            if path in options or (path[-1] == main[-1] and set(main[:-1]) <= set(path[:-1])):
                found = key
                break
        if found is None and len(last_parts.get(path[-1], [])) == 1:
            found = last_parts[path[-1]][0]  # a flat header: "团支部数" or "政策法规" alone is unambiguous
        if found is None or found in columns:
            if col != name_col and path[-1] not in ("序号", "编号"):
                unknown.append((col, "·".join(path)))
            continue
        columns[found] = col
    return Located(grid, top, bottom, columns.get("name", name_col), columns, unknown)


FOOTER_ALIASES = {"subtotal": ("合计", "小计"), "county_direct": ("县级直属微信群数量", "县级直属", "县直属微信群数量"),
                  "city_direct": ("市级直属微信群数量", "市级直属", "市直属微信群数量"), "grand_total": ("总计", "总合计")}
NOTE_PREFIXES = ("注", "说明", "填表说明", "备注", "附注")


def _choose_sheet(candidates, county, what):
    if len(candidates) == 1:
        return candidates[0]
    named = [c for c in candidates if match_org(c.grid.name, [county], suffixes=COUNTY_SUFFIXES).org is not None]
    if len(named) == 1:
        return named[0]
    names = "、".join(f"“{c.grid.name}”" for c in candidates)
    raise ImportRefused(f"工作簿里有 {len(candidates)} 张{what}（{names}），无法确定哪一张是{county.name}的。请只保留本县的一张，或把它的工作表改名为“{county.name}”。")


def analyse_progress(grids, *, county, as_of=None):
    layout = layouts.get("progress")
    candidates = [located for grid in grids if (located := _locate_progress(grid, layout))]
    if not candidates:
        raise ImportRefused("没有找到附件3的表头（“乡镇名称”“团支部数”等）。请确认上传的是《农村共青团微信体系建设工作推进情况跟踪摸底表》，不要改动表头文字。")
    located = _choose_sheet(candidates, county, "附件3")
    grid, problems = located.grid, Problems()
    missing = [c for c in layout.columns if c.key not in located.columns]
    for column in missing:
        problems.error(cell_name(located.top, located.name_col), f"表头里找不到“{column.label}”这一列。")
    for col, text in located.unknown:
        problems.warning(cell_name(located.top, col), f"“{text}”不是附件3的列，已忽略。")

    header = _header_fields(_header_line(grid, located.top))
    _check_county_named(header.get("county"), county, problems)
    as_of = _report_date(as_of, header.get("reported_at"), problems)

    townships = list(Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).order_by("code", "name"))
    numeric = [c for c in layout.columns if c.kind == "int" and c.key in located.columns]
    rows, footers, seen, data_rows = [], {}, {}, []
    for r in range(located.bottom + 1, len(grid.rows)):
        name_raw = grid.value(r, located.name_col)
        name = clean(shown(name_raw))
        if not name and not any(_filled(grid.value(r, located.columns[c.key])) for c in numeric):
            continue
        footer = next((k for k, labels in FOOTER_ALIASES.items() if label_key(name) in labels), None)
        if footer:
            footers[footer] = {"row": r, "values": _read_numbers(grid, r, numeric, located, problems, lenient=True)}
            if footer == "grand_total":
                break
            continue
        if name.startswith(NOTE_PREFIXES):
            break
        if footers:  # a township under the 合计 row: the form was extended below its footer
            problems.error(cell_name(r, located.name_col), f"“{name}”在合计行下面。请把乡镇行放在合计行上面。")
            continue
        cell = cell_name(r, located.name_col)
        values = _read_numbers(grid, r, numeric, located, problems)
        empty = all(v is None for v in values.values())
        figures = {k: (v or 0) for k, v in values.items()}
        if not name:
            problems.error(cell, "这一行有数字，但没有填乡镇名称。")
            continue
        data_rows.append((r, figures))
        match = match_org(shown(name_raw), townships)
        if match.org is None:
            if match.how == "ambiguous":
                problems.error(cell, f"“{shown(name_raw)}”可能是{'、'.join(match.candidates)}，请写全称。")
            elif empty:
                problems.warning(cell, f"“{shown(name_raw)}”不是{county.name}的乡镇，这一行没有数字，已跳过。")
            else:
                problems.error(cell, f"“{shown(name_raw)}”不是{county.name}的乡镇（组织树里没有）。请写乡镇全称，或先在组织树中添加。")
            continue
        township = match.org
        if township.pk in seen:
            problems.error(cell, f"{township.name}在第{seen[township.pk] + 1}行已经填过，一个乡镇只能有一行。")
            continue
        seen[township.pk] = r
        if match.noted:
            problems.warning(cell, f"“{shown(name_raw)}”按“{township.name}”导入。")
        if empty:
            problems.warning(cell, f"{township.name}这一行没有填数字，不导入（保留原有数据）。")
            continue
        _check_members(grid, r, figures, located, problems)
        rows.append({"org_id": township.pk, "name": township.name, "typed": shown(name_raw), "row": r + 1, "name_cell": cell,
                     "values": figures, "cells": {c.key: cell_name(r, located.columns[c.key]) for c in numeric}})

    if not rows and not any(p["level"] == "error" for p in problems):
        problems.error(cell_name(located.top, located.name_col), "表中没有可导入的乡镇数据。")
    _check_footers(footers, data_rows, numeric, located, problems)
    not_in_file = [t.name for t in townships if t.pk not in seen]
    if rows and not_in_file:
        problems.warning("", f"表中没有 {len(not_in_file)} 个乡镇，保留它们原有的数据：{'、'.join(not_in_file)}。")
    preview = _progress_preview(county, as_of, rows, footers, numeric, header, grid, layout)
    return Analysis("progress", county, as_of, preview, _sorted(problems))


def _report_date(given, found, problems):
    file_date, row = found if found else (None, None)
    if found and file_date is None:
        problems.warning(f"第{row + 1}行", "填报时间不是有效日期，已忽略。")
    if given:
        if file_date and file_date != given:
            problems.warning(f"第{row + 1}行", f"表中填报时间为{file_date:%Y年%m月%d日}，按您选择的{given:%Y年%m月%d日}导入。")
        return given
    if file_date:
        if file_date > today():
            problems.error(f"第{row + 1}行", f"填报时间{file_date:%Y年%m月%d日}还没到。")
        return file_date
    problems.warning("", f"表中没有填报时间，按今天（{today():%Y年%m月%d日}）导入。")
    return today()


def _read_numbers(grid, r, numeric, located, problems, *, lenient=False):
    """{key: int or None (empty)}; unreadable and negative cells are errors (warnings on
    footer rows, which are checked, never stored)."""
    report = problems.warning if lenient else problems.error
    values = {}
    for column in numeric:
        c = located.columns[column.key]
        cell = cell_name(r, c)
        if grid.merges.get((r, c), (r, c)) != (r, c):
            values[column.key] = None
            continue
        try:
            count = parse_count(grid.raw(r, c))
        except NumberError as reason:
            report(cell, str(reason))
            values[column.key] = None
            continue
        if count.value < 0:
            report(cell, f"不能是负数（{count.value}）。")
            values[column.key] = None
            continue
        if count.approximate:
            problems.warning(cell, f"“{shown(grid.raw(r, c))}”是约数，按 {count.value} 导入。")
        values[column.key] = None if count.empty else count.value
    return values


def _check_members(grid, r, figures, located, problems):
    members = sum(figures.get(k, 0) for k in MEMBER_FIELD_NAMES)
    youth = figures.get("youth_count", 0)
    if youth and members > youth and "youth_count" in located.columns:
        problems.warning(cell_name(r, located.columns["youth_count"]),
                         f"微信群内成员共 {members} 人，多于团员青年数 {youth}，请核对。")


def _check_footers(footers, data_rows, numeric, located, problems):
    if not data_rows:
        return
    first, last = data_rows[0][0], data_rows[-1][0]
    subtotal = footers.get("subtotal")
    sums = {c.key: sum(f[c.key] for _, f in data_rows) for c in numeric}
    if subtotal:
        for column in numeric:
            typed = subtotal["values"].get(column.key)
            if typed is not None and typed != sums[column.key]:
                col = located.columns[column.key]
                problems.warning(cell_name(subtotal["row"], col),
                                 f"合计为 {typed}，但上面各乡镇相加是 {sums[column.key]}（{cell_name(first, col)}:{cell_name(last, col)}）。合计行不导入，以各乡镇的数为准。")
    total = footers.get("grand_total")
    if total:
        base = dict(sums)  # the townships' own figures, not a 合计 that may itself be wrong
        if "group_count" in base:
            base["group_count"] += sum((footers.get(k, {}).get("values", {}).get("group_count") or 0) for k in ("county_direct", "city_direct"))
        for column in numeric:
            typed = total["values"].get(column.key)
            if typed is not None and typed != base[column.key]:
                problems.warning(cell_name(total["row"], located.columns[column.key]),
                                 f"总计为 {typed}，按各乡镇相加{'再加县级、市级直属微信群' if column.key == 'group_count' else ''}应为 {base[column.key]}。")


def _progress_preview(county, as_of, rows, footers, numeric, header, grid, layout):
    from .progress import progress_form

    current = {}
    if as_of:
        for row in progress_form(county, as_of=as_of).rows:
            current[row["org"].pk] = {"source": row["source"], **{c.key: row[c.key] for c in numeric}}
    changed_total = 0
    for row in rows:
        now = current.get(row["org_id"], {})
        row["current"] = {c.key: now.get(c.key, 0) for c in numeric}
        row["current_source"] = now.get("source", "ledger")
        row["changed"] = [c.key for c in numeric if row["values"][c.key] != row["current"][c.key]]
        changed_total += len(row["changed"])
    return {
        "form": "progress", "sheet": grid.name, "as_of": as_of.isoformat() if as_of else None,
        "header": {k: (v[0].isoformat() if isinstance(v[0], date) else v[0]) for k, v in header.items() if v[0]},
        "columns": [{"key": c.key, "label": c.label, "short": c.header[-1]} for c in numeric],
        "rows": rows,
        "footers": [{"key": k, "label": FOOTER_ALIASES[k][0], "row": f["row"] + 1,
                     "values": {key: v for key, v in f["values"].items() if v is not None}} for k, f in footers.items()],
        "counts": {"rows": len(rows), "changed": changed_total},
    }


def _sorted(problems):
    """Errors first, each kind in sheet order (row, then column)."""
    def key(p):
        match = re.fullmatch(r"([A-Z]+)(\d+)", p["cell"] or "")
        if match:
            letters = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(match.group(1))))
            return (p["level"] != "error", int(match.group(2)), letters)
        row = re.fullmatch(r"第(\d+)行", p["cell"] or "")
        return (p["level"] != "error", int(row.group(1)) if row else 0, 0)
    return sorted(problems, key=key)


# ---------------------------------------------------------------- 附件1


def _locate_plan(grid, layout):
    """{field key: (row, label col)} of 附件1's labels found in `grid`."""
    wanted = {}
    for f in layout.fields:
        for text in (f.label, *f.aliases):
            wanted[label_key(text)] = f.key
    found = {}
    for r, row in enumerate(grid.rows[:200]):
        for c in range(len(row)):
            if grid.merges.get((r, c), (r, c)) != (r, c):
                continue
            key = wanted.get(label_key(grid.text(r, c)))
            if key and key not in found:
                found[key] = (r, c)
    return found


def _plan_value(grid, r, c):
    """(value, cell) right of the label at (r, c); a label merged over several rows collects
    one value per row (several admins, one per line)."""
    merge = grid.merge_at(r, c)
    last_row = merge[2] if merge else r
    first_col = (merge[3] if merge else c) + 1
    values, cell = [], cell_name(r, first_col)
    for row in range(r, last_row + 1):
        for col in range(first_col, max(grid.width, first_col + 1)):
            if grid.merges.get((row, col), (row, col)) != (row, col):
                continue
            value = grid.raw(row, col)
            if _filled(value):
                if not values:
                    cell = cell_name(row, col)
                values.append(value)
                break
    if len(values) > 1:
        return "\n".join(shown(v) for v in values), cell
    return (values[0] if values else ""), cell


def parse_yesno(value):
    """(opened, account type, problem): 是/否, 已开通, 是（订阅号）, 服务号…"""
    text = clean(shown(value))
    kinds = [k for k, word in (("subscription", "订阅号"), ("service", "服务号")) if word in text]
    if not text:
        return False, "", "未填写，按“否”导入。"
    if re.search(r"否|未|没有|无|不", text):
        return False, "", None
    if re.search(r"是|已|有|开通", text) or kinds:
        if len(kinds) == 1:
            return True, kinds[0], None
        return True, "", "没有写明是订阅号还是服务号。"
    return False, "", f"“{shown(value)}”看不出是“是”还是“否”，按“否”导入。"


TEXT_LIMITS = {"county_name": 50, "account_name": 100, "wechat_lead": 50, "admins_contact": 2000, "filled_by": 50, "contact": 50}


def analyse_plan(grids, *, county, account, campaign=None):
    from qingnong.campaign import selectors as campaign_selectors
    from qingnong.campaign.models import CountyPlan
    from qingnong.campaign.services import PLAN_FIELDS, plan_prefill

    layout = layouts.get("plan")
    found = [(grid, labels) for grid in grids if len(labels := _locate_plan(grid, layout)) >= 4]
    if not found:
        raise ImportRefused("没有找到附件1的栏目（“县区名称”“拟建乡镇级团青微信群数量”等）。请确认上传的是《县乡两级微信体系建设计划表》，不要改动栏目文字。")
    if len(found) > 1:
        found.sort(key=lambda f: -len(f[1]))
        if len(found[0][1]) == len(found[1][1]):
            names = "、".join(f"“{g.name}”" for g, _ in found)
            raise ImportRefused(f"工作簿里有多张附件1（{names}），请只保留{county.name}的一张。")
    grid, labels = found[0]
    problems, values, cells = Problems(), {}, {}
    campaign = campaign or (campaign_selectors.current_campaign(account) if account else None)
    townships = Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).count()
    for f in layout.fields:
        if f.key not in labels:
            problems.error("", f"表中找不到“{f.label}”这一栏。")
            continue
        raw, cell = _plan_value(grid, *labels[f.key])
        cells[f.key] = cell
        if f.kind == "int":
            try:
                count = parse_count(raw)
            except NumberError as reason:
                problems.error(cell, str(reason))
                continue
            if count.value < 0:
                problems.error(cell, f"不能是负数（{count.value}）。")
                continue
            if count.empty:
                problems.warning(cell, f"“{f.label}”没有填，按 0 导入。")
            if count.approximate:
                problems.warning(cell, f"“{shown(raw)}”是约数，按 {count.value} 导入。")
            values[f.key] = count.value
        elif f.kind == "yesno":
            opened, kind, note = parse_yesno(raw)
            values["account_opened"], values["account_type"] = opened, kind
            if note:
                problems.warning(cell, note)
        else:
            values[f.key] = shown(raw).strip()
    header = _header_fields(_header_line(grid, min((r for r, _ in labels.values()), default=0)))
    for key in ("filled_by", "contact"):
        if key in header:
            values[key] = header[key][0]
    for key, limit in TEXT_LIMITS.items():
        if len(values.get(key, "")) > limit:
            problems.error(cells.get(key, ""), f"太长了（{len(values[key])} 字，最多 {limit} 字）。")
    if "county_name" in values:
        typed = values["county_name"]
        match = match_org(typed, [county], suffixes=COUNTY_SUFFIXES)
        if match.org is None:
            problems.error(cells["county_name"], f"县区名称是“{typed}”，不是{county.name}。请选对县区或换成{county.name}的文件。")
        elif match.noted:
            problems.warning(cells["county_name"], f"“{typed}”按“{county.name}”导入。")
        values["county_name"] = county.name
    if values.get("township_count") is not None and "township_count" in cells and values["township_count"] != townships:
        problems.warning(cells["township_count"], f"现有乡镇数量填的是 {values['township_count']}，组织树中{county.name}有 {townships} 个乡镇。")
    plan = None
    if campaign is None:
        problems.error("", "尚未设置建设计划（团市委设置后才能导入计划表）。")
    else:
        _check_targets(values, cells, campaign, townships, problems)
        plan = CountyPlan.objects.filter(campaign=campaign, org=county).first()
        if plan and not plan.is_editable():
            problems.error("", f"{county.name}的计划表{plan.get_status_display()}，不能再导入修改（需上级退回或解锁）。")
    if account is None or not (is_own_org(account, county) and account.can_edit):
        problems.error("", "计划表由县区团委本级的管理员或填报员导入（上级可以查看和审核）。")
    current = {f: getattr(plan, f) for f in PLAN_FIELDS} if plan else (plan_prefill(campaign=campaign, county=county) if campaign else {})
    preview = {
        "form": "plan", "sheet": grid.name, "campaign_id": campaign.pk if campaign else None,
        "campaign": str(campaign) if campaign else "", "plan_id": plan.pk if plan else None,
        "plan_version": plan.version if plan else 0, "plan_status": plan.get_status_display() if plan else "未填报",
        "values": values,
        "fields": [_plan_line(key, label, values, current, cells) for key, label in _plan_labels(layout)],
        "counts": {"rows": 1, "changed": 0},
    }
    preview["counts"]["changed"] = sum(1 for line in preview["fields"] if line["changed"])
    return Analysis("plan", county, None, preview, _sorted(problems))


def _plan_labels(layout):
    for f in layout.fields:
        if f.kind == "yesno":
            yield "account_opened", f.label
            yield "account_type", "订阅号/服务号"
        else:
            yield f.key, f.label
    yield "filled_by", "填表人"
    yield "contact", "联系方式"


def _plan_display(key, value):
    if value is None:
        return ""
    if key == "account_opened":
        return "是" if value else "否"
    if key == "account_type":
        return {"subscription": "订阅号", "service": "服务号"}.get(value, "")
    return str(value)


def _plan_line(key, label, values, current, cells):
    new, old = _plan_display(key, values.get(key)), _plan_display(key, current.get(key))
    return {"key": key, "label": label, "cell": cells.get(key, cells.get("account_opened", "") if key == "account_type" else ""),
            "value": new, "current": old, "changed": key in values and new != old}


def _check_targets(values, cells, campaign, townships, problems):
    """方案“主要任务”: at least N 青农 groups per county, N 团青 groups per township."""
    work = values.get("planned_county_work_groups")
    if work is not None and work < campaign.work_groups_per_county:
        problems.warning(cells.get("planned_county_work_groups", ""),
                         f"方案要求每个县青农微信群不少于 {campaign.work_groups_per_county} 个，这里是 {work}。")
    youth = values.get("planned_township_youth_groups")
    need = campaign.youth_groups_per_township * townships
    if youth is not None and youth < need:
        problems.warning(cells.get("planned_township_youth_groups", ""),
                         f"方案要求每个乡镇团青微信群不少于 {campaign.youth_groups_per_township} 个（{townships} 个乡镇共 {need} 个），这里是 {youth}。")


# ---------------------------------------------------------------- services


def county_for(org):
    """The county an import for `org` belongs to: itself, or the county above it."""
    if org.level == OrgLevel.COUNTY:
        return org
    if org.level in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT):
        return Org.objects.filter(path__in=org.ancestor_paths(), level=OrgLevel.COUNTY).first()
    return None


def _read(file):
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD:
        raise ImportRefused(f"文件太大（{size / 1024 / 1024:.1f} MB），最大 10 MB。附件表格通常只有几十 KB，请检查是否选错了文件。")
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_UPLOAD + 1)


def analyse(*, account, org, form_code, data, as_of=None):
    """Read `data` as the `form_code` form of `org` (a county); no writes. ImportRefused for
    a file that cannot be read as that form at all."""
    if form_code not in FORM_NAMES:
        raise ValidationError("只能导入附件1（计划表）或附件3（跟踪摸底表）。")
    if org.level != OrgLevel.COUNTY:
        raise ValidationError("附件1、附件3 按县区导入：请选择一个县区。")
    if account is not None:
        require_edit(account, org)
    grids = read_workbook(data)
    if form_code == "progress":
        return analyse_progress(grids, county=org, as_of=as_of)
    return analyse_plan(grids, county=org, account=account)


def import_preview(*, account, org, form_code, file, as_of=None):
    """Save the upload as an ImportRun: the file, its problems and the rows as they will be
    stored (status 待确认, or 有错误). Nothing else changes until import_confirm. A file that
    cannot be read at all raises ImportRefused and leaves no run behind."""
    data = _read(file)
    analysis = analyse(account=account, org=org, form_code=form_code, data=data, as_of=as_of)
    return run_save(account=account, analysis=analysis, data=data, file_name=_file_name(file))


def _file_name(file):
    name = getattr(file, "name", "") or "upload.xlsx"
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def run_save(*, account, analysis, data, file_name):
    run = ImportRun(org=analysis.org, form_code=analysis.form_code, file_name=file_name, as_of=analysis.as_of,
                    status=ImportStatus.FAILED if analysis.errors else ImportStatus.PREVIEWED,
                    problems=analysis.problems, preview=analysis.preview, created_by=account)
    suffix = ".xls" if data.startswith(CFB_MAGIC) else ".xlsx"
    run.file.save(f"{analysis.form_code}-{analysis.org.code or analysis.org.pk}{suffix}", ContentFile(data), save=False)
    run.save()
    return run


@transaction.atomic
def import_confirm(*, account, run):
    """Write the previewed rows, all in one transaction or none: 附件3 → one ReportedProgress
    per township for the run's date (replacing an earlier import of that date); 附件1 → the
    county's plan through campaign.services.plan_save (a draft, only while editable). The
    run's confirmed_at is the org's submission time; the org's audit log gets the counts."""
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("org").get(pk=run.pk)
    if account is not None:
        require_edit(account, run.org)
    if run.status == ImportStatus.IMPORTED:
        raise ValidationError(f"这份文件已经在 {timezone.localtime(run.confirmed_at):%Y-%m-%d %H:%M} 导入过了，不能重复导入。")
    if run.status == ImportStatus.CANCELLED:
        raise ValidationError("这次导入已取消。如需导入，请重新上传文件。")
    if run.status == ImportStatus.FAILED or run.errors:
        raise ValidationError("表中还有错误，不能导入。请改正后重新上传。")
    if run.form_code == "progress":
        written, note = _write_progress(run)
    else:
        written, note = _write_plan(account, run)
    run.status = ImportStatus.IMPORTED
    run.rows_written = written
    run.confirmed_at = timezone.now()
    run.save(update_fields=["status", "rows_written", "confirmed_at"])
    changed = run.preview.get("counts", {}).get("changed", 0)
    audit_log(obj=run.org, action=AuditAction.IMPORT, user=account,
              changes={FORM_NAMES[run.form_code]: ["", f"{note}，{changed} 处与原数据不同"]},
              note=f"Excel 导入{FORM_NAMES[run.form_code]}（{run.file_name}，导入记录 #{run.pk}）：{note}")
    return run


def _write_progress(run):
    rows = run.preview.get("rows", [])
    as_of = date.fromisoformat(run.preview["as_of"])
    ids = [r["org_id"] for r in rows]
    townships = set(Org.objects.filter(parent=run.org, level=OrgLevel.TOWNSHIP, pk__in=ids).values_list("pk", flat=True))
    if townships != set(ids):
        raise ValidationError("组织树在预览之后有变化（有乡镇被删除或移动），请重新上传。")
    existing = {r.org_id: r for r in ReportedProgress.objects.select_for_update().filter(org_id__in=ids, as_of=as_of)}
    now = timezone.now()
    new, updated = [], []
    for row in rows:
        values = row["values"]
        report = existing.get(row["org_id"]) or ReportedProgress(org_id=row["org_id"], as_of=as_of)
        report.import_run = run
        report.branch_count, report.cadre_count = values["branch_count"], values["cadre_count"]
        report.youth_count, report.group_count = values["youth_count"], values["group_count"]
        report.figures = {k: values[k] for k in REPORTED_FIGURE_KEYS}
        report.entered_at = now
        (updated if report.pk else new).append(report)
    ReportedProgress.objects.bulk_create(new)
    ReportedProgress.objects.bulk_update(updated, ["import_run", "branch_count", "cadre_count", "youth_count",
                                                   "group_count", "figures", "entered_at"])
    return len(rows), f"{len(rows)} 个乡镇（截至 {as_of:%Y-%m-%d}），新增 {len(new)}、更新 {len(updated)}"


def _write_plan(account, run):
    from qingnong.campaign.models import Campaign
    from qingnong.campaign.services import plan_save

    if account is None:
        raise ValidationError("计划表由县区团委本级的账号导入。")
    from qingnong.campaign.models import CountyPlan

    campaign = Campaign.objects.get(pk=run.preview["campaign_id"])
    if run.preview["plan_id"] is None and CountyPlan.objects.filter(campaign=campaign, org=run.org).exists():
        raise ValidationError("预览之后计划表已被他人填写，请重新上传后再确认。")
    plan_save(account=account, campaign=campaign, county=run.org,
              expected_version=run.preview["plan_version"] if run.preview["plan_id"] else None, **run.preview["values"])
    return 1, f"计划表（{campaign.year}年）已保存为草稿"


@transaction.atomic
def import_cancel(*, account, run):
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("org").get(pk=run.pk)
    require_edit(account, run.org)
    if run.status == ImportStatus.IMPORTED:
        raise ValidationError("已经导入的文件不能取消。")
    run.status = ImportStatus.CANCELLED
    run.save(update_fields=["status"])
    return run


def import_runs(account, org, *, limit=10):
    """The latest imports of `org`, as `account` may see them (a selector)."""
    if not in_scope(account, org):
        return ImportRun.objects.none()
    return scoped(ImportRun.objects.select_related("created_by"), account).filter(org=org)[:limit]
