"""Editing the rubric on screen: the city admin only, weights summing to 100 (Chinese error),
a stale form refused, and the ranking recomputed at once."""
import pytest
from django.urls import reverse

from qingnong.campaign.models import Campaign

from ..models import Rubric, ScoreSource


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def url(campaign):
    return reverse("inspection:assessment-rubric", kwargs={"campaign_id": campaign.pk})


def post_data(items, *, version=0, see=False):
    data = {"version": version, "items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000}
    if see:
        data["counties_see_ranking"] = "on"
    for n, (label, weight, source, full) in enumerate(items):
        data.update({f"items-{n}-label": label, f"items-{n}-weight": weight, f"items-{n}-source": source,
                     f"items-{n}-full_marks_at": full})
    return data


def test_city_admin_sees_the_default_four_items(client_for, world, campaign):
    body = client_for(world.city_admin).get(url(campaign)).content.decode()
    assert body.count('data-testid="rubric-item"') == 5  # four items and one blank row
    for label in ("建群情况", "联系团员青年数量", "发送内容及频次", "线上线下活动情况"):
        assert label in body


def test_weights_not_summing_to_100_are_refused_in_chinese(client_for, world, campaign):
    response = client_for(world.city_admin).post(url(campaign), post_data([("建群情况", 60, ScoreSource.YOUTH_GROUPS_SHARE, 1),
                                                                           ("联系团员青年数量", 30, ScoreSource.CADRES_ON_TARGET, 1)]))
    assert response.status_code == 200
    assert "各考核项权重之和应为 100 分，现为 90 分" in response.content.decode()
    assert not Rubric.objects.filter(campaign=campaign).exists()  # the first save is all or nothing


def test_saving_changes_the_ranking_and_publishes_it_to_counties(client_for, world, campaign):
    client = client_for(world.city_admin)
    response = client.post(url(campaign), post_data([("公众号开通", 100, ScoreSource.ACCOUNT_OPENED, 1)], see=True))
    assert response.status_code == 302
    rubric = Rubric.objects.get(campaign=campaign)
    assert [(i.label, i.weight) for i in rubric.items.all()] == [("公众号开通", 100)] and rubric.counties_see_ranking
    body = client_for(world.county_b_admin).get(response["Location"]).content.decode()
    assert "公众号开通" in body and "榆阳区" in body


def test_a_stale_form_is_refused(client_for, world, campaign):
    client = client_for(world.city_admin)
    client.post(url(campaign), post_data([("建群情况", 100, ScoreSource.YOUTH_GROUPS_SHARE, 1)]))
    response = client.post(url(campaign), post_data([("联系团员青年数量", 100, ScoreSource.CADRES_ON_TARGET, 1)], version=1))
    assert "已被他人修改" in response.content.decode()
    assert [i.label for i in Rubric.objects.get(campaign=campaign).items.all()] == ["建群情况"]


def test_deleted_rows_are_dropped(client_for, world, campaign):
    data = post_data([("建群情况", 100, ScoreSource.YOUTH_GROUPS_SHARE, 1), ("联系团员青年数量", 20, ScoreSource.CADRES_ON_TARGET, 1)])
    data["items-1-DELETE"] = "on"
    assert client_for(world.city_admin).post(url(campaign), data).status_code == 302
    assert [i.label for i in Rubric.objects.get(campaign=campaign).items.all()] == ["建群情况"]


@pytest.mark.parametrize("persona", ["county_a_admin", "county_b_admin", "county_a_reporter"])
def test_counties_cannot_edit_the_rubric(client_for, world, campaign, persona):
    client = client_for(getattr(world, persona))
    assert client.get(url(campaign)).status_code == 403
    assert client.post(url(campaign), post_data([("建群情况", 100, ScoreSource.YOUTH_GROUPS_SHARE, 1)])).status_code == 403
    assert not Rubric.objects.filter(campaign=campaign).exists()


def test_a_verdict_item_needs_its_focus_item(client_for, world, campaign):
    response = client_for(world.city_admin).post(url(campaign), post_data([("检查结论", 100, ScoreSource.VERDICT, 1)]))
    assert response.status_code == 200
    assert "按检查结论计分时，请选择对应的检查项" in response.content.decode()
    assert not Rubric.objects.filter(campaign=campaign).exists()


def test_a_form_shown_before_the_rubric_existed_is_stale_once_it_does(client_for, world, campaign):
    from ..services.assessment import rubric_create_default

    rubric_create_default(campaign, user=world.city_admin)
    response = client_for(world.city_admin).post(url(campaign), post_data([("建群情况", 100, ScoreSource.YOUTH_GROUPS_SHARE, 1)]))
    assert "已被他人修改" in response.content.decode()
    assert Rubric.objects.get(campaign=campaign).items.count() == 4
