"""Role checks for views. The role a view needs is attached to the view function, so the
scope matrix test can read it and expect 403 for a weaker role."""
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from qingnong.org.scoping import get_scoped_or_404

from .models import Role

MESSAGES = {
    Role.REPORTER: "您的账号为查看员，只能查看，不能修改。",
    Role.ADMIN: "只有管理员可以进行此操作。",
}


def role_required(role, *, after_scope=False):
    """Require `role` (or stronger) of the user.

    A view that fetches a record first declares `after_scope=True`: its fetch-and-check
    helper (get_for_user(..., rw=True) or check_role) checks the role right after the scoped
    fetch, so that another county's record is a 404 for every role, never a 403 that
    confirms it exists. The wrapper refuses to answer for a view that never checked it.
    The scope matrix test reads `required_role` to expect 403 for a weaker role."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not after_scope:
                require_role(request.user, role)
                return view(request, *args, **kwargs)
            request.required_role, request.role_checked = role, False
            response = view(request, *args, **kwargs)
            if not request.role_checked:
                raise ImproperlyConfigured(f"{view.__name__} 声明了角色 {role}，却没有用 get_for_user(rw=True) 或 check_role 检查")
            return response

        wrapper.required_role = role
        return wrapper

    return decorator


def require_role(user, role):
    if not user.has_role(role):
        raise PermissionDenied(MESSAGES[role])


def check_role(request, *, needed=True):
    """Check the role the view declared (@role_required(..., after_scope=True)), after the
    view has fetched what it works on in the user's scope. `needed=False` records that this
    request needs none (a page any role may read, changed only by a POST)."""
    role = getattr(request, "required_role", None)
    if role is None:
        raise ImproperlyConfigured("check_role 只用于声明了 @role_required(..., after_scope=True) 的视图")
    if needed:
        require_role(request.user, role)
    request.role_checked = True


def get_for_user(request, queryset, pk, *, rw=False):
    """The row `pk` of `queryset` in the user's part of the org tree, else a 404 (another
    county's record is indistinguishable from a missing one). With `rw=True` the view is
    about to change it: the user must also hold the role the view declared, else 403.
    Each views module wraps this once per kind of record (`_group_for_user`)."""
    row = get_scoped_or_404(queryset, request.user, pk=pk)
    if rw:
        check_role(request)
    return row


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


# The personal fields a viewer never receives in full, by the label the pages, exports and the
# 操作记录 show them under (the model fields' verbose names).
PERSONAL_LABELS = frozenset({"手机号", "微信号", "QQ 号", "联系方式", "联系电话"})


def mask_labelled(label, value, user):
    """`value` as `user` may see it under `label`: masked when the label names personal data."""
    return mask(value, user) if label in PERSONAL_LABELS and value not in (None, "") else value


def mask(value, user):
    """Phones, WeChat IDs and QQ numbers are masked for viewers: 138****1234. The one rule
    every page, download and history view applies (issue 15)."""
    value = str(value or "")
    if not value or getattr(user, "can_edit", False):
        return value
    if len(value) >= 7:
        return f"{value[:3]}****{value[-4:]}"
    return value[:1] + "*" * (len(value) - 1)
