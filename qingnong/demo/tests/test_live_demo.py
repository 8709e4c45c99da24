"""Issue 18: the demo is live on whatever day it runs. Loaded on the 1st of a month, in the last
week of a phase and late in the year, the current campaign has today inside 全面建设; the city's
dashboard defaults to today and says so, shows the phase and a countdown; the 附件1 are in every
state; this week's member records are in for some townships and not others; a spot check is
under way; the 2014 campaign stays as history."""
from datetime import date, timedelta

import pytest
from django.test import Client

from qingnong.campaign.models import Campaign, CountyPlan, PhaseKind, PlanStatus
from qingnong.campaign.selectors import current_campaign
from qingnong.demo.yulin import demo_load
from qingnong.inspection.models import InspectionStatus
from qingnong.ledger.models import MemberSnapshot, MessageRecord, OfficialAccount
from qingnong.lib.dates import week_of
from qingnong.org.models import Org, OrgLevel

DAYS = [date(2027, 3, 1), date(2026, 10, 27), date(2026, 12, 30)]  # the 1st; the last week of the seed's 全面建设 (Oct 31); late in a year


@pytest.mark.parametrize("day", DAYS, ids=["first-of-month", "phase-last-week", "late-in-year"])
def test_the_demo_loaded_on_any_day_is_inside_its_building_phase(world, settings, day):
    settings.PINNED_TODAY = day.isoformat()
    MessageRecord.all_objects.filter(account__isnull=False).delete()  # the shared world's account; the demo has its own
    OfficialAccount.all_objects.all().delete()
    users = {u.username: u for u in demo_load()}
    city = Org.objects.get(code="610800")
    assert Campaign.objects.filter(org=city, year=2014).exists()  # history kept
    campaign = current_campaign(users["yulin_admin"])
    phases = {p.kind: p for p in campaign.phases.all()}
    assert phases[PhaseKind.BUILD].starts_on <= day <= phases[PhaseKind.BUILD].ends_on
    assert phases[PhaseKind.SURVEY].ends_on < day < phases[PhaseKind.INSPECTION].starts_on
    statuses = set(CountyPlan.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert {PlanStatus.APPROVED, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.DRAFT} <= statuses
    assert CountyPlan.objects.filter(campaign=campaign, is_late=True).exists()
    assert CountyPlan.objects.filter(campaign=campaign).count() < Org.objects.filter(parent=city, level=OrgLevel.COUNTY).count()
    monday = week_of(day)[0]
    this_week = set(MemberSnapshot.objects.filter(taken_on__gte=monday, group__org__level=OrgLevel.TOWNSHIP)
                    .values_list("group__org", flat=True))
    townships = Org.objects.filter(path__startswith=city.path, level=OrgLevel.TOWNSHIP).count()
    assert 0 < len(this_week) < townships  # some have entered this week, some not yet
    assert MemberSnapshot.objects.filter(taken_on__gte=monday - timedelta(days=7), taken_on__lt=monday).exists()
    round = campaign.inspection_rounds.get()
    assert round.starts_on <= day <= round.ends_on
    assert round.inspections.filter(status=InspectionStatus.IN_PROGRESS).exists()

    client = Client()
    client.force_login(users["yulin_admin"])
    page = client.get(f"/campaign/dashboard/{city.pk}/").content.decode()
    assert f"数据截至 <strong>{day.year}年{day.month}月{day.day}日</strong>（今天）" in page
    assert "全面建设阶段" in page and "已结束" not in page
    assert 'class="countdown' in page or "还有" in page

