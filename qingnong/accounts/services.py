"""Account management. Admins act only inside their own subtree (scoping.require_admin)."""
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, save_edit
from qingnong.org.scoping import require_admin

from .models import User

# No 0/O/1/l/I: temporary passwords are read out over the phone.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password():
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def _check_mobile(mobile, exclude_pk=None):
    # Login accepts a username or a mobile number: a mobile may not be another account's username.
    if mobile and User.objects.filter(Q(mobile=mobile) | Q(username=mobile)).exclude(pk=exclude_pk).exists():
        raise ValidationError({"mobile": "该手机号已被其他账号使用。"})


@transaction.atomic
def user_create(*, user, org, username, full_name, role, mobile=None, password=None):
    """Create an account in `org`; returns (member, password) — a temporary one if none given."""
    require_admin(user, org)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已存在。"})
    if User.objects.filter(mobile=username).exists():
        raise ValidationError({"username": "该用户名是其他账号的手机号，不能使用。"})
    _check_mobile(mobile)
    password = password or temporary_password()
    member = User(username=username, full_name=full_name, mobile=mobile or None, role=role, org=org,
                  must_change_password=True)
    validate_password(password, member)
    member.set_password(password)
    member.full_clean()
    member._history_user = user
    member.save()
    return member, password


@transaction.atomic
def user_update(*, user, member, full_name, mobile, role, is_active, expected_version):
    require_admin(user, member.org)
    member = User.objects.select_for_update().get(pk=member.pk)
    check_version(member, expected_version)
    if member.pk == user.pk and (role != member.role or not is_active):
        raise ValidationError("不能修改自己的角色或停用自己的账号，请联系上级管理员。")
    _check_mobile(mobile, exclude_pk=member.pk)
    member.full_name, member.mobile, member.role, member.is_active = full_name, mobile or None, role, is_active
    save_edit(member, user=user)
    return member


@transaction.atomic
def user_reset_password(*, user, member):
    """Set a new temporary password, lift any login lock-out; returns the password."""
    require_admin(user, member.org)
    password = temporary_password()
    member.set_password(password)
    member.version += 1
    member.must_change_password = True
    member._history_user = user
    member.save(update_fields=["password", "version", "must_change_password"])
    axes_reset(username=member.username)
    if member.mobile:
        axes_reset(username=member.mobile)
    audit_log(obj=member, action=AuditAction.PASSWORD_RESET, user=user, note="管理员重置了密码并解除登录锁定")
    return password
