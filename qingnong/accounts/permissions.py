"""Role checks for views. The role a view needs is attached to the view function, so the
scope matrix test can read it and expect 403 for a weaker role."""
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role

MESSAGES = {
    Role.REPORTER: "您的账号为查看员，只能查看，不能修改。",
    Role.ADMIN: "只有管理员可以进行此操作。",
}


def role_required(role, *, after_scope=False):
    """Require `role` (or stronger). With `after_scope=True` the view checks it itself,
    right after fetching its object in scope (org.scoping.require_edit/require_admin), so
    that another county's record is a 404 for every role, never a 403 that confirms it
    exists. The scope matrix test holds both kinds of view to the declared role."""

    def decorator(view):
        if after_scope:
            view.required_role = role
            return view

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_role(request.user, role)
            return view(request, *args, **kwargs)

        wrapper.required_role = role
        return wrapper

    return decorator


def require_role(user, role):
    if not user.has_role(role):
        raise PermissionDenied(MESSAGES[role])


def relation_required(predicate):
    """Declare the relation to the URL's org a workflow view needs besides a role: one of
    org.scoping's is_own_org (a county fills in its own 附件1), is_above (the city reviews
    it) or in_scope (the city edits its own campaign). The view checks it itself, after
    fetching the org (so another county's record stays a 404); the scope matrix test reads
    it to know who must get a 403."""

    def decorator(view):
        view.required_relation = predicate
        return view

    return decorator


def mask(value, user):
    """Phones, WeChat IDs and QQ numbers are masked for viewers: 138****1234."""
    value = str(value or "")
    if not value or getattr(user, "can_edit", False):
        return value
    if len(value) >= 7:
        return f"{value[:3]}****{value[-4:]}"
    return value[:1] + "*" * (len(value) - 1)
