"""附件1 on screen: a county's plan as label | value rows, "not filled in" without one, the
city's table of all plans, scope."""
from django.urls import reverse

from qingnong.campaign.models import Campaign, CountyPlan
from qingnong.lib.dates import today


def url(org, name="reports:plan", as_of=None):
    return reverse(name, kwargs={"org_id": org.pk}) + f"?as_of={as_of or today():%Y-%m-%d}"


def make_plan(world):
    return CountyPlan.objects.create(campaign=Campaign.objects.get(org=world.city, year=2014), org=world.county_a,
                                     county_name="榆阳区", account_name="青农榆阳", planned_township_youth_groups=320,
                                     admins_contact="刘敏 13053826160\n白娜 13800000009", filled_by="张伟")


def test_county_plan(client_for, world):
    make_plan(world)
    body = client_for(world.county_a_reporter).get(url(world.county_a)).content.decode()
    assert "县乡两级微信体系建设计划表" in body and "拟建乡镇级团青微信群数量" in body and "320" in body
    assert "刘敏 13053826160<br>白娜 13800000009" in body and "张伟" in body and "草稿" in body


def test_no_plan_yet(client_for, world):
    body = client_for(world.county_a_admin).get(url(world.county_a)).content.decode()
    assert 'data-testid="no-plan"' in body and "尚未填报计划表" in body


def test_city_table(client_for, world):
    make_plan(world)
    body = client_for(world.city_admin).get(url(world.city)).content.decode()
    assert "拟建村级团组织微信群数量" in body and "320" in body and "未填报" in body  # county B has none
    assert reverse("reports:plan", kwargs={"org_id": world.county_a.pk}) in body


def test_other_county_gets_404(client_for, world):
    make_plan(world)
    client = client_for(world.county_b_admin)
    assert client.get(url(world.county_a)).status_code == 404
    assert client.get(url(world.county_a, "reports:plan-xlsx")).status_code == 404


def test_download(client_for, world):
    make_plan(world)
    response = client_for(world.county_a_admin).get(url(world.county_a, "reports:plan-xlsx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
