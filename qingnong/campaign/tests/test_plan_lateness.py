"""逾期: a plan submitted after the campaign's 附件1 deadline (8月20日 by default) is flagged,
on the plan page and on the city's list; a county that has not submitted by then shows 逾期未交."""
from datetime import timedelta

import pytest

from qingnong.campaign.models import Campaign, DeadlineKind
from qingnong.campaign.services import campaign_copy, campaign_update, plan_save, plan_submit
from qingnong.lib.dates import today


@pytest.fixture
def past(world):
    return Campaign.objects.get(org=world.city, year=2014)  # due 2014-08-20


@pytest.fixture
def future(world, past):
    return campaign_copy(user=world.city_admin, campaign=past, year=today().year + 1)


def submit(world, campaign):
    plan = plan_save(user=world.county_a_admin, campaign=campaign, county=world.county_a, expected_version=None,
                     county_name="榆阳区", wechat_lead="张书记")
    return plan_submit(user=world.county_a_admin, plan=plan)


def test_2014_deadline_is_8_20(past):
    assert past.deadlines.get(kind=DeadlineKind.PLAN_DUE).due_on.isoformat() == "2014-08-20"


def test_submitted_after_the_deadline_is_late(client_for, world, past):
    plan = submit(world, past)
    assert plan.is_late

    page = client_for(world.city_admin).get(f"/campaign/plans/{world.county_a.pk}/").content.decode()
    assert 'data-testid="late">逾期<' in page
    rows = client_for(world.city_admin).get("/campaign/plans/").context["rows"]
    assert {r.name: (r.plan_status, r.plan_is_late) for r in rows} == {"榆阳区": ("submitted", True), "横山区": (None, None)}
    body = client_for(world.city_admin).get("/campaign/plans/").content.decode()
    assert body.count('class="badge late">逾期<') == 1 and body.count("逾期未交") == 1  # 横山区 never submitted


def test_submitted_before_the_deadline_is_not_late(client_for, world, future):
    plan = submit(world, future)
    assert not plan.is_late

    body = client_for(world.city_admin).get("/campaign/plans/").content.decode()
    assert "逾期" not in body and f"{future.year}年农村共青团微信体系建设" in body


@pytest.mark.parametrize("days, late", [(-1, True), (0, False), (1, False)])
def test_the_deadline_day_itself_is_on_time(world, past, days, late):
    campaign_update(user=world.city_admin, campaign=past, expected_version=past.version, targets={}, phases={},
                    deadlines={DeadlineKind.PLAN_DUE: today() + timedelta(days=days)})
    assert submit(world, past).is_late is late


def test_a_resubmission_keeps_the_first_submissions_timeliness(world, past):
    """A plan sent on time, returned, and resubmitted after the deadline is not late."""
    campaign_update(user=world.city_admin, campaign=past, expected_version=past.version, targets={}, phases={},
                    deadlines={DeadlineKind.PLAN_DUE: today() + timedelta(days=1)})
    from qingnong.campaign.services import plan_return

    plan = submit(world, past)
    assert not plan.is_late
    plan_return(user=world.city_admin, plan=plan, reason="补充")
    past.refresh_from_db()
    campaign_update(user=world.city_admin, campaign=past, expected_version=past.version, targets={}, phases={},
                    deadlines={DeadlineKind.PLAN_DUE: today() - timedelta(days=1)})
    plan.refresh_from_db()
    assert not plan_submit(user=world.county_a_admin, plan=plan).is_late
