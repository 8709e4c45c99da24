"""Awards: the city admin records them with reasons; the printable list; a county sees its
own awards only and never records one."""
from datetime import date

import pytest
from django.urls import reverse

from ..models import Award, AwardCategory
from ..services.assessment import award_create
from .test_award_evaluation import build_accounts
from .test_assessment_scores import build_tiny


@pytest.fixture
def tiny(world):
    from qingnong.accounts.models import Role, User

    city, campaign = build_tiny()
    one, two = build_accounts(campaign)
    users = {
        "city": User.objects.create(username="tiny_city_admin", org=city, role=Role.ADMIN),
        "city_viewer": User.objects.create(username="tiny_city_viewer", org=city, role=Role.VIEWER),
        "c1": User.objects.create(username="tiny_c1_admin", org=one.org, role=Role.ADMIN),
        "c2": User.objects.create(username="tiny_c2_admin", org=two.org, role=Role.ADMIN),
    }
    return campaign, one, two, users


def award_data(official_account, category=AwardCategory.EXCELLENT, reason="关注人数最多，每周发布"):
    return {"account": official_account.pk, "category": category, "period_start": "2014-07-01", "period_end": "2014-11-30",
            "reason": reason}


def test_city_admin_records_an_award_and_it_is_on_the_printable_list(client_for, tiny):
    campaign, one, two, users = tiny
    client = client_for(users["city"])
    response = client.post(reverse("inspection:award-create", kwargs={"campaign_id": campaign.pk}), award_data(one))
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.account, award.category, award.reason, award.period_end) == (one, "excellent", "关注人数最多，每周发布", date(2014, 11, 30))
    body = client.get(response["Location"]).content.decode()
    assert "优秀公众号" in body and "青农测试一" in body and "关注人数最多，每周发布" in body
    assert 'media="print"' in body and "print.css" in body and "打印获奖名单" in body


def test_the_same_award_twice_is_refused(client_for, tiny):
    campaign, one, two, users = tiny
    client = client_for(users["city"])
    url = reverse("inspection:award-create", kwargs={"campaign_id": campaign.pk})
    client.post(url, award_data(one))
    response = client.post(url, award_data(one), follow=True)
    assert "该公众号已获得此奖项" in response.content.decode()
    assert Award.objects.count() == 1


def test_list_groups_by_category(client_for, tiny):
    campaign, one, two, users = tiny
    for official_account, category in [(two, AwardCategory.GROWTH), (one, AwardCategory.EXCELLENT), (two, AwardCategory.EXCELLENT)]:
        award_create(user=users["city"], campaign=campaign, official_account=official_account, category=category,
                     period_start=date(2014, 7, 1), period_end=date(2014, 11, 30), reason="理由")
    body = client_for(users["city_viewer"]).get(reverse("inspection:award-list", kwargs={"campaign_id": campaign.pk})).content.decode()
    assert body.index("优秀公众号（2 个）") < body.index("最快增长奖（1 个）")
    assert body.index("青农测试一") < body.index("青农测试二")
    assert "删除" not in body  # a viewer reads the list


def test_a_county_sees_only_its_own_awards(client_for, tiny):
    campaign, one, two, users = tiny
    award_create(user=users["city"], campaign=campaign, official_account=one, category=AwardCategory.EXCELLENT,
                 period_start=date(2014, 7, 1), period_end=date(2014, 11, 30), reason="理由一")
    url = reverse("inspection:award-list", kwargs={"campaign_id": campaign.pk})
    assert "青农测试一" in client_for(users["c1"]).get(url).content.decode()
    assert "青农测试一" not in client_for(users["c2"]).get(url).content.decode()


@pytest.mark.parametrize("persona", ["c1", "c2"])
def test_a_county_never_records_or_deletes_an_award(client_for, tiny, persona):
    campaign, one, two, users = tiny
    client = client_for(users[persona])
    assert client.post(reverse("inspection:award-create", kwargs={"campaign_id": campaign.pk}), award_data(one)).status_code == 403
    award = award_create(user=users["city"], campaign=campaign, official_account=one, category=AwardCategory.ACTIVE,
                         period_start=date(2014, 7, 1), period_end=date(2014, 11, 30))
    assert client.post(reverse("inspection:award-delete", kwargs={"campaign_id": campaign.pk}), {"award": award.pk}).status_code == 403
    assert Award.objects.count() == 1


def test_city_admin_deletes_an_award_into_the_trash(client_for, tiny):
    campaign, one, two, users = tiny
    award = award_create(user=users["city"], campaign=campaign, official_account=one, category=AwardCategory.ACTIVE,
                         period_start=date(2014, 7, 1), period_end=date(2014, 11, 30))
    response = client_for(users["city"]).post(reverse("inspection:award-delete", kwargs={"campaign_id": campaign.pk}), {"award": award.pk})
    assert response.status_code == 302
    assert not Award.objects.exists() and Award.all_objects.get().deleted_at is not None
