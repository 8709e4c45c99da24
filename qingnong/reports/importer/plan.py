"""附件1 from a returned workbook: label | value rows found by their labels."""
import re


from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import is_own_org

from .. import layouts
from ..matching import COUNTY_SUFFIXES, clean, label_key, match_org
from ..numbers import NumberError, parse_count, shown

from .workbook import Analysis, ImportRefused, Problems, _filled, cell_name
from .progress import _header_fields, _header_line, _sorted
from qingnong.campaign import selectors as campaign_selectors
from qingnong.campaign.models import CountyPlan
from qingnong.campaign.services import PLAN_FIELDS, plan_prefill

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


def analyse_plan(grids, *, county, user, campaign=None):
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
    campaign = campaign or (campaign_selectors.current_campaign(user) if user else None)
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
    if user is None or not (is_own_org(user, county) and user.can_edit):
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
