"""The four ledger lists (微信群、团干部、发送微信、线下活动) as .xlsx: one definition each, as data.

Each `ListExport` names a TableLayout (read by qingnong.lib.xlsx.write_workbook, the writer of the
official forms), the columns it reads from the database (`fields`, for `.values()`) and how
one such row becomes the layout's cells. The rows come from the list page's own selector, so
the file holds exactly what the page lists (scope, filters, order), all pages of it, read in
one streamed statement (`.values().iterator()`): never one query per row.
"""
from dataclasses import dataclass, replace
from typing import Callable

from qingnong.org.models import OrgLevel
from qingnong.accounts.permissions import mask
from qingnong.lib.sheets import Column, HeaderField, TableLayout
from qingnong.lib.xlsx import Sheet

from .models import MEMBER_FIELDS, ActivityType, Basis, GroupKind, GroupStatus, MessageCategory, Source
from .totals import BELOW_TOWNSHIP

# Above this a list is not exported: the file would be too big to open on a county office PC
# (and to write in a request); the page asks to narrow the list first.
MAX_ROWS = 50_000
CHUNK = 2_000  # rows per fetch of the streamed read

HEADER_FIELDS = (HeaderField("org", "组织"), HeaderField("filters", "筛选"), HeaderField("exported_on", "导出日期"))
ORG_FIELDS = ("org__name", "org__level", "org__parent__name")


@dataclass(frozen=True)
class ListExport:
    title: str  # 微信群台帐: the sheet's title after the org's name, and the file's name
    layout: TableLayout
    fields: tuple  # what .values() reads
    cells: Callable  # (values row, account) → {column key: value}

    def sheet(self, *, org, rows, user, filters, exported_on):
        layout = replace(self.layout, title=f"{org.name}{self.title}")
        header = {"org": org.committee_name, "filters": filters or "全部", "exported_on": f"{exported_on:%Y-%m-%d}"}
        values = (self.cells(row, user) for row in rows.values(*self.fields).iterator(chunk_size=CHUNK))
        return Sheet(self.title, layout, header=header, rows=values)

    def file_name(self, org, exported_on):
        return f"{org.name}-{self.title}-{exported_on:%Y-%m-%d}.xlsx"


def _layout(code, title, columns):
    return TableLayout(code=code, attachment="", title=title, header_fields=HEADER_FIELDS, columns=columns,
                       landscape=True, autofilter=True)


def _text(key, header, width=10):
    return Column(key, (header,), width=width, kind="text")


def _org(row):
    """The org as the page names it; a village (or 直属) with its township: 鱼河镇 / 甲村."""
    if row["org__level"] in BELOW_TOWNSHIP and row["org__parent__name"]:
        return f"{row['org__parent__name']} / {row['org__name']}"
    return row["org__name"]


def _person(row, prefix):
    return row[f"{prefix}__full_name"] or row[f"{prefix}__username"] or ""


KINDS, STATUSES, BASES = dict(GroupKind.choices), dict(GroupStatus.choices), dict(Basis.choices)
LEVELS, CATEGORIES, SOURCES = dict(OrgLevel.choices), dict(MessageCategory.choices), dict(Source.choices)
ACTIVITY_TYPES = dict(ActivityType.choices)


def _group_cells(row, user):
    if row["kind"] == GroupKind.WORK:
        basis = f"覆盖{LEVELS[row['covers_level']]}" if row["covers_level"] else ""
    else:
        basis = "、".join(BASES.get(b, b) for b in row["bases"].strip(",").split(",") if b)
    return {**row, "org": _org(row), "kind": KINDS.get(row["kind"], row["kind"]), "basis": basis,
            "status": STATUSES.get(row["status"], row["status"]), "owner": row["owner__name"]}


GROUPS = ListExport(
    title="微信群台帐",
    layout=_layout("ledger_groups", "微信群台帐", (
        _text("org", "所属组织（乡镇/村）", 16), _text("name", "群名称", 16), _text("kind", "类型", 12),
        _text("basis", "建群依据/覆盖层级", 12), _text("status", "状态", 7),
        Column("founded_on", ("建群日期",), width=11, kind="date"), Column("closed_on", ("解散日期",), width=11, kind="date"),
        _text("owner", "群主", 8), Column("members_total", ("当前成员数",), width=8),
        Column("members_as_of", ("成员数截至",), width=11, kind="date"),
        *[Column(field, (f"{where}·{label}",), width=8) for field, where, label in MEMBER_FIELDS],
    )),
    fields=(*ORG_FIELDS, "name", "kind", "covers_level", "bases", "status", "founded_on", "closed_on", "owner__name",
            "members_total", "members_as_of", *[f for f, _, _ in MEMBER_FIELDS]),
    cells=_group_cells,
)


def _cadre_cells(row, user):
    # Masked for viewers exactly as the page masks them (the `mask` template filter).
    return {"org": _org(row), "name": row["name"], "position": row["position"],
            "is_grassroots": "是" if row["is_grassroots"] else "否", "youths_reached": row["youths_reached"],
            "mobile": mask(row["mobile"], user), "wechat_id": mask(row["wechat_id"], user)}


CADRES = ListExport(
    title="团干部台帐",
    layout=_layout("ledger_cadres", "团干部台帐", (
        _text("org", "所属组织", 16), _text("name", "姓名", 8), _text("position", "职务", 12),
        _text("is_grassroots", "是否基层团干部", 8), Column("youths_reached", ("微信联系农村青年数",), width=10),
        _text("mobile", "手机号", 13), _text("wechat_id", "微信号", 14),
    )),
    fields=(*ORG_FIELDS, "name", "position", "is_grassroots", "youths_reached", "mobile", "wechat_id"),
    cells=_cadre_cells,
)


def _message_cells(row, user):
    target = f"微信群 {row['group__name']}" if row["group__name"] is not None else f"公众号 {row['account__name']}"
    return {"start": row["period_start"], "end": row["period_end"], "org": _org(row), "target": target,
            "category": CATEGORIES.get(row["category"], row["category"]), "count": row["count"],
            "title": row["title"], "source": SOURCES.get(row["source"], row["source"]), "entered_by": _person(row, "entered_by")}


MESSAGES = ListExport(
    title="发送微信记录",
    layout=_layout("ledger_messages", "发送微信记录", (
        # 日期/期间 as two real dates (a one-day record has the same day twice): sortable, filterable.
        Column("start", ("日期/期间·起",), width=11, kind="date"), Column("end", ("日期/期间·止",), width=11, kind="date"),
        _text("org", "所属组织", 14), _text("target", "微信群或公众号", 18), _text("category", "内容类别", 9),
        Column("count", ("条数",), width=6), _text("title", "标题", 20), _text("source", "来源", 9),
        _text("entered_by", "填报人", 8),
    )),
    fields=(*ORG_FIELDS, "period_start", "period_end", "group__name", "account__name", "category", "count", "title",
            "source", "entered_by__full_name", "entered_by__username"),
    cells=_message_cells,
)


def _activity_cells(row, user):
    return {"held_on": row["held_on"], "org": _org(row), "type": ACTIVITY_TYPES.get(row["activity_type"], row["activity_type"]),
            "title": row["title"], "participants": row["participants"], "group": row["group__name"]}


ACTIVITIES = ListExport(
    title="线下活动台帐",
    layout=_layout("ledger_activities", "线下活动台帐", (
        Column("held_on", ("活动日期",), width=11, kind="date"), _text("org", "组织", 14), _text("type", "活动类型", 9),
        _text("title", "活动名称", 20), Column("participants", ("参加人数",), width=8), _text("group", "关联微信群", 16),
    )),
    fields=(*ORG_FIELDS, "held_on", "activity_type", "title", "participants", "group__name"),
    cells=_activity_cells,
)


def too_many_message(n):
    cap = f"{MAX_ROWS // 10000} 万" if MAX_ROWS and MAX_ROWS % 10000 == 0 else f"{MAX_ROWS} "
    return f"共 {n} 条，超过 {cap}条，请按乡镇或条件筛选后再导出。"


def filter_text(form):
    """The filters a list form applied, as the page shows them: 类型：青农微信群；搜索：鱼河."""
    form.is_valid()
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = value
        if hasattr(field, "choices"):
            flat = {}
            for key, label in field.choices:
                flat.update(dict(label) if isinstance(label, (list, tuple)) else {key: label})
            shown = flat.get(value, value)
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)
