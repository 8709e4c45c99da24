"""Bulk entry from Excel (issue 12, "fill once"): the ledger lists a county sets up once,
filled in a downloadable template and imported in one go. Each list is declared once here
(its columns, what each accepts): the same declaration writes the template, reads the file
and names the cell of every problem. A preview comes first; confirming writes every row in
one transaction, or none, in a fixed number of statements.

Three lists: 团干部 (cadres), 村和直属团组织 (villages and 直属 orgs), 微信群 (groups)."""
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.ledger.models import Basis, Cadre, GroupKind, WechatGroup
from qingnong.ledger.totals import refresh
from qingnong.lib.sheets import Column, HeaderField, TableLayout
from qingnong.lib.dates import today
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
    kind: str = "text"  # "text" | "org" | "township" | "choice" | "bases" | "date" | "cadre" | "mobile" | "count" | "yesno"
    required: bool = False
    choices: tuple = ()  # "choice": ((label, value), …); the first is the default of an empty cell
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
    list_url: str  # the ledger page the rows land on (URL name, takes the county's id)
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
), list_url="ledger:cadres", notes=(
    "带 * 的列必须填写。第一行是示例，导入前请删除或改成真实数据。",
    "所属组织：本县区、乡镇、村或直属团组织的名称；村重名时写成“乡镇/村”，如“鱼河镇/甲村”。",
    "基层团干部：填“是”或“否”，不填按“是”（乡镇、村团干部）。联系青年数：通过微信联系的农村青年人数。",
))
ORGS = BulkList("orgs", "村和直属团组织", (
    Field("parent", "上级乡镇", kind="township", required=True, width=14, example="鱼河镇"),
    Field("name", "组织名称", required=True, width=22, example="鱼河镇甲村团支部"),
    Field("level", "类型", kind="choice", width=14, example="村团组织",
          choices=(("村团组织", OrgLevel.VILLAGE), ("直属团组织", OrgLevel.DIRECT))),
    Field("note", "备注", max_length=200, width=20, example=""),
), list_url="portal:org-detail", notes=(
    "带 * 的列必须填写。第一行是示例，导入前请删除或改成真实数据。",
    "上级乡镇：本县区的乡镇（街道）名称。类型：村团组织或直属团组织，不填按村团组织。同一乡镇下名称不能重复。",
))
GROUPS = BulkList("groups", "微信群", (
    Field("org", "所属组织", kind="org", required=True, width=18, example="鱼河镇"),
    Field("name", "群名称", required=True, max_length=100, width=22, example="鱼河青年读书群"),
    Field("kind", "类型", kind="choice", width=14, example="团青微信群",
          choices=(("团青微信群", GroupKind.YOUTH), ("青农微信群", GroupKind.WORK))),
    Field("bases", "建群依据", kind="bases", width=16, example="地缘、趣缘"),
    Field("founded_on", "建群日期", kind="date", width=12, example="2014-09-01"),
    Field("owner", "群主", kind="cadre", width=10, example="张三"),
    Field("purpose", "用途/备注", max_length=200, width=20, example=""),
), list_url="ledger:groups", notes=(
    "带 * 的列必须填写。第一行是示例，导入前请删除或改成真实数据。",
    "类型：团青微信群或青农微信群，不填按团青微信群。建群依据（团青群）：地缘、业缘、事缘、趣缘，可填几个，用顿号隔开。",
    "建群日期：如 2014-09-01，不能晚于今天。群主：本县区已登记的团干部姓名（可先批量导入团干部）。",
))
LISTS = {CADRES.code: CADRES, ORGS.code: ORGS, GROUPS.code: GROUPS}


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
    cadres = list(Cadre.objects.filter(org__path__startswith=county.path).select_related("org")) \
        if any(f.kind == "cadre" for f in bulk.fields) else []
    seen = {}  # (parent, name) → row: a name twice under one parent in the file
    if bulk is ORGS:  # the names already taken, read once: an org's under its township, a group's in its org
        seen.update({key: None for key in Org.objects.filter(parent__in=[o for o in orgs if o.level == OrgLevel.TOWNSHIP])
                     .values_list("parent_id", "name")})
    elif bulk is GROUPS:
        seen.update({key: None for key in WechatGroup.objects.filter(org__path__startswith=county.path)
                     .values_list("org_id", "name")})
    rows = []
    for r in range(top + 1, min(len(grid.rows), top + 1 + MAX_ROWS)):
        raw = {f.key: grid.value(r, columns[f.key]) if f.key in columns else "" for f in bulk.fields}
        if not any(clean(shown(v)) for v in raw.values()):
            continue
        cells = {f.key: cell_name(r, columns[f.key]) for f in bulk.fields if f.key in columns}
        values = {f.key: _value(f, raw[f.key], cells.get(f.key, ""), problems, orgs) for f in bulk.fields if f.kind != "cadre"}
        for f in (f for f in bulk.fields if f.kind == "cadre"):
            values[f.key] = _cadre(clean(shown(raw[f.key])), values.get("org"), cells.get(f.key, ""), problems, cadres)
        _check_name(bulk, values, cells, r, seen, problems)
        rows.append({"row": r + 1, "values": values, "cells": cells,
                     "shown": {f.key: _shown(values[f.key], raw[f.key]) for f in bulk.fields}})
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
        if f.kind == "choice":
            return f.choices[0][1]
        return {"yesno": True, "count": 0}.get(f.kind, None if f.kind in ("org", "township", "date") else "")
    if f.kind == "org":
        return _org(text, cell, problems, orgs)
    if f.kind == "township":
        match = match_org(text, [o for o in orgs if o.level == OrgLevel.TOWNSHIP])
        if match.org is None:
            problems.error(cell, f"“{text}”不是本县区的乡镇（街道）。")
        return match.org
    if f.kind == "choice":
        value = next((v for label, v in f.choices if clean(label) == text or clean(label).startswith(text)), None)
        if value is None:
            problems.error(cell, f"“{f.label}”只能填{'或'.join(label for label, _ in f.choices)}，不是“{text}”。")
        return value or f.choices[0][1]
    if f.kind == "bases":
        return _bases(text, cell, problems, f)
    if f.kind == "date":
        return _date(raw, text, cell, problems, f)
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


def _shown(value, raw):
    if isinstance(value, (Org, Cadre)):
        return value.name
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return clean(shown(raw))


def _bases(text, cell, problems, f):
    labels = {label: value for value, label in Basis.choices}
    parts = [p.strip() for p in re.split(r"[、，,;；/\s]+", text) if p.strip()]
    unknown = [p for p in parts if p not in labels]
    if unknown:
        problems.error(cell, f"“{f.label}”只能是地缘、业缘、事缘、趣缘，不是“{'、'.join(unknown)}”。")
    chosen = [labels[p] for p in parts if p in labels]
    return f",{','.join(dict.fromkeys(chosen))}," if chosen else ""


def _date(raw, text, cell, problems, f):
    if isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        except ValueError:
            problems.error(cell, f"“{f.label}”应为日期，如 2014-09-01，不是“{text}”。")
            return None
    if day > today():
        problems.error(cell, f"“{f.label}”{day:%Y-%m-%d}晚于今天。")
    return day


def _cadre(text, org, cell, problems, cadres):
    """A cadre of the county by name; where names repeat, the one nearest the row's org."""
    if not text:
        return None
    named = [c for c in cadres if c.name == text]
    if org is not None and len(named) > 1:
        near = [c for c in named if c.org.path.startswith(org.path) or org.path.startswith(c.org.path)]
        named = near or named
    if len(named) == 1:
        return named[0]
    problems.error(cell, f"本县区有 {len(named)} 名团干部叫“{text}”，请核对。" if named else
                   f"本县区没有登记名为“{text}”的团干部。请先添加团干部，或不填群主。")
    return None


def _check_name(bulk, values, cells, r, seen, problems):
    """A new org's name must be new under its township, a new group's in its org: in the
    ledger (seen[…] is None) and in the file (seen[…] is the row that has it)."""
    owner_key = {ORGS.code: "parent", GROUPS.code: "org"}.get(bulk.code)
    if owner_key is None or not values.get(owner_key) or not values.get("name"):
        return
    key = (values[owner_key].pk, values["name"])
    if key in seen:
        where = f"在第 {seen[key]} 行已经填过" if seen[key] else "已在台帐中"
        problems.error(cells["name"], f"{values[owner_key].name}的“{values['name']}”{where}。")
    seen[key] = r + 1


def preview(bulk, analysis):
    """What the preview page and ImportRun.preview keep: the rows as they will be stored."""
    rows = [{"row": r["row"], "cells": r["cells"], "shown": r["shown"],
             "values": {k: _stored(v) for k, v in r["values"].items()}} for r in analysis.rows]
    return {"form": bulk.code, "columns": [{"key": f.key, "label": f.label} for f in bulk.fields], "rows": rows,
            "counts": {"rows": len(rows), "changed": len(rows)}}


def _stored(value):
    """A previewed value as JSON keeps it (ImportRun.preview): an org or cadre by id, a date as text."""
    if isinstance(value, (Org, Cadre)):
        return value.pk
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else value


def _orgs_of(county, ids):
    orgs = {o.pk: o for o in Org.objects.filter(path__startswith=county.path, pk__in=set(ids))}
    if len(orgs) != len(set(ids)):
        raise ValidationError("组织树在预览之后有变化（有组织被删除或移动），请重新上传。")
    return orgs


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


@transaction.atomic
def orgs_write(*, user, county, rows):
    """Every previewed village or 直属 org in one go: one INSERT and one for their history
    (each path set before the insert, as org.services.org_create_child does)."""
    require_edit(user, county)
    parents = _orgs_of(county, [r["values"]["parent"] for r in rows])
    names = {(r["values"]["parent"], r["values"]["name"]) for r in rows}
    taken = set(Org.objects.filter(parent__in=list(parents), name__in={n for _, n in names}).values_list("parent_id", "name"))
    if taken & names:
        raise ValidationError("预览之后已有同名组织被添加，请重新上传。")
    orgs = [Org(name=r["values"]["name"], level=r["values"]["level"], parent=parents[r["values"]["parent"]],
                note=r["values"]["note"], depth=parents[r["values"]["parent"]].depth + 1,
                path=f"{parents[r['values']['parent']].path}n{secrets.token_hex(5)}/") for r in rows]
    for org in orgs:  # names checked above for all rows at once
        org.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    bulk_create_with_history(orgs, Org, default_user=user)
    audit_log(obj=county, action=AuditAction.IMPORT, user=user, changes={"下级组织": ["", f"新增 {len(orgs)} 个"]},
              note=f"Excel 批量导入村和直属团组织 {len(orgs)} 个")
    return len(orgs)


@transaction.atomic
def groups_write(*, user, county, rows):
    """Every previewed group in one go: one INSERT and one for their history, the units'
    group totals, one entry in the county's 操作记录."""
    require_edit(user, county)
    orgs = _orgs_of(county, [r["values"]["org"] for r in rows])
    owners = {c.pk: c for c in Cadre.objects.filter(org__path__startswith=county.path,
                                                    pk__in={r["values"]["owner"] for r in rows if r["values"]["owner"]})}
    covers = {OrgLevel.CITY: OrgLevel.COUNTY, OrgLevel.COUNTY: OrgLevel.TOWNSHIP, OrgLevel.TOWNSHIP: OrgLevel.VILLAGE}
    groups = []
    for r in rows:
        v, org = r["values"], orgs[r["values"]["org"]]
        youth = v["kind"] == GroupKind.YOUTH
        groups.append(WechatGroup(
            org=org, name=v["name"], kind=v["kind"], bases=v["bases"] if youth else "",
            covers_level="" if youth else covers.get(org.level, ""), owner=owners.get(v["owner"]),
            founded_on=date.fromisoformat(v["founded_on"]) if v["founded_on"] else None, purpose=v["purpose"]))
    taken = set(WechatGroup.objects.filter(org__in=list(orgs), name__in={g.name for g in groups}).values_list("org_id", "name"))
    if taken & {(g.org_id, g.name) for g in groups}:
        raise ValidationError("预览之后已有同名微信群被添加，请重新上传。")
    for group in groups:  # names checked above for all rows at once, not one query per row
        group.full_clean(exclude=["org", "owner"], validate_unique=False, validate_constraints=False)
    bulk_create_with_history(groups, WechatGroup, default_user=user)
    refresh(list(orgs), ("groups",))
    audit_log(obj=county, action=AuditAction.IMPORT, user=user, changes={"微信群": ["", f"新增 {len(groups)} 个"]},
              note=f"Excel 批量导入微信群 {len(groups)} 个")
    return len(groups)


WRITERS = {CADRES.code: cadres_write, ORGS.code: orgs_write, GROUPS.code: groups_write}
