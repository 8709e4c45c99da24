from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from qingnong.lib.forms import paginate, run_service
from qingnong.org.models import Org

from . import services
from .forms import LoginForm, UserCreateForm, UserEditForm, UserSearchForm
from .models import Role, User
from .permissions import get_for_user, role_required
from .selectors import user_list


class QingnongLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


login = QingnongLoginView.as_view()


def _member_for_user(request, user_id, *, rw=False):
    """A user account in the signed-in admin's subtree (else 404)."""
    return get_for_user(request, User.objects.select_related("org"), user_id, rw=rw)


@role_required(Role.ADMIN)
def users(request):
    form = UserSearchForm(request.GET)
    form.is_valid()
    page = paginate(request, user_list(request.user, query=form.cleaned_data.get("q", ""), role=form.cleaned_data.get("role", "")))
    template = "accounts/_user_rows.html" if request.htmx else "accounts/users.html"
    return render(request, template, {"form": form, "page": page})


@role_required(Role.ADMIN, after_scope=True)
def user_create(request, org_id):
    org = get_for_user(request, Org.objects.all(), org_id, rw=True)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(form, services.user_create, user=request.user, org=org, **form.cleaned_data)
        if ok:
            user, password = result
            return render(request, "accounts/password_shown.html", {"shown_user": user, "password": password, "created": True})
    return render(request, "accounts/user_create.html", {"org": org, "form": form})


@role_required(Role.ADMIN, after_scope=True)
def user_edit(request, user_id):
    user = _member_for_user(request, user_id, rw=True)
    form = UserEditForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.user_update, user=request.user, member=user,
                            expected_version=form.cleaned_data.pop("version"), **form.cleaned_data)
        if ok:
            messages.success(request, "账号已保存。")
            return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"shown_user": user, "form": form})


@require_POST
@role_required(Role.ADMIN, after_scope=True)
def user_reset_password(request, user_id):
    user = _member_for_user(request, user_id, rw=True)
    password = services.user_reset_password(user=request.user, member=user)
    return render(request, "accounts/password_shown.html", {"shown_user": user, "password": password, "created": False})


def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.user.must_change_password = False
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, "密码已修改。")
        return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})


urls = [
    path("login/", login, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("account/password/", password_change, name="password-change"),
    path("users/", users, name="users"),
    path("users/<int:user_id>/", user_edit, name="user-edit"),
    path("users/<int:user_id>/reset-password/", user_reset_password, name="user-reset-password"),
    path("orgs/<int:org_id>/users/new/", user_create, name="user-create"),
]
