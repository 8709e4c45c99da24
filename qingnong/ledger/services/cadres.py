"""Writes to cadres (团干部). Every service checks scope and role first and runs in one
transaction; the audit log gets the user from `_history_user`."""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction

from qingnong.accounts.models import mobile_validator
from qingnong.audit.services import check_version, record_restore, record_soft_delete, save_edit
from qingnong.org.scoping import require_edit

from ..models import AccountAdmin, Cadre, WechatGroup

# 微信号规则：6–20 位，以字母开头，可用字母、数字、下划线和减号。
wechat_id_validator = RegexValidator(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$", "微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。")
qq_validator = RegexValidator(r"^[1-9]\d{4,11}$", "QQ 号应为 5–12 位数字，不以 0 开头。")
CONTACT_VALIDATORS = {"mobile": mobile_validator, "wechat_id": wechat_id_validator, "qq": qq_validator}

CADRE_FIELDS = ["name", "position", "mobile", "wechat_id", "qq", "is_grassroots", "youths_reached"]


def _check_cadre(cadre):
    errors = {}
    for field, validator in CONTACT_VALIDATORS.items():
        value = getattr(cadre, field)
        if value:
            try:
                validator(value)
            except ValidationError as error:
                errors[field] = error.messages
    if errors:
        raise ValidationError(errors)


def _clean_strings(fields):
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if k in CADRE_FIELDS}


@transaction.atomic
def cadre_create(*, user, org, **fields):
    """Add a cadre to `org` (in the user's scope)."""
    require_edit(user, org)
    cadre = Cadre(org=org, **_clean_strings(fields))
    _check_cadre(cadre)
    cadre.full_clean()
    cadre._history_user = user
    cadre.save()
    return cadre


@transaction.atomic
def cadre_update(*, user, cadre, expected_version, **fields):
    """Edit a cadre; an edit made on an older copy is refused (check_version)."""
    require_edit(user, cadre.org)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    check_version(cadre, expected_version)
    for key, value in _clean_strings(fields).items():
        setattr(cadre, key, value)
    _check_cadre(cadre)
    save_edit(cadre, user=user)
    return cadre


@transaction.atomic
def cadre_delete(*, user, cadre):
    """Soft delete. A cadre who still owns a group or administers an official account is
    refused: the group or account would point at someone no longer in the ledger."""
    require_edit(user, cadre.org)
    groups = list(WechatGroup.objects.filter(owner=cadre).values_list("name", flat=True)[:3])
    if groups:
        raise ValidationError(f"{cadre.name}是微信群“{'”“'.join(groups)}”的群主，请先更换群主再删除。")
    accounts = list(AccountAdmin.objects.filter(cadre=cadre, account__deleted_at__isnull=True).values_list("account__name", flat=True)[:3])
    if accounts:
        raise ValidationError(f"{cadre.name}是公众号“{'”“'.join(accounts)}”的管理员，请先在公众号页面移除。")
    record_soft_delete(obj=cadre, user=user)


@transaction.atomic
def cadre_restore(*, user, cadre):
    require_edit(user, cadre.org)
    if cadre.org.is_deleted:
        raise ValidationError(f"所属组织“{cadre.org.name}”已删除，请先恢复该组织。")
    record_restore(obj=cadre, user=user)
