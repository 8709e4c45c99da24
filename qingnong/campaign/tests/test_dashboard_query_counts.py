"""The dashboard costs the same number of SQL queries with 3 rows as with 12: each figure
is one GROUP BY over the rows' common subtree (org.selectors.rollup), each chart one
GROUP BY or aggregate."""
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.accounts.models import Role, User
from qingnong.campaign.models import CountyPlan, PlanStatus, Reminder
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import (
    Activity, ActivityType, Cadre, GroupKind, MemberSnapshot, MessageCategory, MessageRecord, OfficialAccount, WechatGroup,
)
from qingnong.org.models import Org, OrgLevel

# Pinned: session, user, org, breadcrumbs, campaign + phases + deadlines (7); the rows and
# the totals row together (selectors.with_progress: 4 rollups, each one scan for both path
# lengths, the groups' counts, members and latest update as of the day in one, the month's
# messages and activities in one, + 4 per-org lookups = 8); completeness × 2; the three
# chart statements (weekly groups, members, messages by category and month) = 20, plus the
# rows' own SELECT; + 2 for 附件3 imports counted as updates (最近更新 and completeness each
# merge one rollup of ReportedProgress); + 1 for the 附件3 reports that stand until
# superseded (issue 12: one statement when none stands, three when some do). The weekly
# chart's first week costs none (issue 13: the total row's built groups less the weeks'
# changes from its Monday on), nor does the members chart (the total row's nine columns,
# read in the scorecard's statement), nor does counting the townships for 填报及时率 (the
# total row's).
# Messages and activities read the monthly totals and the day totals;
# the 2014 campaign is over, so groups are read as of its last day from the dated rows.
EXPECTED = 22


def org(name, level, code, parent=None):
    path = f"{parent.path if parent else ''}{code}/"
    return Org.objects.create(name=name, level=level, code=code, parent=parent, path=path, depth=path.count("/") - 1)


def fill(at, campaign, i):
    """A little of everything in `at`'s subtree, so no subquery is trivially empty."""
    group = WechatGroup.objects.create(org=at, name=f"群{i}", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1 + i % 28),
                                       members_total=30, home_farming=30)
    MemberSnapshot.objects.create(group=group, taken_on=date(2014, 11, 20), total=30, home_farming=30)
    MessageRecord.objects.create(org=at, group=group, period_start=date(2014, 11, 3), period_end=date(2014, 11, 9),
                                 month=date(2014, 11, 1), count=3, category=MessageCategory.POLICY)
    Activity.objects.create(org=at, held_on=date(2014, 11, 5), activity_type=ActivityType.OTHER, title=f"活动{i}")
    Cadre.objects.create(org=at, name=f"干部{i}", youths_reached=20 + i)


def add_counties(city, campaign, start, n):
    for i in range(start, start + n):
        county = org(f"县{i}", OrgLevel.COUNTY, f"97{i:04d}", city)
        township = org(f"镇{i}", OrgLevel.TOWNSHIP, f"97{i:04d}101", county)
        fill(township, campaign, i)
        OfficialAccount.objects.create(org=county, name=f"号{i}")
        CountyPlan.objects.create(campaign=campaign, org=county, county_name=county.name, status=PlanStatus.SUBMITTED,
                                  planned_township_youth_groups=10)
        Reminder.objects.create(campaign=campaign, org=county, message="…")


def add_townships(county, campaign, start, n):
    for i in range(start, start + n):
        fill(org(f"乡{i}", OrgLevel.TOWNSHIP, f"970001{i:03d}", county), campaign, 100 + i)


def measure(client, url):
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_city_dashboard_queries_do_not_grow_with_counties(client_for, db):
    city = org("测试市", OrgLevel.CITY, "970000")
    campaign = campaign_create_default(org=city, year=2014)
    client = client_for(User.objects.create(username="q_city", org=city, role=Role.ADMIN))
    add_counties(city, campaign, 1, 3)
    few, small = measure(client, f"/campaign/dashboard/{city.pk}/")
    add_counties(city, campaign, 4, 9)
    many, large = measure(client, f"/campaign/dashboard/{city.pk}/")
    assert (len(small.context["body"]), len(large.context["body"])) == (3, 12)
    assert few == many == EXPECTED


def test_county_dashboard_queries_do_not_grow_with_townships(client_for, db):
    city = org("测试市", OrgLevel.CITY, "970000")
    campaign = campaign_create_default(org=city, year=2014)
    county = org("县1", OrgLevel.COUNTY, "970001", city)
    client = client_for(User.objects.create(username="q_county", org=county, role=Role.VIEWER))
    add_townships(county, campaign, 1, 3)
    few, small = measure(client, f"/campaign/dashboard/{county.pk}/?as_of=2014-10-15")
    add_townships(county, campaign, 4, 9)
    many, large = measure(client, f"/campaign/dashboard/{county.pk}/?as_of=2014-10-15")
    assert (len(small.context["body"]), len(large.context["body"])) == (3, 12)
    assert few == many


def test_todays_city_dashboard_reads_the_summary_rows_in_as_many_queries_for_12_counties_as_for_3(client_for, db):
    """A campaign running today: the figures come from the summary rows (ledger/totals.py)."""
    from datetime import timedelta

    from qingnong.campaign.models import Phase
    from qingnong.lib.dates import today

    city = org("测试市", OrgLevel.CITY, "970000")
    campaign = campaign_create_default(org=city, year=today().year)
    Phase.objects.filter(campaign=campaign).update(ends_on=today() + timedelta(days=30))  # still running
    client = client_for(User.objects.create(username="q_city_today", org=city, role=Role.ADMIN))
    add_counties(city, campaign, 1, 3)
    few, small = measure(client, f"/campaign/dashboard/{city.pk}/")
    add_counties(city, campaign, 4, 9)
    with CaptureQueriesContext(connection) as queries:
        many, large = measure(client, f"/campaign/dashboard/{city.pk}/")
    assert small.context["as_of"] == today() and (len(small.context["body"]), len(large.context["body"])) == (3, 12)
    assert few == many
    assert any("ledger_grouptotals" in q["sql"] for q in queries.captured_queries)
    assert not any("ledger_messagerecord" in q["sql"] or "ledger_membersnapshot" in q["sql"] for q in queries.captured_queries)
