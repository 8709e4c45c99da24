"""Two people of a county edit the same 附件1: the second save is refused and shows both
versions; saving again then keeps what the second person typed."""
from django.test import Client

from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus


def data(**changes):
    base = {
        "account_type": "", "account_name": "青农榆阳", "wechat_lead": "张书记", "admins_contact": "李干事 13900001111",
        "planned_county_youth_groups": 3, "planned_county_work_groups": 1, "township_count": 18,
        "planned_township_youth_groups": 180, "planned_township_work_groups": 18, "planned_direct_groups": 4,
        "planned_village_groups": 30, "filled_by": "王填表", "contact": "0912-3447161", "version": 0, "action": "save",
    }
    return {**base, **changes}


def test_second_save_on_an_old_copy_shows_both_versions(client_for, world):
    url = f"/campaign/plans/{world.county_a.pk}/"
    first = client_for(world.county_a_reporter)
    assert first.post(url, data()).status_code == 302
    version = CountyPlan.objects.get(org=world.county_a).version
    second = Client()
    second.force_login(world.county_a_admin)
    assert second.get(url).context["form"].initial["version"] == version  # both open the saved draft

    assert first.post(url, data(version=version, wechat_lead="赵书记", account_type="subscription")).status_code == 302
    response = second.post(url, data(version=version, planned_village_groups=45))

    assert response.status_code == 200
    body = response.content.decode()
    assert "其他人已修改了这份计划表" in body
    conflict = {label: (mine, theirs) for label, mine, theirs in response.context["conflict"]}
    assert conflict == {
        "是否开通订阅号/服务号": ("否（尚未开通）", "是，订阅号"),  # choice labels on both sides
        "区县微信负责人": ("张书记", "赵书记"),
        "拟建村级团组织微信群数量": ("45", 30),
    }
    plan = CountyPlan.objects.get(org=world.county_a)
    assert plan.wechat_lead == "赵书记" and plan.planned_village_groups == 30

    # The form now carries the current version: saving again keeps the second person's values.
    again = dict(response.context["form"].data.items())
    assert int(again["version"]) == plan.version
    assert second.post(url, again).status_code == 302
    plan.refresh_from_db()
    assert plan.wechat_lead == "张书记" and plan.planned_village_groups == 45 and not plan.account_opened


def test_a_form_opened_before_the_plan_existed_does_not_overwrite_it(client_for, world):
    url = f"/campaign/plans/{world.county_a.pk}/"
    client_for(world.county_a_reporter).post(url, data(wechat_lead="先到者"))
    late = Client()
    late.force_login(world.county_a_admin)

    response = late.post(url, data(wechat_lead="后到者", version=0))

    assert "其他人已修改了这份计划表" in response.content.decode()
    assert CountyPlan.objects.get(org=world.county_a).wechat_lead == "先到者"


def test_submit_without_a_lead_keeps_the_draft_and_says_what_is_missing(client_for, world):
    url = f"/campaign/plans/{world.county_a.pk}/"
    response = client_for(world.county_a_admin).post(url, data(wechat_lead="", action="submit"))

    body = response.content.decode()
    assert response.status_code == 200 and "草稿已保存，但还不能提交" in body
    assert "区县微信负责人：提交前请填写区县微信负责人。" in body
    plan = CountyPlan.objects.get(org=world.county_a)
    assert plan.status == PlanStatus.DRAFT and plan.planned_village_groups == 30
    assert int(response.context["form"].data["version"]) == plan.version  # the next save is not a conflict

    fixed = dict(response.context["form"].data.items(), wechat_lead="张书记", action="submit")
    assert client_for(world.county_a_admin).post(url, fixed).status_code == 302
    assert CountyPlan.objects.get(org=world.county_a).status == PlanStatus.SUBMITTED
    assert Campaign.objects.get(pk=plan.campaign_id).year == 2014


def test_invalid_numbers_are_shown_next_to_the_field(client_for, world):
    response = client_for(world.county_a_admin).post(f"/campaign/plans/{world.county_a.pk}/",
                                                      data(township_count=-1, planned_direct_groups="十二"))
    body = response.content.decode()
    assert "现有乡镇数量：不能为负数。" in body and "拟建直属团组织微信群数量：请输入整数。" in body
    assert not CountyPlan.objects.exists()
