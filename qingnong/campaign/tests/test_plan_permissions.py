"""Who may do what on a county's 附件1: the county fills in its own plan, the city reviews it."""
import pytest

from qingnong.campaign.models import Campaign, CountyPlan, PlanReview, PlanStatus
from qingnong.campaign.services import plan_save, plan_submit
from qingnong.org.models import Org, OrgLevel


def plan_data(world, **changes):
    townships = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).count()
    data = {
        "account_type": "subscription", "account_name": "青农榆阳", "wechat_lead": "张书记",
        "admins_contact": "李干事 13900001111", "planned_county_youth_groups": 3, "planned_county_work_groups": 1,
        "township_count": townships, "planned_township_youth_groups": 10 * townships,
        "planned_township_work_groups": townships, "planned_direct_groups": 4, "planned_village_groups": 30,
        "filled_by": "王填表", "contact": "0912-3447161", "version": 0, "action": "save",
    }
    return {**data, **changes}


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


@pytest.fixture
def submitted(world, campaign):
    plan = plan_save(user=world.county_a_admin, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区", wechat_lead="张书记")
    return plan_submit(user=world.county_a_admin, plan=plan)


def url(county, action=""):
    return f"/campaign/plans/{county.pk}/{action + '/' if action else ''}"


@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_reporter"])
def test_county_fills_in_its_own_plan(client_for, world, campaign, persona):
    response = client_for(getattr(world, persona)).post(url(world.county_a), plan_data(world))

    assert response.status_code == 302
    plan = CountyPlan.objects.get(campaign=campaign, org=world.county_a)
    assert plan.status == PlanStatus.DRAFT and plan.wechat_lead == "张书记" and plan.account_opened
    assert plan.county_name == "榆阳区"  # from the org tree; the field cannot be changed


def test_county_name_cannot_be_smuggled_in(client_for, world, campaign):
    client_for(world.county_a_admin).post(url(world.county_a), plan_data(world, county_name="横山区"))
    assert CountyPlan.objects.get(org=world.county_a).county_name == "榆阳区"


@pytest.mark.parametrize("persona", ["county_b_admin", "county_b_reporter", "county_b_viewer"])
def test_another_county_gets_404_for_reading_and_writing(client_for, world, campaign, submitted, persona):
    client = client_for(getattr(world, persona))
    assert client.get(url(world.county_a)).status_code == 404
    assert client.post(url(world.county_a), plan_data(world)).status_code == 404
    for action in ("return", "approve", "unlock"):
        assert client.post(url(world.county_a, action), {"reason": "x"}).status_code == 404
    assert CountyPlan.objects.get(org=world.county_a).status == PlanStatus.SUBMITTED


def test_township_user_reads_its_county_plan_but_gets_403_for_changing_it(client_for, world, campaign, submitted):
    client = client_for(world.township_a_reporter)

    page = client.get(url(world.county_a))
    assert page.status_code == 200 and "张书记" in page.content.decode()
    assert 'name="action"' not in page.content.decode()  # no form
    assert client.post(url(world.county_a), plan_data(world)).status_code == 403
    assert client.post(url(world.county_a, "approve")).status_code == 403
    assert client.post(url(world.county_a, "return"), {"reason": "x"}).status_code == 403
    assert CountyPlan.objects.get(org=world.county_a).status == PlanStatus.SUBMITTED


def test_viewer_reads_but_cannot_save(client_for, world, campaign):
    client = client_for(world.county_a_viewer)
    page = client.get(url(world.county_a)).content.decode()
    assert "尚未填写计划表" in page and "保存草稿" not in page
    assert client.post(url(world.county_a), plan_data(world)).status_code == 403
    assert not CountyPlan.objects.filter(org=world.county_a).exists()


def test_city_cannot_edit_a_county_plan(client_for, world, campaign):
    client = client_for(world.city_admin)
    page = client.get(url(world.county_a)).content.decode()
    assert "保存草稿" not in page
    response = client.post(url(world.county_a), plan_data(world))
    assert response.status_code == 403 and "县区团委本级" in response.content.decode()
    assert not CountyPlan.objects.filter(org=world.county_a).exists()


def test_city_returns_with_a_reason_and_approves(client_for, world, campaign, submitted):
    client = client_for(world.city_admin)
    page = client.get(url(world.county_a)).content.decode()
    assert "审核通过" in page and "退回修改" in page

    response = client.post(url(world.county_a, "return"), {"reason": "乡镇级团青微信群偏少"}, follow=True)
    assert "已将榆阳区的计划表退回修改" in response.content.decode()
    plan = CountyPlan.objects.get(pk=submitted.pk)
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "乡镇级团青微信群偏少"

    # The county sees the reason, fixes and resubmits; the city approves.
    county = client_for(world.county_a_admin)
    assert "乡镇级团青微信群偏少" in county.get(url(world.county_a)).content.decode()
    county.post(url(world.county_a), plan_data(world, version=plan.version, action="submit"))
    assert CountyPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED

    client = client_for(world.city_admin)
    client.post(url(world.county_a, "approve"))
    assert CountyPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert list(PlanReview.objects.filter(plan=plan).values_list("to_status", flat=True)) == [
        "submitted", "returned", "submitted", "approved"]


def test_return_without_a_reason_is_refused(client_for, world, campaign, submitted):
    response = client_for(world.city_admin).post(url(world.county_a, "return"), {"reason": "  "}, follow=True)
    assert "请写明退回原因" in response.content.decode()
    assert CountyPlan.objects.get(pk=submitted.pk).status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_reporter"])
def test_county_cannot_approve_or_return_its_own_plan(client_for, world, campaign, submitted, persona):
    client = client_for(getattr(world, persona))
    assert "审核通过" not in client.get(url(world.county_a)).content.decode()
    assert client.post(url(world.county_a, "approve")).status_code == 403
    assert client.post(url(world.county_a, "return"), {"reason": "自己退回"}).status_code == 403
    assert CountyPlan.objects.get(pk=submitted.pk).status == PlanStatus.SUBMITTED


def test_approved_plan_is_read_only_for_the_county_until_the_city_unlocks_it(client_for, world, campaign, submitted):
    city = client_for(world.city_admin)
    city.post(url(world.county_a, "approve"))
    county = client_for(world.county_a_admin)

    page = county.get(url(world.county_a)).content.decode()
    assert "保存草稿" not in page and "已审核通过，计划表已锁定" in page and 'data-testid="plan-lines"' in page
    response = county.post(url(world.county_a), plan_data(world, version=CountyPlan.objects.get(pk=submitted.pk).version))
    assert response.status_code == 200 and "计划表已审核，不能修改" in response.content.decode()

    city = client_for(world.city_admin)
    assert city.post(url(world.county_a, "unlock"), {"reason": ""}, follow=True).content.decode().count("请写明解锁原因") == 1
    city.post(url(world.county_a, "unlock"), {"reason": "乡镇数量调整"})
    plan = CountyPlan.objects.get(pk=submitted.pk)
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "乡镇数量调整"
    assert PlanReview.objects.filter(plan=plan).last().reason == "解锁：乡镇数量调整"
    assert "保存草稿" in client_for(world.county_a_admin).get(url(world.county_a)).content.decode()


def test_review_of_a_county_without_a_plan_says_so(client_for, world, campaign):
    response = client_for(world.city_admin).post(url(world.county_b, "approve"), follow=True)
    assert "横山区尚未填写计划表" in response.content.decode()


def test_a_township_id_is_not_a_plan_page(client_for, world, campaign):
    assert client_for(world.city_admin).get(url(world.township_a)).status_code == 404
