"""The dashboard page: whose dashboard opens, who gets a 404, the date it reads, drill-down."""
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import A_GROUP
from qingnong.campaign.models import Campaign
from qingnong.org.models import OrgLevel


def url(org, query=""):
    return f"/campaign/dashboard/{org.pk}/{query}"


@pytest.mark.parametrize("persona,org", [("city_admin", "city"), ("county_a_viewer", "county_a"),
                                         ("township_a_reporter", "township_a"), ("county_b_admin", "county_b")])
def test_dashboard_opens_on_the_users_own_org(client_for, world, persona, org):
    response = client_for(getattr(world, persona)).get("/campaign/dashboard/")
    assert response.status_code == 302 and response["Location"] == url(getattr(world, org))


def test_city_sees_one_row_per_county_linking_to_its_townships(client_for, world):
    response = client_for(world.city_admin).get(url(world.city))
    assert response.status_code == 200
    assert [r.org for r in response.context["body"]] == [world.county_a, world.county_b]
    html = response.content.decode()
    assert f'href="{url(world.county_a)}"' in html and "合计" in html
    assert 'aria-current="page">进度</a>' in html
    assert response.context["as_of"] == date(2014, 11, 30)  # the 2014 campaign is over: its last day
    assert "已结束" in html and "2014年农村共青团微信体系建设" in html


def test_county_sees_its_townships_linking_to_their_groups(client_for, world):
    response = client_for(world.county_a_admin).get(url(world.county_a))
    body = response.context["body"]
    assert len(body) == 31 and all(r.org.level == OrgLevel.TOWNSHIP for r in body)
    assert f'href="{reverse("ledger:groups", args=[world.township_a.pk])}"' in response.content.decode()
    # The county's own plan and account are shown above its townships' table.
    assert [col.key for col, _, _ in response.context["foot"].own] == ["plan", "account"]


@pytest.mark.parametrize("persona,org", [
    ("county_b_admin", "county_a"), ("county_b_viewer", "township_a"), ("county_a_admin", "city"),
    ("county_a_admin", "county_b"), ("township_a_reporter", "county_a"), ("township_a_reporter", "township_b"),
])
def test_an_org_outside_the_users_subtree_is_404(client_for, world, persona, org):
    assert client_for(getattr(world, persona)).get(url(getattr(world, org))).status_code == 404


def test_township_user_sees_only_their_township(client_for, world):
    response = client_for(world.township_a_reporter).get(url(world.township_a))
    assert response.status_code == 200
    assert [r.org for r in response.context["body"]] == [world.township_a]
    html = response.content.decode()
    assert "鱼河镇" in html and world.township_b.name not in html and "横山区" not in html
    assert "tfoot" not in html  # one row, no totals


def test_a_village_has_no_scorecard_its_groups_instead(client_for, world):
    response = client_for(world.county_a_admin).get(url(world.village_a))
    assert response.status_code == 302 and response["Location"] == reverse("ledger:groups", args=[world.village_a.pk])


def test_as_of_chooses_the_date_and_is_kept_when_drilling_down(client_for, world):
    response = client_for(world.city_admin).get(url(world.city, "?as_of=2014-09-15"))
    assert response.context["as_of"] == date(2014, 9, 15)
    html = response.content.decode()
    assert "2014年9月15日" in html and f'href="{url(world.county_a)}?as_of=2014-09-15"' in html
    assert "距 9月30日（青农微信群建成）还有 <strong>15</strong> 天" in html  # the countdown as of that date


@pytest.mark.parametrize("raw,says", [("2014-13-45", "不是有效日期"), ("2999-01-01", "晚于今天")])
def test_a_bad_date_falls_back_to_the_default_and_says_so(client_for, world, raw, says):
    response = client_for(world.city_admin).get(url(world.city, f"?as_of={raw}"))
    assert response.status_code == 200 and response.context["as_of"] == date(2014, 11, 30)
    assert says in response.content.decode()


def test_without_a_campaign_the_page_says_so(client_for, world):
    Campaign.objects.filter(org=world.city).update(deleted_at=timezone.now())
    response = client_for(world.county_a_admin).get(url(world.county_a))
    assert response.status_code == 200 and "还没有适用于" in response.content.decode()


def test_the_group_itself_is_not_on_the_dashboard_of_another_county(client_for, world):
    html = client_for(world.county_b_admin).get(url(world.county_b)).content.decode()
    assert A_GROUP not in html and "鱼河镇" not in html


def test_a_running_campaign_counts_down_to_its_next_deadline(client_for, world, monkeypatch):
    for module in ("selectors", "scorecard", "dashboard"):
        monkeypatch.setattr(f"qingnong.campaign.{module}.today", lambda: date(2014, 9, 15))
    response = client_for(world.county_a_admin).get(url(world.county_a))
    assert response.context["as_of"] == date(2014, 9, 15)
    html = response.content.decode()
    assert "已结束" not in html
    assert "距 <strong>9月30日</strong> 还有 <strong class=\"big-num\">15</strong> 天" in html and "青农微信群建成" in html
