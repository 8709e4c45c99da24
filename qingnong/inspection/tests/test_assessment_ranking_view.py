"""The ranking page: the city sees every county with ranks, the formula and the tie rule; a
county sees only its own score unless the city publishes the whole ranking."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingnong.campaign.models import Campaign

from ..services.assessment import rubric_create_default, rubric_update
from .test_assessment_scores import FIGURES, add_county


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def url(campaign):
    return reverse("inspection:assessment-ranking", kwargs={"campaign_id": campaign.pk})


def test_city_sees_every_county_ranked_with_formula_and_tie_rule(client_for, world, campaign):
    response = client_for(world.city_admin).get(url(campaign))
    body = response.content.decode()
    assert response.status_code == 200
    assert "榆阳区" in body and "横山区" in body
    assert 'data-testid="rank"' in body
    assert "单项得分 = 权重 × min(1, 实际值 ÷ 满分标准)" in body
    assert "并列规则" in body and "行政区划代码" in body
    assert "修改考核细则" in body and "导出 Excel" in body


def test_county_never_sees_another_county_while_the_ranking_is_hidden(client_for, world, campaign):
    body = client_for(world.county_b_admin).get(url(campaign)).content.decode()
    assert "横山区" in body and "榆阳区" not in body
    assert 'data-testid="rank"' not in body  # no rank: it would tell where the others stand
    assert 'data-testid="own-only"' in body
    assert "修改考核细则" not in body


def test_county_sees_the_whole_ranking_once_the_city_allows_it(client_for, world, campaign):
    rubric = rubric_create_default(campaign, user=world.city_admin)
    rubric_update(user=world.city_admin, rubric=rubric, expected_version=rubric.version, counties_see_ranking=True,
                  items=[{"label": i.label, "weight": i.weight, "source": i.source, "full_marks_at": i.full_marks_at}
                         for i in rubric.items.all()])
    body = client_for(world.county_b_viewer).get(url(campaign)).content.decode()
    assert "横山区" in body and "榆阳区" in body and 'data-testid="rank"' in body


def test_home_redirects_to_the_current_campaign(client_for, world, campaign):
    response = client_for(world.county_a_viewer).get(reverse("inspection:assessment-home"))
    assert response.status_code == 302 and response["Location"] == url(campaign)


def test_page_statements_do_not_grow_with_the_counties(client_for, world, campaign):
    client = client_for(world.city_admin)
    client.get(url(campaign))  # session, content types: warm
    with CaptureQueriesContext(connection) as before:
        assert client.get(url(campaign)).status_code == 200
    for code, figures in FIGURES.items():  # three more counties under 榆林 (610881…), same path length
        add_county(world.city, f"61088{code[-1]}", *figures)
    with CaptureQueriesContext(connection) as after:
        body = client.get(url(campaign)).content.decode()
    assert "测试县1" in body
    assert len(before) == len(after)
