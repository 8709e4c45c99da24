"""The 附件1 workflow in the services: 草稿 → 已提交 → 退回 → 已审核 (→ 解锁), each move
written as a PlanReview row and in the audit log; every move from a wrong status refused."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qingnong.audit.models import AuditEntry
from qingnong.campaign.models import Campaign, CountyPlan, PlanReview, PlanStatus
from qingnong.campaign.services import plan_approve, plan_return, plan_save, plan_submit, plan_unlock


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


@pytest.fixture
def draft(world, campaign):
    return plan_save(user=world.county_a_reporter, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区", wechat_lead="张书记", planned_village_groups=30)


def fresh(plan):
    return CountyPlan.objects.get(pk=plan.pk)


def moves(plan):
    return [(r.from_status, r.to_status, r.by.username, r.reason) for r in PlanReview.objects.filter(plan=plan)]


def test_the_whole_round_is_recorded(world, draft):
    plan = plan_submit(user=world.county_a_reporter, plan=draft)
    plan = plan_return(user=world.city_admin, plan=plan, reason="  村级群数量偏少 ")
    assert fresh(plan).return_reason == "村级群数量偏少" and fresh(plan).reviewed_at is not None
    plan = plan_save(user=world.county_a_admin, campaign=plan.campaign, county=world.county_a,
                     expected_version=fresh(plan).version, planned_village_groups=60)
    plan = plan_submit(user=world.county_a_admin, plan=plan)
    plan = plan_approve(user=world.city_admin, plan=plan)
    plan = plan_unlock(user=world.city_admin, plan=plan, reason="乡镇区划调整")

    assert fresh(plan).status == PlanStatus.RETURNED and fresh(plan).return_reason == "乡镇区划调整"
    assert moves(plan) == [
        ("draft", "submitted", "county_a_reporter", ""),
        ("submitted", "returned", "city_admin", "村级群数量偏少"),
        ("returned", "submitted", "county_a_admin", ""),
        ("submitted", "approved", "city_admin", ""),
        ("approved", "returned", "city_admin", "解锁：乡镇区划调整"),
    ]
    # Every transition is in the audit log, with the status change in Chinese.
    statuses = [e.changes.get("状态") for e in AuditEntry.objects.filter(object_id=plan.pk, content_type__model="countyplan", action="update")
                .order_by("at", "id") if "状态" in e.changes]
    assert statuses == [["草稿", "已提交"], ["已提交", "退回"], ["退回", "已提交"], ["已提交", "已审核"], ["已审核", "退回"]]


def test_approve_clears_the_old_return_reason(world, draft):
    plan = plan_return(user=world.city_admin, plan=plan_submit(user=world.county_a_admin, plan=draft), reason="补充")
    plan = plan_submit(user=world.county_a_admin, plan=plan)
    plan = plan_approve(user=world.city_admin, plan=plan)
    assert fresh(plan).return_reason == ""


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED])
def test_submit_refused_unless_draft_or_returned(world, draft, status):
    CountyPlan.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(ValidationError, match="不能再次提交"):
        plan_submit(user=world.county_a_admin, plan=draft)


def test_submit_needs_the_wechat_lead(world, campaign):
    plan = plan_save(user=world.county_a_admin, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区")
    with pytest.raises(ValidationError) as error:
        plan_submit(user=world.county_a_admin, plan=plan)
    assert error.value.message_dict == {"wechat_lead": ["提交前请填写区县微信负责人。"]}
    assert fresh(plan).status == PlanStatus.DRAFT and not PlanReview.objects.exists()


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED])
def test_return_and_approve_only_a_submitted_plan(world, draft, status):
    CountyPlan.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(ValidationError, match="只有已提交的计划表可以退回"):
        plan_return(user=world.city_admin, plan=draft, reason="x")
    with pytest.raises(ValidationError, match="只有已提交的计划表可以审核通过"):
        plan_approve(user=world.city_admin, plan=draft)
    assert fresh(draft).status == status and not PlanReview.objects.exists()


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED])
def test_unlock_only_an_approved_plan(world, draft, status):
    CountyPlan.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(ValidationError, match="只有已审核的计划表需要解锁"):
        plan_unlock(user=world.city_admin, plan=draft, reason="x")


def test_return_and_unlock_need_a_reason(world, draft):
    plan = plan_submit(user=world.county_a_admin, plan=draft)
    with pytest.raises(ValidationError) as error:
        plan_return(user=world.city_admin, plan=plan, reason=" ")
    assert error.value.message_dict == {"reason": ["请写明退回原因。"]}
    plan = plan_approve(user=world.city_admin, plan=plan)
    with pytest.raises(ValidationError) as error:
        plan_unlock(user=world.city_admin, plan=plan, reason="")
    assert error.value.message_dict == {"reason": ["请写明解锁原因。"]}


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED])
def test_save_refused_while_submitted_or_approved(world, draft, status):
    CountyPlan.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(ValidationError, match="不能修改"):
        plan_save(user=world.county_a_admin, campaign=draft.campaign, county=world.county_a,
                  expected_version=draft.version, wechat_lead="改")
    assert fresh(draft).wechat_lead == "张书记"


def test_save_on_an_old_copy_is_a_conflict(world, draft):
    plan_save(user=world.county_a_admin, campaign=draft.campaign, county=world.county_a,
              expected_version=draft.version, wechat_lead="新负责人")
    with pytest.raises(ValidationError, match="已被他人修改"):
        plan_save(user=world.county_a_reporter, campaign=draft.campaign, county=world.county_a,
                  expected_version=draft.version, wechat_lead="旧负责人")
    # A form shown before any plan existed (version 0) cannot overwrite one created since.
    with pytest.raises(ValidationError, match="已被他人修改"):
        plan_save(user=world.county_a_reporter, campaign=draft.campaign, county=world.county_a,
                  expected_version=0, wechat_lead="旧负责人")
    assert fresh(draft).wechat_lead == "新负责人"


def test_not_opened_account_has_no_kind(world, campaign):
    plan = plan_save(user=world.county_a_admin, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区", account_opened=False, account_type="service")
    assert fresh(plan).account_type == ""


def test_services_check_who_moves(world, draft):
    with pytest.raises(PermissionDenied):
        plan_save(user=world.city_admin, campaign=draft.campaign, county=world.county_a, expected_version=draft.version)
    with pytest.raises(PermissionDenied):
        plan_submit(user=world.county_a_viewer, plan=draft)
    with pytest.raises(Http404):
        plan_submit(user=world.county_b_admin, plan=draft)
    plan = plan_submit(user=world.county_a_admin, plan=draft)
    with pytest.raises(PermissionDenied):
        plan_approve(user=world.county_a_admin, plan=plan)
    with pytest.raises(Http404):
        plan_approve(user=world.county_b_admin, plan=plan)
    assert fresh(plan).status == PlanStatus.SUBMITTED
