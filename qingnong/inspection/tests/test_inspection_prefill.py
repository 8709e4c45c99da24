"""The four findings are pre-filled with the ledger's figures as of the inspection date,
checked against a hand-built county A (2014-11-20; the campaign started 2014-07-01)."""
from datetime import date

from conftest import recorded_on

import pytest

from qingnong.campaign.models import Campaign, CountyPlan
from qingnong.inspection.models import FocusItem, Inspection
from qingnong.inspection.services.inspections import round_create
from qingnong.ledger.models import (
    Activity, ActivityType, Cadre, GroupKind, GroupStatus, MemberSnapshot, MessageCategory, MessageRecord, WechatGroup,
)


def hand_built(world):
    """On top of conftest's county A (1 youth group, 1 cadre at 0, 5 policy messages on
    2014-10-06, 1 skills activity on 2014-10-08)."""
    t = world.township_a
    campaign = Campaign.objects.get(org=world.city, year=2014)
    CountyPlan.objects.create(campaign=campaign, org=world.county_a, county_name="榆阳区",
                              planned_county_youth_groups=1, planned_township_youth_groups=3)
    g1 = WechatGroup.objects.create(org=t, name="甲一群", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1), members_total=30)
    g2 = WechatGroup.objects.create(org=t, name="甲二群", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1), members_total=60)
    # Youths reached are the members recorded by the inspection date: 甲二群's 60 came after it.
    for group, day, total in [(g1, date(2014, 10, 1), 30), (g2, date(2014, 11, 1), 45), (g2, date(2014, 11, 25), 60)]:
        MemberSnapshot.objects.create(group=group, taken_on=day, total=total, home_farming=total)
    WechatGroup.objects.create(org=t, name="后来的群", kind=GroupKind.YOUTH, founded_on=date(2014, 11, 25), members_total=99)
    WechatGroup.objects.create(org=t, name="解散的群", kind=GroupKind.YOUTH, status=GroupStatus.CLOSED, members_total=99)
    WechatGroup.objects.create(org=world.county_a, name="县青农群", kind=GroupKind.WORK, founded_on=date(2014, 9, 10))
    for n, reached in enumerate([25, 20, 19]):
        Cadre.objects.create(org=t, name=f"干部{n}", youths_reached=reached)
    recorded_on(Cadre.objects.filter(org__path__startswith=world.county_a.path), date(2014, 8, 1))  # standing in 2014
    for day, count, category in [(date(2014, 11, 3), 7, MessageCategory.PROSPERITY),
                                 (date(2014, 11, 24), 100, MessageCategory.NEWS),  # after the inspection date
                                 (date(2014, 6, 2), 50, MessageCategory.NEWS)]:  # before the campaign
        MessageRecord.objects.create(org=t, group=g1, period_start=day, period_end=day, month=day.replace(day=1),
                                     count=count, category=category)
    Activity.objects.create(org=world.county_a, held_on=date(2014, 11, 10), activity_type=ActivityType.POLICY_TALK,
                            title="县级宣讲", participants=50)
    Activity.objects.create(org=t, held_on=date(2014, 11, 21), activity_type=ActivityType.CULTURE, title="晚了一天")
    return campaign


def test_findings_carry_the_ledger_figures_as_of_the_inspection_date(world):
    campaign = hand_built(world)
    round = round_create(user=world.city_admin, campaign=campaign, name="2014年检查验收",
                         starts_on=date(2014, 11, 20), ends_on=date(2014, 11, 30))
    inspection = Inspection.objects.get(round=round, org=world.county_a)
    figures = {f.item: f.figures for f in inspection.findings.all()}
    assert set(figures) == set(FocusItem.values)

    groups = figures[FocusItem.GROUPS]
    assert (groups["youth_groups"], groups["planned_youth"], groups["percent"]) == (3, 4, 75)
    assert (groups["work_groups"], groups["own_work_groups"], groups["account_opened"]) == (1, 1, False)
    assert ["团青微信群（已建 / 计划）", "3 / 4（75%，目标 90%）"] in groups["lines"]

    youths = figures[FocusItem.YOUTHS]
    assert (youths["youths_reached"], youths["grassroots_cadres"], youths["cadres_on_target"]) == (75, 4, 2)
    assert ["基层团干部联系青年≥20 名", "2 / 4（50%）"] in youths["lines"]

    messages = figures[FocusItem.MESSAGES]
    # 5 + 7 from the 全面建设 phase's 2014-09-01 to 2014-11-20: 81 days ≈ 12 weeks; 4 groups → 12 / 4 / 12.
    assert messages["total"] == 12 and messages["weeks"] == 12 and messages["groups"] == 4
    assert dict(messages["by_category"]) == {"政策法规": 5, "致富信息": 7, "新闻娱乐": 0, "便民服务": 0, "其他": 0}
    assert messages["per_group_week"] == 0.25
    assert ["发送微信（2014-09-01 至 2014-11-20，全面建设阶段起）", "12 条"] in messages["lines"]

    activities = figures[FocusItem.ACTIVITIES]
    assert activities["total"] == 2
    assert dict(activities["by_type"])["技能培训"] == 1 and dict(activities["by_type"])["政策宣讲"] == 1
    assert dict(activities["by_type"])["文体娱乐"] == 0


def test_every_county_gets_an_inspection_with_its_inspector(world):
    from qingnong.accounts.models import Role, User

    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER)
    campaign = Campaign.objects.get(org=world.city, year=2014)
    round = round_create(user=world.city_admin, campaign=campaign, name="检查", starts_on=date(2014, 11, 20),
                         ends_on=date(2014, 11, 30), inspectors={world.county_a.pk: inspector})
    rows = {i.org_id: i for i in round.inspections.all()}
    assert set(rows) == {world.county_a.pk, world.county_b.pk}
    assert rows[world.county_a.pk].inspector == inspector and rows[world.county_b.pk].inspector is None
    assert all(i.findings.count() == 4 for i in rows.values())


def test_a_county_user_cannot_be_an_inspector(world):
    from django.core.exceptions import ValidationError

    campaign = Campaign.objects.get(org=world.city, year=2014)
    with pytest.raises(ValidationError):
        round_create(user=world.city_admin, campaign=campaign, name="检查", starts_on=date(2014, 11, 20),
                     ends_on=date(2014, 11, 30), inspectors={world.county_a.pk: world.county_b_admin})


def test_rates_count_the_campaigns_own_weeks_not_the_years_since(world, monkeypatch):
    """Issue 17: a 2014 campaign inspected on a 2026 date said 每群每周发送 0.14 条（340 个群，649 周）.
    The window stops at the campaign's last day (2014-11-30), and the page names it."""
    campaign = hand_built(world)
    round = round_create(user=world.city_admin, campaign=campaign, name="补查", starts_on=date(2026, 3, 2),
                         ends_on=date(2026, 3, 9))
    inspection = Inspection.objects.get(round=round, org=world.county_a)
    messages = {f.item: f.figures for f in inspection.findings.all()}[FocusItem.MESSAGES]
    # 2014-09-01 … 2014-11-30: 91 days = 13 weeks; the 100 news of 11-24 count now, the June 50 do not.
    assert (messages["since"], messages["until"], messages["weeks"], messages["total"]) == ("2014-09-01", "2014-11-30", 13, 112)
    assert ["发送微信（2014-09-01 至 2014-11-30，全面建设阶段起）", "112 条"] in messages["lines"]


def test_an_inspection_dated_in_the_future_cannot_be_completed(world):
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    from qingnong.inspection.models import InspectionStatus, Verdict
    from qingnong.inspection.services.inspections import inspection_submit
    from qingnong.lib.dates import today

    campaign = hand_built(world)
    later = today() + timedelta(days=10)
    round = round_create(user=world.city_admin, campaign=campaign, name="下月检查", starts_on=later,
                         ends_on=later + timedelta(days=5))
    inspection = Inspection.objects.get(round=round, org=world.county_a)
    inspection.inspector = world.city_admin
    inspection.save()
    inspection.findings.update(verdict=Verdict.values[0])
    with pytest.raises(ValidationError, match="还没到，不能完成检查"):
        inspection_submit(user=world.city_admin, inspection=inspection)
    assert Inspection.objects.get(pk=inspection.pk).status != InspectionStatus.SUBMITTED
