"""我的待办 (issue 12): exactly the items each persona owes or must review, with deadlines
and links; a fixed number of statements whatever the number of orgs."""
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import A_GROUP
from qingnong.campaign import submissions
from qingnong.campaign.models import CountyPlan, PlanStatus, ProgressSubmission, ReportingPeriod, SubmissionStatus
from qingnong.ledger.models import WechatGroup
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.portal.todo import todo_items

NOVEMBER = date(2014, 11, 30)  # the 2014 plan's last period (2014年11月, due 12-05)


def texts(user, day=NOVEMBER):
    return [t.text for t in todo_items(user, today=day)]


@pytest.fixture
def period(world):
    return ReportingPeriod.objects.get(campaign__org=world.city, campaign__year=2014, starts_on=date(2014, 11, 1))


def plan(world, county, status):
    return CountyPlan.objects.create(campaign=period_campaign(world), org=county, county_name=county.name, status=status)


def period_campaign(world):
    return ReportingPeriod.objects.filter(campaign__org=world.city).first().campaign


def test_a_township_reporter_owes_its_row(world, period):
    items = todo_items(world.township_a_reporter, today=NOVEMBER)
    owed = [t for t in items if "附件3" in t.text]
    assert [t.text for t in owed] == ["提交本乡镇2014年11月的附件3"]
    assert owed[0].due_on == date(2014, 12, 5) and not owed[0].overdue
    assert owed[0].url == reverse("reports:reporting", args=[world.township_a.pk]) + f"?period={period.pk}"
    (late,) = [t for t in todo_items(world.township_a_reporter, today=date(2014, 12, 6)) if "附件3" in t.text]
    assert late.overdue  # the day after its due date


def test_a_submitted_row_is_no_longer_owed(world, period):
    submissions.township_submit(user=world.township_a_reporter, period=period, township=world.township_a, figures=_zeros())
    assert not [t for t in texts(world.township_a_reporter) if "附件3" in t]


def test_a_returned_row_comes_back_with_its_reason(world, period):
    s = submissions.township_submit(user=world.township_a_reporter, period=period, township=world.township_a, figures=_zeros())
    submissions.submission_return(user=world.county_a_admin, submission=s, reason="请补填团支部数")
    (item,) = [t for t in todo_items(world.township_a_reporter, today=NOVEMBER) if "附件3" in t.text]
    assert item.text == "本乡镇2014年11月的附件3被退回，请修改后重新提交" and item.reason == "请补填团支部数"


def test_the_county_admin_reviews_and_owes(world, period):
    s = submissions.township_submit(user=world.township_a_reporter, period=period, township=world.township_a, figures=_zeros())
    got = texts(world.county_a_admin)
    assert "审核 1 个乡镇2014年11月的附件3" in got
    assert "提交本县区2014年11月的附件3" in got and "填写并提交计划表（附件1）" in got
    submissions.submission_approve(user=world.county_a_admin, submission=s)
    assert not [t for t in texts(world.county_a_admin) if t.startswith("审核")]
    # A reporter owes the same but reviews nothing; a viewer owes nothing.
    assert not [t for t in texts(world.county_a_reporter) if t.startswith("审核")]
    assert texts(world.county_a_viewer) == []


def test_the_city_admin_reviews_plans_and_counties(world, period):
    plan(world, world.county_a, PlanStatus.SUBMITTED)
    plan(world, world.county_b, PlanStatus.APPROVED)
    ProgressSubmission.objects.create(period=period, org=world.county_b, submitted_at=timezone.now())
    assert texts(world.city_admin) == ["审核 1 个县区的计划表（附件1）", "审核 1 个县区2014年11月的附件3"]


def test_a_plan_approved_is_not_owed_and_one_returned_is(world, period):
    p = plan(world, world.county_a, PlanStatus.APPROVED)
    assert "填写并提交计划表（附件1）" not in texts(world.county_a_admin)
    CountyPlan.objects.filter(pk=p.pk).update(status=PlanStatus.RETURNED, return_reason="计划数偏少")
    (item,) = [t for t in todo_items(world.county_a_admin, today=NOVEMBER) if "计划表" in t.text]
    assert item.reason == "计划数偏少"


def test_expiring_qr_codes_and_groups_without_this_weeks_figures(world):
    day = today()
    WechatGroup.objects.filter(name=A_GROUP).update(qr_expires_on=day + timedelta(days=1), members_as_of=None)
    got = texts(world.township_a_reporter, day)
    assert "1 个微信群的入群二维码已过期或即将过期，请更新" in got
    monday = day - timedelta(days=day.weekday())
    assert f"1 个微信群本周（{monday:%m月%d日}起）还没有填成员数" in got
    WechatGroup.objects.filter(name=A_GROUP).update(qr_expires_on=day + timedelta(days=30), members_as_of=day)
    assert not [t for t in texts(world.township_a_reporter, day) if "微信群" in t]
    assert not [t for t in texts(world.county_b_admin, day) if "微信群" in t]  # county A's group is not B's


def test_the_home_page_shows_it_first(client_for, world, period):
    html = client_for(world.township_a_reporter).get(reverse("portal:home")).content.decode()
    assert html.index('data-testid="todo"') < html.index("录入本周数据")
    assert "附件3" in html


@pytest.mark.parametrize("county", ["county_a", "county_b"])
def test_the_todo_costs_the_same_whatever_the_subtree(world, period, county):
    org = getattr(world, county)
    for t in Org.objects.filter(parent=org, level=OrgLevel.TOWNSHIP)[:5]:
        ProgressSubmission.objects.create(period=period, org=t, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    user = world.county_a_admin if county == "county_a" else world.county_b_admin
    user = type(user).objects.select_related("org").get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        todo_items(user, today=NOVEMBER)
    # campaign (+ phases, deadlines, periods), plan, own submission, submissions to review,
    # inspections assigned, the groups' aggregate.
    assert len(queries) == 9, "\n".join(q["sql"][:100] for q in queries)


def _zeros():
    from qingnong.reports.progress import NUMERIC
    return dict.fromkeys(NUMERIC, 0)
