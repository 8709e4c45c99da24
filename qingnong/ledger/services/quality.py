"""Writes of the data-quality rules (a city admin's settings) and of the follow-up on a
flagged figure (已核实 / 已更正)."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import require_admin, require_edit

from ..models import FollowUp, QualityFollowUp, QualityRule
from ..quality import BY_KEY

RULE_LEVELS = (OrgLevel.PROVINCE, OrgLevel.CITY)


@transaction.atomic
def quality_rule_set(*, user, org, key, enabled, threshold, blocking):
    """A city (or province) admin sets one rule for its whole subtree."""
    require_admin(user, org)
    if org.level not in RULE_LEVELS:
        raise ValidationError("数据质量规则由团市委设置。")
    rule = BY_KEY.get(key)
    if rule is None:
        raise ValidationError("没有这条规则。")
    if rule.threshold is not None:
        try:
            threshold = Decimal(str(threshold))
        except (InvalidOperation, TypeError):
            raise ValidationError({"threshold": f"“{rule.label}”的阈值应为数字。"})
        if threshold <= 0:
            raise ValidationError({"threshold": f"“{rule.label}”的阈值应大于 0。"})
    else:
        threshold = None
    row, created = QualityRule.objects.select_for_update().get_or_create(org=org, key=key)
    before = "" if created else f"{'启用' if row.enabled else '停用'} {row.threshold or ''}{' 阻止保存' if row.blocking else ''}"
    row.enabled, row.threshold, row.blocking, row.updated_by = enabled, threshold, blocking, user
    row.version += 0 if created else 1
    row._history_user = user
    row.save()
    after = f"{'启用' if enabled else '停用'} {threshold or ''}{' 阻止保存' if blocking else ''}"
    audit_log(obj=org, action=AuditAction.UPDATE, user=user, changes={f"数据质量规则：{rule.label}": [before, after]},
              note=f"数据质量规则“{rule.label}”：{after}")
    return row


@transaction.atomic
def quality_follow_up(*, user, township, group, rule, state, note=""):
    """Record what was done about a flagged figure; 已核实 keeps it from being flagged as new."""
    require_edit(user, township)
    if rule not in BY_KEY or state not in FollowUp.values:
        raise ValidationError("处理方式不正确。")
    if group is not None and not group.org.path.startswith(township.path):
        raise ValidationError("微信群不属于该乡镇。")
    follow_up, _ = QualityFollowUp.objects.update_or_create(
        org=township, group=group, rule=rule, defaults={"state": state, "note": note.strip()[:200], "by": user})
    audit_log(obj=township, action=AuditAction.UPDATE, user=user,
              changes={f"数据质量：{BY_KEY[rule].label}": ["", FollowUp(state).label]},
              note=f"数据质量“{BY_KEY[rule].label}”{'（' + group.name + '）' if group else ''}：{FollowUp(state).label} {note}".strip())
    return follow_up
