"""Annual assessment and account awards: writes.

The rubric is data (Rubric + RubricItem): the city admin edits items and weights; the
weights always sum to 100 (一百分制). Awards (评比和奖励, 方案：团市委将对各县微信公共号开通
使用情况进行评比和奖励) are recorded by the city admin with their reasons.
"""
from django.core.exceptions import ValidationError
from django.db import transaction

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, record_soft_delete, save_edit
from qingnong.org.scoping import in_scope, require_admin

from ..models import Award, Rubric, RubricItem
from ..selectors.assessment import DEFAULT_ITEMS

TOTAL_WEIGHT = 100


@transaction.atomic
def rubric_create_default(campaign, *, user=None):
    """The campaign's rubric with the 2014 plan's four focus items; the existing one if any."""
    existing = Rubric.objects.select_for_update().filter(campaign=campaign).order_by("pk").first()
    if existing:
        return existing
    rubric = Rubric(campaign=campaign, name=f"{campaign.year}年度考核细则")
    rubric._history_user = user
    rubric.full_clean()
    rubric.save()
    for position, spec in enumerate(DEFAULT_ITEMS):
        item = RubricItem(rubric=rubric, position=position, **spec)
        item.full_clean()
        item.save()
    return rubric


def _require_owner(user, campaign):
    """Only the admins of the org that set the campaign (the city) change its rubric or awards."""
    require_admin(user, campaign.org)


@transaction.atomic
def rubric_update(*, user, rubric, expected_version, counties_see_ranking, items):
    """Replace the items ([{label, weight, source, focus_item, full_marks_at}]) in order.
    Rule: at least one item, weights summing to 100."""
    _require_owner(user, rubric.campaign)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    check_version(rubric, expected_version)
    if not items:
        raise ValidationError("考核细则至少要有一个考核项。")
    total = sum(int(i["weight"]) for i in items)
    if total != TOTAL_WEIGHT:
        raise ValidationError(f"各考核项权重之和应为 {TOTAL_WEIGHT} 分，现为 {total} 分。")
    before = [(i.label, i.weight, i.source, i.full_marks_at) for i in rubric.items.all()]
    rubric.items.all().delete()
    for position, spec in enumerate(items):
        item = RubricItem(rubric=rubric, position=position, label=spec["label"], weight=spec["weight"],
                          source=spec["source"], focus_item=spec.get("focus_item") or "",
                          full_marks_at=spec.get("full_marks_at") or 1.0)
        item.full_clean()
        item.save()
    after = [(i["label"], int(i["weight"]), i["source"], float(i.get("full_marks_at") or 1.0)) for i in items]
    rubric.counties_see_ranking = counties_see_ranking
    save_edit(rubric, user=user)
    if before != after:  # items have no history of their own: their change goes into the audit log
        audit_log(obj=rubric, action=AuditAction.UPDATE, user=user, note="修改考核项和权重",
                  changes={"考核项": [_describe(before), _describe(after)]})
    return rubric


def _describe(items):
    return "；".join(f"{label} {weight}分" for label, weight, _, _ in items)


@transaction.atomic
def rubric_save(*, user, campaign, expected_version, counties_see_ranking, items):
    """The rubric form's save: the first save creates the campaign's rubric (version 0 on the
    form: none existed when it was shown), in the same transaction, so a refused edit
    leaves no rubric behind."""
    _require_owner(user, campaign)
    rubric = Rubric.objects.filter(campaign=campaign).order_by("pk").first()
    if rubric is None:
        rubric = rubric_create_default(campaign, user=user)
        expected_version = rubric.version if not expected_version else expected_version
    elif not expected_version:
        check_version(rubric, 0)  # someone created it after the form was shown
    return rubric_update(user=user, rubric=rubric, expected_version=expected_version,
                         counties_see_ranking=counties_see_ranking, items=items)


@transaction.atomic
def award_create(*, user, campaign, official_account, category, period_start, period_end, reason=""):
    _require_owner(user, campaign)
    if not in_scope(user, official_account.org) or not official_account.org.path.startswith(campaign.org.path):
        raise ValidationError("只能给本计划范围内的公众号评奖。")
    if period_end < period_start:
        raise ValidationError("评比结束日期不能早于开始日期。")
    if Award.objects.filter(campaign=campaign, account=official_account, category=category).exists():
        raise ValidationError("该公众号已获得此奖项。")
    award = Award(campaign=campaign, account=official_account, category=category, period_start=period_start,
                  period_end=period_end, reason=reason.strip())
    award._history_user = user
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_delete(*, user, award):
    _require_owner(user, award.campaign)
    record_soft_delete(obj=award, user=user)
