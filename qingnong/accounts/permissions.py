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


def require_role(account, role):
    if not account.has_role(role):
        raise PermissionDenied(MESSAGES[role])
