"""Writes to official accounts (微信公众号), their admin teams and subscriber snapshots.

Every service checks scope and role first and runs in one transaction. The service that
records a subscriber snapshot also keeps OfficialAccount.subscribers in step, so the
current figure of every account is a plain column."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, record_restore, record_soft_delete
from qingnong.lib.dates import today
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import in_scope, require_edit

from ..models import AccountAdmin, AccountStatus, OfficialAccount, Source, SubscriberSnapshot
from ..rules import county_name_warning
from .cadres import wechat_id_validator

ACCOUNT_FIELDS = ["name", "account_type", "wechat_id", "opened_on", "status"]
# 方案：各团县委设立一个微信公共号；团市委可有自己的。
ACCOUNT_LEVELS = {OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY}


def account_warnings(official_account):
    """Advice shown after saving; never blocks the save."""
    warning = county_name_warning(official_account.name, official_account.org)
    return [warning] if warning else []


def suggested_name(org):
    """“青农XX” for a county committee (方案：县级公共号名称统一为“青农XX”)."""
    if org.level != OrgLevel.COUNTY:
        return ""
    return f"青农{org.name.rstrip('区县市') or org.name}"


def _check_account(official_account):
    errors = {}
    if official_account.opened_on and official_account.opened_on > today():
        errors["opened_on"] = "开通日期不能晚于今天。"
    if official_account.status == AccountStatus.OPENED and not official_account.opened_on:
        errors["opened_on"] = "已开通的公众号请填写开通日期。"
    if official_account.wechat_id:
        try:
            wechat_id_validator(official_account.wechat_id)
        except ValidationError as error:
            errors["wechat_id"] = error.messages
    if errors:
        raise ValidationError(errors)


def _duplicate_error(org):
    existing = OfficialAccount.objects.filter(org=org).first()
    name = f"“{existing.name}”" if existing else ""
    return ValidationError(f"{org.committee_name}已有公众号{name}，每个团县委只设一个公众号。")


def _save(official_account, user):
    """Save, turning the one-account-per-org constraint into a Chinese error even when
    two people create one at the same moment."""
    official_account._history_user = user
    try:
        with transaction.atomic():
            official_account.save()
    except IntegrityError:
        raise _duplicate_error(official_account.org)


@transaction.atomic
def account_create(*, user, org, **fields):
    """Set up the official account of a county (or city) committee."""
    require_edit(user, org)
    if org.level not in ACCOUNT_LEVELS:
        raise ValidationError(f"公众号由团县委或团市委设立，{org.name}不能新建公众号。")
    if OfficialAccount.objects.filter(org=org).exists():
        raise _duplicate_error(org)
    official_account = OfficialAccount(org=org, **{k: v for k, v in fields.items() if k in ACCOUNT_FIELDS})
    official_account.name = official_account.name.strip()
    _check_account(official_account)
    official_account.full_clean(validate_constraints=False)
    _save(official_account, user)
    return official_account, account_warnings(official_account)


@transaction.atomic
def account_update(*, user, official_account, expected_version, **fields):
    require_edit(user, official_account.org)
    official_account = OfficialAccount.objects.select_for_update(of=("self",)).select_related("org").get(pk=official_account.pk)
    check_version(official_account, expected_version)
    for key, value in fields.items():
        if key in ACCOUNT_FIELDS:
            setattr(official_account, key, value.strip() if isinstance(value, str) else value)
    _check_account(official_account)
    official_account.version += 1
    official_account.full_clean(validate_constraints=False)
    _save(official_account, user)
    return official_account, account_warnings(official_account)


@transaction.atomic
def account_delete(*, user, official_account):
    """Soft delete: the 回收站 restores it with its admins, subscriber history and messages.
    Its org may then set up a new account (one live account per org)."""
    require_edit(user, official_account.org)
    record_soft_delete(obj=official_account, user=user)


@transaction.atomic
def account_restore(*, user, official_account):
    require_edit(user, official_account.org)
    org = official_account.org
    if org.is_deleted:
        raise ValidationError(f"所属组织“{org.name}”已删除，请先恢复该组织。")
    live = OfficialAccount.objects.filter(org=org).first()
    if live:
        raise ValidationError(f"{org.committee_name}已有公众号“{live.name}”，每个团县委只设一个公众号；请先删除它再恢复。")
    record_restore(obj=official_account, user=user)


@transaction.atomic
def admin_add(*, user, official_account, cadre, role):
    """Put a cadre on the account's admin team as 专职 or 兼职 (附件2)."""
    require_edit(user, official_account.org)
    if not in_scope(user, cadre.org) or not cadre.org.path.startswith(official_account.org.path):
        raise ValidationError({"cadre": "管理员须为本组织或下级组织的团干部，且在您的权限范围内。"})
    if AccountAdmin.objects.filter(account=official_account, cadre=cadre).exists():
        raise ValidationError({"cadre": f"{cadre.name}已是该公众号的管理员。"})
    admin = AccountAdmin(account=official_account, cadre=cadre, role=role)
    admin.full_clean(validate_constraints=False)
    admin._history_user = user
    admin.save()
    return admin


@transaction.atomic
def admin_remove(*, user, admin):
    """Take a cadre off the team (soft delete: the 操作记录 keeps who served when)."""
    require_edit(user, admin.account.org)
    record_soft_delete(obj=admin, user=user)


@transaction.atomic
def subscriber_record(*, user, official_account, taken_on, subscribers, source=Source.MANUAL):
    """Record the subscriber count on `taken_on` (one snapshot per day; re-entering the
    same day replaces it). When it is the latest snapshot, the account's current figure
    is updated in the same transaction."""
    require_edit(user, official_account.org)
    if taken_on > today():
        raise ValidationError({"taken_on": "统计日期不能晚于今天。"})
    if subscribers < 0:
        raise ValidationError({"subscribers": "关注人数不能为负数。"})
    official_account = OfficialAccount.objects.select_for_update().get(pk=official_account.pk)
    snapshot = SubscriberSnapshot.objects.filter(account=official_account, taken_on=taken_on).first()
    before = snapshot.subscribers if snapshot else None
    snapshot = snapshot or SubscriberSnapshot(account=official_account, taken_on=taken_on)
    snapshot.subscribers, snapshot.source, snapshot.entered_by = subscribers, source, user
    snapshot.save()
    if official_account.subscribers_as_of is None or taken_on >= official_account.subscribers_as_of:
        OfficialAccount.objects.filter(pk=official_account.pk).update(subscribers=subscribers, subscribers_as_of=taken_on)
    audit_log(obj=official_account, action=AuditAction.UPDATE if before is not None else AuditAction.CREATE, user=user,
              note=f"关注人数快照 {taken_on}：{subscribers} 人",
              changes={"关注人数": ["" if before is None else str(before), str(subscribers)]})
    return snapshot
