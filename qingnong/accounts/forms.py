from django import forms

from qingnong.lib.forms import FilterForm
from django.contrib.auth.forms import AuthenticationForm

from .models import Role, User, mobile_validator


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名/手机号或密码不正确。连续输错多次，账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名或手机号"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = "密码"


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + -。"},
        help_text="登录用，字母或数字，如 yuhe_tw",
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=11, required=False, validators=[mobile_validator])
    role = forms.ChoiceField(label="角色", choices=Role.choices, initial=Role.REPORTER)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=11, required=False, validators=[mobile_validator])
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    is_active = forms.BooleanField(label="启用", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_user(cls, user, data=None):
        initial = {f: getattr(user, f) for f in ("full_name", "mobile", "role", "is_active", "version")}
        return cls(data, initial=initial)


class UserSearchForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=50, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "搜索用户名、姓名或手机号", "aria-label": "搜索账号"}))
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])


__all__ = ["LoginForm", "UserCreateForm", "UserEditForm", "UserSearchForm", "User"]
