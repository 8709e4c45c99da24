"""Bulk entry from Excel (issue 12, "fill once"): the ledger lists a county sets up once,
filled in a downloadable template and imported in one go. Each list is declared once here
(its columns, what each accepts): the same declaration writes the template, reads the file
and names the cell of every problem. A preview comes first; confirming writes every row in
one transaction, or none, in a fixed number of statements.

So far: 团干部 (cadres). Villages/直属 orgs and groups follow the same shape."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.ledger.models import Cadre
from qingnong.ledger.totals import refresh
from qingnong.lib.sheets import Column, HeaderField, TableLayout
from qingnong.lib.xlsx import Sheet
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import require_edit

from .importer.workbook import Problems, cell_name
from .matching import clean, match_org
from .numbers import shown

MAX_ROWS = 2000  # a county's cadres fit many times over; a bigger file is a wrong file
YES, NO = ("是", "基层", "y", "yes", "1", "true"), ("否", "不是", "n", "no", "0", "false")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the template's header; a trailing * marks a required column
    kind: str = "text"  # "text" | "org" | "mobile" | "count" | "yesno"
    required: bool = False
    max_length: int = 50
    width: float = 12
    example: str = ""

    @property
    def header(self):
        return f"{self.label}*" if self.required else self.label


@dataclass(frozen=True)
class BulkList:
    code: str  # also the ImportRun's form_code
    title: str
    fields: tuple
    notes: tuple = field(default_factory=tuple)

    def layout(self, org):
        columns = tuple(Column(f.key, (f.header,), width=f.width, kind="text") for f in self.fields)
        return TableLayout(code=self.code, attachment="", title=f"{org.name}{self.title}（批量导入）",
                           header_fields=(HeaderField("org", "组织"),), columns=columns, landscape=True)

    def template(self, org):
        """The sheet to fill in: the header, one example row, and what each column accepts."""
        example = {f.key: f.example for f in self.fields}
        return Sheet(self.title, self.layout(org), header={"org": org.committee_name}, rows=[example],
                     notes=self.notes)


CADRES = BulkList("cadres", "团干部名单", (
    Field("org", "所属组织", kind="org", required=True, width=18, example="鱼河镇"),
    Field("name", "姓名", required=True, example="张三"),
    Field("position", "职务", example="团委书记"),
    Field("mobile", "手机号", kind="mobile", max_length=11, example="13800000000"),
    Field("wechat_id", "微信号", example="zhangsan_qn"),
    Field("qq", "QQ号", max_length=15, example=""),
    Field("is_grassroots", "基层团干部", kind="yesno", width=10, example="是"),
    Field("youths_reached", "联系青年数", kind="count", width=10, example="25"),
), notes=(
    "带 * 的列必须填写。第一行是示例，导入前请删除或改成真实数据。",
    "所属组织：本县区、乡镇、村或直属团组织的名称；村重名时写成“乡镇/村”，如“鱼河镇/甲村”。",
    "基层团干部：填“是”或“否”，不填按“是”（乡镇、村团干部）。联系青年数：通过微信联系的农村青年人数。",
))
LISTS = {CADRES.code: CADRES}


@dataclass
class Analysis:
    rows: list  # [{"row": n, "values": {key: value}, "cells": {key: "B3"}, "shown": {key: text}}]
    problems: Problems

    @property
    def errors(self):
        return [p for p in self.problems if p["level"] == "error"]


def analyse(bulk, grids, *, county):
    """Read `grids` as `bulk`'s template filled for `county`: every row, every problem at its
    cell. Nothing is written."""
    problems = Problems()
    located = next(((g, r, cols) for g in grids for r, cols in [_header(bulk, g)] if cols), None)
    if located is None:
        labels = "、".join(f.label for f in bulk.fields if f.required)
        problems.error("", f"没有找到{bulk.title}的表头（{labels} 等）。请用本页下载的模板填写，不要改动表头文字。")
        return Analysis([], problems)
    grid, top, columns = located
    missing = [f for f in bulk.fields if f.required and f.key not in columns]
    for f in missing:
        problems.error(cell_name(top, 0), f"表头里找不到“{f.label}”这一列。")
    orgs = list(Org.objects.filter(path__startswith=county.path).exclude(level__in=[OrgLevel.CITY, OrgLevel.PROVINCE])
                .select_related("parent"))
    rows = []
    for r in range(top + 1, min(len(grid.rows), top + 1 + MAX_ROWS)):
        raw = {f.key: grid.value(r, columns[f.key]) if f.key in columns else "" for f in bulk.fields}
        if not any(clean(shown(v)) for v in raw.values()):
            continue
        cells = {f.key: cell_name(r, columns[f.key]) for f in bulk.fields if f.key in columns}
        values = {f.key: _value(f, raw[f.key], cells.get(f.key, ""), problems, orgs) for f in bulk.fields}
        rows.append({"row": r + 1, "values": values, "cells": cells,
                     "shown": {f.key: (values[f.key].name if f.kind == "org" and values[f.key] else clean(shown(raw[f.key])))
                               for f in bulk.fields}})
    if len(grid.rows) > top + 1 + MAX_ROWS:
        problems.error("", f"一次最多导入 {MAX_ROWS} 行，请分成几个文件。")
    if not rows and not problems:
        problems.error(cell_name(top + 1, 0), "表中没有可导入的行。")
    return Analysis(rows, problems)


def _header(bulk, grid):
    """(row, {key: column}) of the header within the first 10 rows, or (None, {})."""
    wanted = {clean(f.label): f.key for f in bulk.fields}
    for r in range(min(10, len(grid.rows))):
        columns = {}
        for c in range(grid.width):
            key = wanted.get(clean(shown(grid.value(r, c))).rstrip("*＊").strip())
            if key and key not in columns:
                columns[key] = c
        if len(columns) >= max(2, len(wanted) // 2):
            return r, columns
    return None, {}


def _value(f, raw, cell, problems, orgs):
    text = clean(shown(raw))
    if not text:
        if f.required:
            problems.error(cell, f"“{f.label}”必须填写。")
        return {"yesno": True, "count": 0}.get(f.kind, None if f.kind == "org" else "")
    if f.kind == "org":
        return _org(text, cell, problems, orgs)
    if f.kind == "yesno":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        problems.error(cell, f"“{f.label}”只能填“是”或“否”，不是“{text}”。")
        return True
    if f.kind == "count":
        digits = text.replace(",", "").replace("，", "")
        if digits.endswith(".0"):
            digits = digits[:-2]
        if not digits.isdigit():
            problems.error(cell, f"“{f.label}”应为不小于 0 的整数，不是“{text}”。")
            return 0
        return int(digits)
    if f.kind == "mobile" and not (text.isdigit() and len(text) == 11 and text.startswith("1")):
        problems.error(cell, f"手机号应为 11 位数字，不是“{text}”。")
        return text[:f.max_length]
    if len(text) > f.max_length:
        problems.error(cell, f"“{f.label}”最多 {f.max_length} 个字，现有 {len(text)} 个。")
    return text[:f.max_length]


def _org(text, cell, problems, orgs):
    """An org of the county by name, or "乡镇/村" when a village name is not unique."""
    parent_name, _, name = text.rpartition("/")
    candidates = orgs
    if parent_name:
        parent = match_org(parent_name.strip(), [o for o in orgs if o.level == OrgLevel.TOWNSHIP]).org
        candidates = [o for o in orgs if parent and o.parent_id == parent.pk]
    match = match_org(name.strip(), candidates)
    if match.org is not None:
        return match.org
    if match.how == "ambiguous":
        problems.error(cell, f"“{text}”有重名（{'、'.join(match.candidates)}），请写成“乡镇/村”。")
    else:
        problems.error(cell, f"“{text}”不是本县区的组织。请写组织全称，或先在组织树中添加。")
    return None


def preview(bulk, analysis):
    """What the preview page and ImportRun.preview keep: the rows as they will be stored."""
    rows = [{"row": r["row"], "cells": r["cells"], "shown": r["shown"],
             "values": {k: (v.pk if isinstance(v, Org) else v) for k, v in r["values"].items()}} for r in analysis.rows]
    return {"form": bulk.code, "columns": [{"key": f.key, "label": f.label} for f in bulk.fields], "rows": rows,
            "counts": {"rows": len(rows), "changed": len(rows)}}


@transaction.atomic
def cadres_write(*, user, county, rows):
    """Every previewed cadre in one go: one INSERT for the cadres and one for their history,
    the totals of their units refreshed, one entry in the county's 操作记录."""
    require_edit(user, county)
    orgs = {o.pk: o for o in Org.objects.filter(path__startswith=county.path, pk__in={r["values"]["org"] for r in rows})}
    if len(orgs) != len({r["values"]["org"] for r in rows}):
        raise ValidationError("组织树在预览之后有变化（有组织被删除或移动），请重新上传。")
    cadres = [Cadre(org=orgs[r["values"]["org"]], **{k: v for k, v in r["values"].items() if k != "org"}) for r in rows]
    for cadre in cadres:
        cadre.full_clean(exclude=["org"])
    bulk_create_with_history(cadres, Cadre, default_user=user)
    refresh(list(orgs), ("cadres",))
    audit_log(obj=county, action=AuditAction.IMPORT, user=user, changes={"团干部": ["", f"新增 {len(cadres)} 名"]},
              note=f"Excel 批量导入团干部 {len(cadres)} 名")
    return len(cadres)


WRITERS = {CADRES.code: cadres_write}
