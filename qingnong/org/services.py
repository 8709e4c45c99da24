"""Writes to the org tree (villages and 直属 orgs; divisions come from divisions.py)."""
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from qingnong.audit.services import check_version, record_restore, record_soft_delete, save_edit

from .models import Org
from .scoping import require_edit


def _check_unique_name(*, parent, name, exclude_pk=None):
    siblings = Org.objects.filter(parent=parent, name=name)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ValidationError({"name": f"{parent.name}下已有名为“{name}”的组织。"})


@transaction.atomic
def org_create_child(*, user, parent, name, level, note=""):
    """Add a 村团组织 or 直属团组织 under `parent` (owners of the parent only)."""
    require_edit(user, parent)
    name = name.strip()
    if level not in parent.addable_child_levels():
        raise ValidationError({"level": f"{parent.get_level_display()}下不能添加{dict(Org._meta.get_field('level').choices).get(level, level)}。"})
    _check_unique_name(parent=parent, name=name)
    # A random segment lets the path be set before the insert (one write, one history row).
    org = Org(name=name, level=level, parent=parent, note=note, depth=parent.depth + 1,
              path=f"{parent.path}n{secrets.token_hex(5)}/")
    org.full_clean()
    org._history_user = user
    org.save()
    return org


@transaction.atomic
def org_update(*, user, org, name, note, expected_version):
    require_edit(user, org)
    org = Org.objects.select_for_update().get(pk=org.pk)
    check_version(org, expected_version)
    if org.is_division and name != org.name:
        raise ValidationError({"name": "行政区划名称来自民政部数据，不能在此修改。"})
    if name != org.name:
        _check_unique_name(parent=org.parent, name=name, exclude_pk=org.pk)
    org.name, org.note = name.strip(), note
    save_edit(org, user=user)
    return org


@transaction.atomic
def org_delete(*, user, org):
    """Soft-delete a village or 直属 org that has nothing under it; 回收站 restores it."""
    require_edit(user, org)
    if org.is_division:
        raise ValidationError("行政区划组织不能删除。")
    if org.children.exists():
        raise ValidationError("该组织下还有下级组织，请先删除下级组织。")
    if org.users.filter(is_active=True).exists():
        raise ValidationError("该组织下还有启用的账号，请先停用这些账号。")
    record_soft_delete(obj=org, user=user)


@transaction.atomic
def org_restore(*, user, org):
    require_edit(user, org)
    if org.parent and org.parent.is_deleted:
        raise ValidationError(f"上级组织“{org.parent.name}”已删除，请先恢复上级组织。")
    _check_unique_name(parent=org.parent, name=org.name, exclude_pk=org.pk)
    record_restore(obj=org, user=user)
