"""The one place that knows who may see and change which part of the org tree.

Selectors, views and the scope matrix test all go through these functions; no view
writes its own `org=` filter. A user sees the subtree of their own org node (one
indexed prefix query on Org.path); a superuser without an org sees everything.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Org


def scope_path(user):
    """The path prefix `user` may see, or "" for everything."""
    if user.is_superuser and user.org_id is None:
        return ""
    if not user.is_authenticated or user.org_id is None or not user.is_active:
        return None
    return user.org.path


def visible_orgs(user, *, include_deleted=False):
    manager = Org.all_objects if include_deleted else Org.objects
    return scoped(manager.all(), user)


def scoped(qs, user):
    """Restrict `qs` to rows in `user`'s subtree. The model names the lookup that leads
    to an org path in its `scope_path` attribute ("path" on Org, "org__path" on records)."""
    prefix = scope_path(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(**{f"{qs.model.scope_path}__startswith": prefix})


def get_scoped_or_404(qs, user, **lookup):
    """Fetch one row in scope; a row outside it is indistinguishable from a missing one."""
    try:
        return scoped(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404("记录不存在或不在您的权限范围内")


def in_scope(user, org):
    prefix = scope_path(user)
    return prefix is not None and (prefix == "" or org.path.startswith(prefix))


def require_edit(user, org):
    """Admins and reporters change data of orgs in their subtree; viewers never do.
    Scope is checked first: outside it the answer is 404 whatever the role."""
    if not in_scope(user, org):
        raise Http404("记录不存在或不在您的权限范围内")
    if not user.can_edit:
        raise PermissionDenied("您的账号为查看员，只能查看，不能修改。")


def require_admin(user, org):
    if not in_scope(user, org):
        raise Http404("记录不存在或不在您的权限范围内")
    if not user.can_manage_users:
        raise PermissionDenied("只有管理员可以进行此操作。")


def governing(qs, user):
    """Rows owned by the user's own org, its ancestors or its subtree: a campaign set
    by the city governs each county under it, so a county sees it though it is above."""
    prefix = scope_path(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    lookup = qs.model.scope_path
    return qs.filter(Q(**{f"{lookup}__in": user.org.ancestor_paths()}) | Q(**{f"{lookup}__startswith": prefix}))


def is_own_org(user, org):
    """The user works for `org` itself (a county filling in its own 附件1)."""
    return user.is_active and user.org_id == org.pk


def is_above(user, org):
    """The user belongs to an org strictly above `org` (the city reviewing a county)."""
    prefix = scope_path(user)
    if prefix is None:
        return False
    return org.path.startswith(prefix) and (prefix == "" or org.pk != user.org_id)


def is_parent(user, org):
    """The user works for the org directly above `org` (a county reviewing its township's
    附件3, the city reviewing its county's)."""
    return user.is_active and org.parent_id is not None and user.org_id == org.parent_id
