"""The city's list of county plans: every county in scope with its plan's status, dates
and lateness, in one statement however many counties there are."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus
from qingnong.campaign.services import plan_save, plan_submit
from qingnong.org.models import Org, OrgLevel

# session, user, the user's org, the campaign with its phases and deadlines (3), the counties with their plans (1)
LIST_QUERIES = 7


def add_counties(world, campaign, n, start):
    """Counties with a plan each, at every status (real divisions would need a bigger load)."""
    city = world.city
    counties = Org.objects.bulk_create([Org(name=f"测试{start + i}县", level=OrgLevel.COUNTY, parent=city, code=f"6108{start + i}",
                                            path=f"{city.path}{start + i}/", depth=city.depth + 1) for i in range(n)])
    statuses = list(PlanStatus.values)
    CountyPlan.objects.bulk_create([CountyPlan(campaign=campaign, org=c, county_name=c.name, status=statuses[i % 4])
                                    for i, c in enumerate(counties)])


def test_list_queries_do_not_grow(client_for, world):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    client = client_for(world.city_admin)
    client.get("/campaign/plans/")  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        small = client.get("/campaign/plans/")
    assert len(small.context["rows"]) == 2 and len(few) == LIST_QUERIES

    add_counties(world, campaign, 12, 90)
    with CaptureQueriesContext(connection) as many:
        large = client.get("/campaign/plans/")
    assert len(large.context["rows"]) == 14 and len(many) == LIST_QUERIES
    assert dict(large.context["counts"]) == {"草稿": 3, "已提交": 3, "退回": 3, "已审核": 3, "未填报": 2}


def test_list_shows_status_date_and_a_link_per_county(client_for, world):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    plan = plan_save(user=world.county_a_admin, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区", wechat_lead="张书记")
    plan = plan_submit(user=world.county_a_admin, plan=plan)

    body = client_for(world.city_admin).get("/campaign/plans/").content.decode()

    assert f'href="/campaign/plans/{world.county_a.pk}/"' in body and f'href="/campaign/plans/{world.county_b.pk}/"' in body
    assert 'class="badge plan-submitted" data-testid="plan-status">已提交<' in body
    assert 'class="badge plan-none" data-testid="plan-status">未填报<' in body
    from django.utils import timezone

    assert f"{timezone.localtime(plan.submitted_at):%Y-%m-%d %H:%M} 提交" in body


def test_a_county_lists_only_itself(client_for, world):
    rows = client_for(world.county_b_viewer).get("/campaign/plans/").context["rows"]
    assert [r.name for r in rows] == ["横山区"]


def test_a_township_lists_the_county_it_works_under(client_for, world):
    rows = client_for(world.township_a_reporter).get("/campaign/plans/").context["rows"]
    assert [r.name for r in rows] == ["榆阳区"]


def test_without_a_campaign_the_list_says_so(client_for, world):
    Campaign.objects.all().delete()
    body = client_for(world.city_admin).get("/campaign/plans/").content.decode()
    assert "尚未设置建设计划" in body
