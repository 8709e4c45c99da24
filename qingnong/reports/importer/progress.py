"""附件3 from a returned workbook: find the form by its header labels, read each township
row and the footers, and collect problems at their cells."""
import re
from dataclasses import dataclass
from datetime import date


from qingnong.ledger.quality import check_township_row, rules_for_many
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel

from .. import layouts
from ..matching import COUNTY_SUFFIXES, clean, label_key, match_org, stem
from ..numbers import NumberError, parse_count, shown

from .workbook import Analysis, Grid, ImportRefused, Problems, _filled, cell_name, column_number
from qingnong.reports.progress import current_township_figures

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


def _check_county_named(named, county, problems, siblings=None):
    """The header names another county: the wrong file. A county not found at all: a warning.
    `siblings`: the counties beside `county` when already fetched (a workbook of many counties)."""
    if not named:
        return
    text, row = named
    if siblings is None:
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


def _choose_sheet(candidates, county, what, named_index=None):
    if len(candidates) == 1:
        return candidates[0]
    if named_index is None:
        named = [c for c in candidates if match_org(c.grid.name, [county], suffixes=COUNTY_SUFFIXES).org is not None]
    else:
        named = [candidates[i] for i in sorted(named_index.named(county))]
    if len(named) == 1:
        return named[0]
    names = "、".join(f"“{c.grid.name}”" for c in candidates)
    raise ImportRefused(f"工作簿里有 {len(candidates)} 张{what}（{names}），无法确定哪一张是{county.name}的。请只保留本县的一张，或把它的工作表改名为“{county.name}”。")


class _SheetNames:
    """Which candidate sheets name a county, as match_org(sheet name, [county]) decides
    (same name, same cleaned name or same stem), indexed once so that a workbook of a
    hundred counties is not a hundred × hundred matches."""

    def __init__(self, candidates):
        self.keys = {}
        for i, candidate in enumerate(candidates):
            raw = "" if candidate.grid.name is None else str(candidate.grid.name)
            if clean(raw):
                for key in self._keys(raw):
                    self.keys.setdefault(key, set()).add(i)

    @staticmethod
    def _keys(name):
        return [("raw", name), ("clean", clean(name)), ("stem", stem(name, COUNTY_SUFFIXES))]

    def named(self, county):
        return set().union(*(self.keys.get(key, set()) for key in self._keys(county.name)))


@dataclass
class _Sheet:
    """One county's sheet read and checked; its comparison with the ledger comes later,
    for every sheet of the workbook at once."""
    county: Org
    as_of: date
    rows: list
    footers: dict
    numeric: list
    header: dict
    grid: Grid
    problems: Problems


def analyse_progress(grids, *, county, as_of=None):
    """The 附件3 of `county` in `grids`; ImportRefused when the workbook holds none."""
    result, = analyse_progress_workbook(grids, counties=[county], as_of=as_of)
    if isinstance(result, ImportRefused):
        raise result
    return result


def analyse_progress_workbook(grids, *, counties, as_of=None):
    """The 附件3 of each of `counties` in `grids` (a workbook of one sheet per county): one
    Analysis per county, in order, or the ImportRefused that county's sheet got. Townships,
    neighbouring counties and the ledger's current figures are fetched for all counties at
    once, so the number of SQL statements does not grow with the number of sheets."""
    layout = layouts.get("progress")
    candidates = [located for grid in grids if (located := _locate_progress(grid, layout))]
    names = _SheetNames(candidates) if len(candidates) > 1 else None
    townships_of = {county.pk: [] for county in counties}
    for township in Org.objects.filter(parent__in=counties, level=OrgLevel.TOWNSHIP).order_by("code", "name") if counties else ():
        townships_of[township.parent_id].append(township)
    siblings_of = None
    rules_of = rules_for_many(counties)  # the city's data-quality rules, one statement for every sheet
    sheets = []
    for county in counties:
        if not candidates:
            sheets.append(ImportRefused("没有找到附件3的表头（“乡镇名称”“团支部数”等）。请确认上传的是《农村共青团微信体系建设工作推进情况跟踪摸底表》，不要改动表头文字。"))
            continue
        try:
            located = _choose_sheet(candidates, county, "附件3", names)
        except ImportRefused as refused:
            sheets.append(refused)
            continue
        header = _header_fields(_header_line(located.grid, located.top))
        if header.get("county") and county.parent_id and siblings_of is None:
            siblings_of = _counties_beside(counties)  # once, for every sheet that names a county
        siblings = siblings_of.get(county.parent_id, []) if county.parent_id and siblings_of is not None else [county]
        sheets.append(_read_sheet(located, layout, county, header, siblings, townships_of[county.pk], as_of, rules_of[county.pk]))
    current = _current_figures([s for s in sheets if isinstance(s, _Sheet)])
    return [s if isinstance(s, ImportRefused) else Analysis(
        "progress", s.county, s.as_of, _progress_preview(current.get(s.as_of, {}), s), _sorted(s.problems)) for s in sheets]


def _counties_beside(counties):
    """{parent id: [its counties]} for the parents of `counties`, in one statement."""
    beside = {}
    parents = {county.parent_id for county in counties if county.parent_id}
    for county in Org.objects.filter(parent_id__in=parents, level=OrgLevel.COUNTY):
        beside.setdefault(county.parent_id, []).append(county)
    return beside


def _current_figures(sheets):
    """{as_of: {township id: current figures}}: one batch per distinct report date."""
    by_date = {}
    for sheet in sheets:
        if sheet.as_of:
            by_date.setdefault(sheet.as_of, {})[sheet.county.pk] = sheet.county
    return {as_of: current_township_figures(list(counties.values()), as_of=as_of) for as_of, counties in by_date.items()}


def _read_sheet(located, layout, county, header, siblings, townships, as_of, rules):
    grid, problems = located.grid, Problems()
    missing = [c for c in layout.columns if c.key not in located.columns]
    for column in missing:
        problems.error(cell_name(located.top, located.name_col), f"表头里找不到“{column.label}”这一列。")
    for col, text in located.unknown:
        problems.warning(cell_name(located.top, col), f"“{text}”不是附件3的列，已忽略。")

    _check_county_named(header.get("county"), county, problems, siblings)
    as_of = _report_date(as_of, header.get("reported_at"), problems)

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
        _check_members(grid, r, figures, located, problems, rules)
        # Blank never means zero (issue 17): a blank cell is "not reported", and the figure it
        # had stands (the preview fills it from the current figures); an explicit 0 is 0.
        raws = {c.key: grid.raw(r, located.columns[c.key]) for c in numeric}
        rows.append({"org_id": township.pk, "name": township.name, "typed": shown(name_raw), "row": r + 1, "name_cell": cell,
                     "values": figures, "cells": {c.key: cell_name(r, located.columns[c.key]) for c in numeric},
                     "blank": [k for k, raw in raws.items() if raw in ("", None)],
                     "texts": {k: shown(raw) for k, raw in raws.items() if raw not in ("", None) and values[k] is None}})

    if not rows and not any(p["level"] == "error" for p in problems):
        problems.error(cell_name(located.top, located.name_col), "表中没有可导入的乡镇数据。")
    _check_footers(footers, data_rows, numeric, located, problems)
    not_in_file = [t.name for t in townships if t.pk not in seen]
    if rows and not_in_file:
        problems.warning("", f"表中没有 {len(not_in_file)} 个乡镇，保留它们原有的数据：{'、'.join(not_in_file)}。")
    return _Sheet(county, as_of, rows, footers, numeric, header, grid, problems)


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
        if grid.merges.get((r, c), (r, c)) != (r, c):
            values[column.key] = None
            continue
        raw = grid.raw(r, c)
        # The usual cell, a whole number ≥ 0, skips the general parser: a province's
        # workbook has 40,000 of them (bench scenario 5).
        if (type(raw) is int or (type(raw) is float and raw.is_integer())) and 0 <= raw <= (column.bound or raw):
            values[column.key] = int(raw)
            continue
        if raw == "" or raw is None:  # an empty cell (parse_count's answer, without its work)
            values[column.key] = None
            continue
        cell = cell_name(r, c)
        try:
            count = parse_count(raw)
        except NumberError as reason:
            report(cell, str(reason))
            values[column.key] = None
            continue
        if count.value < 0:
            report(cell, f"不能是负数（{count.value}）。")
            values[column.key] = None
            continue
        if column.bound is not None and count.value > column.bound and not lenient:
            report(cell, f"“{column.label}”填了 {count.value}，一个乡镇不会这么多（上限 {column.bound}），请核对是否多打了数字。")
            values[column.key] = None
            continue
        if count.approximate:
            problems.warning(cell, f"“{shown(grid.raw(r, c))}”是约数，按 {count.value} 导入。")
        values[column.key] = None if count.empty else count.value
    return values


def _check_members(grid, r, figures, located, problems, rules):
    """The city's data-quality rules on one township row (ledger.quality): a warning next
    to the cell, or an error where the rule blocks."""
    for key, message, blocking in check_township_row(rules, figures):
        if key in located.columns:
            (problems.error if blocking else problems.warning)(cell_name(r, located.columns[key]), message)


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


def _progress_preview(current, sheet):
    """The rows against the current figures (`current`: {township id: {"source", key: n}},
    imported figures where they replace the ledger's, as progress_form shows them)."""
    rows, numeric, as_of, header, grid, footers = sheet.rows, sheet.numeric, sheet.as_of, sheet.header, sheet.grid, sheet.footers
    changed_total = 0
    for row in rows:
        now = current.get(row["org_id"], {})
        row["current"] = {c.key: now.get(c.key, 0) for c in numeric}
        row["current_source"] = now.get("source", "ledger")
        for key in row.get("blank", []):  # not reported: the figure it had stands
            row["values"][key] = row["current"][key]
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
            return (p["level"] != "error", int(match.group(2)), column_number(match.group(1)))
        row = re.fullmatch(r"第(\d+)行", p["cell"] or "")
        return (p["level"] != "error", int(row.group(1)) if row else 0, 0)
    return sorted(problems, key=key)


# ---------------------------------------------------------------- 附件1
