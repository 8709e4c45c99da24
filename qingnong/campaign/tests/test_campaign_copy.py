"""Copying a campaign to a new year: same targets, every phase and deadline moved to the
same day of the new year; the copy becomes the current campaign."""
from datetime import date

import pytest

from qingnong.campaign.models import Campaign
from qingnong.campaign.services import campaign_copy, campaign_update


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def test_copy_shifts_dates_and_keeps_targets(client_for, world, campaign):
    campaign_update(user=world.city_admin, campaign=campaign, expected_version=campaign.version, phases={},
                    deadlines={}, targets={"youth_groups_per_township": 12, "youths_per_cadre": 25})
    client = client_for(world.city_admin)

    response = client.post(f"/campaign/settings/{campaign.pk}/copy/", {"year": 2015}, follow=True)

    copy = Campaign.objects.get(org=world.city, year=2015)
    assert response.redirect_chain[-1][0] == f"/campaign/settings/{copy.pk}/"
    assert "已复制为“2015年农村共青团微信体系建设”" in response.content.decode()
    assert copy.youth_groups_per_township == 12 and copy.youths_per_cadre == 25
    assert {p.kind: (p.starts_on, p.ends_on) for p in copy.phases.all()} == {
        "survey": (date(2015, 7, 1), date(2015, 8, 31)),
        "build": (date(2015, 9, 1), date(2015, 10, 31)),
        "inspection": (date(2015, 11, 1), date(2015, 11, 30)),
    }
    assert {d.kind: d.due_on for d in copy.deadlines.all()} == {
        "plan_due": date(2015, 8, 20), "work_groups": date(2015, 9, 30), "youth_groups": date(2015, 10, 31),
        "account": date(2015, 10, 31),
    }
    # The new year is now the one the plan pages use.
    assert client.get("/campaign/plans/").context["campaign"] == copy
    assert client.get("/campaign/plans/?year=2014").context["campaign"] == campaign


def test_29_february_becomes_28(world, campaign):
    leap = campaign_copy(user=world.city_admin, campaign=campaign, year=2016)
    campaign_update(user=world.city_admin, campaign=leap, expected_version=leap.version, targets={},
                    phases={}, deadlines={"plan_due": date(2016, 2, 29)})
    copy = campaign_copy(user=world.city_admin, campaign=Campaign.objects.get(pk=leap.pk), year=2017)
    assert copy.deadlines.get(kind="plan_due").due_on == date(2017, 2, 28)


def test_copy_to_an_existing_year_is_refused(client_for, world, campaign):
    response = client_for(world.city_admin).post(f"/campaign/settings/{campaign.pk}/copy/", {"year": 2014}, follow=True)
    assert "2014年的建设计划已存在" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_copy_needs_a_sensible_year(client_for, world, campaign):
    response = client_for(world.city_admin).post(f"/campaign/settings/{campaign.pk}/copy/", {"year": "20x5"}, follow=True)
    assert "请输入四位年份" in response.content.decode() and Campaign.objects.count() == 1
