"""The summary rows (ledger/totals.py) stay equal to the ledger after every kind of write,
and the readers built on them give the ledger's own numbers."""
from datetime import date, timedelta

from django.db.models import F

import pytest

from qingnong.campaign.scorecard import with_progress
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import (
    BUILT, Activity, ActivityType, Cadre, CadreTotals, GroupKind, GroupStatus, GroupTotals, GroupDayTotals, CadreDayTotals, DayTotals, MessageCategory, MessageRecord,
    MonthlyTotals, ProgressReport, ReportedProgress, ReportSource, TotalsMeasure, WechatGroup,
)
from qingnong.ledger.services.activities import activity_create, activity_delete, activity_restore
from qingnong.ledger.services.cadres import cadre_create, cadre_update
from qingnong.ledger.services.groups import (
    group_create, group_delete, group_restore, group_update, snapshot_record, weekly_save,
)
from qingnong.ledger.services.messages import message_create, message_delete, message_restore, message_update
from qingnong.ledger.totals import rebuild_all, rollup_range
from qingnong.lib.dates import month_of, today


def totals_now():
    return (
        sorted(GroupTotals.objects.values_list("unit_id", "path", "kind", "groups", "members_all", "built", "members",
                                               "last_update", "home_farming", "away_study")),
        sorted(GroupDayTotals.objects.values_list("unit_id", "path", "kind", "day", "coarse", "week", "built", "built_change", "members",
                                                  "last_update", "home_farming", "away_study"), key=str),
        sorted(CadreDayTotals.objects.values_list("unit_id", "path", "day", "coarse", "cadres", "grassroots", "on_target"), key=str),
        sorted(MonthlyTotals.objects.values_list("unit_id", "path", "measure", "month", "category", "n", "coarse")),
        sorted(DayTotals.objects.values_list("unit_id", "path", "measure", "month", "day", "category", "n", "coarse")),
        sorted(CadreTotals.objects.values_list("unit_id", "path", "grassroots", "on_target")),
    )


def assert_fresh():
    """The rows kept by the writes are the rows a rebuild from the ledger gives."""
    kept = totals_now()
    rebuild_all()
    assert kept == totals_now()


def test_the_totals_follow_every_write(world):
    admin, day = world.county_a_admin, today() - timedelta(days=3)
    rebuild_all()  # the session's world was built with plain ORM writes before any assertion
    village_group, _ = group_create(user=admin, org=world.village_a, name="测试村青年群", kind=GroupKind.YOUTH,
                                    founded_on=day, status=GroupStatus.ACTIVE)
    county_group, _ = group_create(user=admin, org=world.county_a, name="青农榆阳", kind=GroupKind.WORK,
                                   founded_on=day, status=GroupStatus.ACTIVE)
    assert_fresh()
    assert GroupTotals.objects.filter(unit=world.township_a, kind=GroupKind.YOUTH).exists()  # a village counts in its township
    assert GroupDayTotals.objects.filter(unit=world.county_a, coarse=True, path=world.county_a.path).exists()
    snapshot_record(user=admin, group=village_group, taken_on=day, counts={"home_farming": 12, "away_study": 3})
    assert_fresh()
    assert GroupTotals.objects.get(unit=world.township_a, kind=GroupKind.YOUTH).last_update == day
    weekly_save(user=admin, org=world.township_a, day=today(), rows={
        village_group.pk: {"counts": {"home_farming": 20}, "messages": {"policy": 4, "news": 2}, "stamp": ""}})
    assert_fresh()
    message = message_create(user=admin, group=village_group, period_start=day, count=5, category=MessageCategory.POLICY,
                             confirm_overlap=True)  # the weekly save above has this week's policy messages
    assert_fresh()
    # Moved to a county group: the township's unit loses it, the county's gains it.
    message_update(user=admin, message=message, expected_version=message.version, group=county_group,
                   period_start=day, period_end=day, count=6, category=MessageCategory.SERVICES)
    assert_fresh()
    assert MonthlyTotals.objects.get(unit=world.county_a, measure=TotalsMeasure.MESSAGES, category="services", coarse=False).n == 6
    message.refresh_from_db()
    message_delete(user=admin, message=message)
    assert_fresh()
    message.refresh_from_db()
    message_restore(user=admin, message=message)
    assert_fresh()
    activity = activity_create(user=admin, org=world.village_a, held_on=day, activity_type=ActivityType.SKILLS, title="培训")
    assert_fresh()
    activity_delete(user=admin, activity=activity)
    assert_fresh()
    activity.refresh_from_db()
    activity_restore(user=admin, activity=activity)
    assert_fresh()
    village_group.refresh_from_db()
    group_update(user=admin, group=village_group, expected_version=village_group.version, status=GroupStatus.CLOSED)
    assert_fresh()
    cadre = cadre_create(user=admin, org=world.village_a, name="新干部", youths_reached=5)
    assert_fresh()
    cadre_update(user=admin, cadre=cadre, expected_version=cadre.version, name="新干部", youths_reached=25)
    assert_fresh()
    assert CadreTotals.objects.get(unit=world.township_a).on_target >= 1
    village_group.refresh_from_db()
    group_delete(user=admin, group=village_group)
    assert_fresh()
    village_group.refresh_from_db()
    group_restore(user=admin, group=village_group)
    assert_fresh()


def test_todays_dashboard_figures_are_the_ledgers(world):
    """with_progress for today reads the summary rows; the same numbers counted from the ledger."""
    admin, day = world.county_a_admin, today()
    for i, org in enumerate([world.township_a, world.village_a, world.township_a, world.county_a]):
        group, _ = group_create(user=admin, org=org, name=f"今日群{i}", kind=GroupKind.YOUTH, founded_on=day - timedelta(days=i),
                                status=GroupStatus.DORMANT if i == 2 else GroupStatus.ACTIVE)
        snapshot_record(user=admin, group=group, taken_on=day, counts={"home_farming": 10 + i})
        message_create(user=admin, group=group, period_start=day, count=3 + i, category=MessageCategory.NEWS)
        activity_create(user=admin, org=org, held_on=day, activity_type=ActivityType.CULTURE, title=f"活动{i}")
        cadre_create(user=admin, org=org, name=f"干部{i}", youths_reached=10 * i)
    group_create(user=admin, org=world.township_a, name="计划中的群", kind=GroupKind.YOUTH, status=GroupStatus.PLANNED)
    campaign = campaign_create_default(org=world.city, year=day.year)
    county, township = with_progress([world.county_a, world.township_a], campaign=campaign, as_of=day)
    for org in (county, township):
        groups = WechatGroup.objects.filter(org__path__startswith=org.path, kind=GroupKind.YOUTH)
        built = groups.filter(status__in=BUILT)
        assert org.youth_groups == built.count() > 0
        assert org.youths_reached == sum(built.values_list("members_total", flat=True)) > 0
        assert org.last_update == day
        messages = MessageRecord.objects.filter(org__path__startswith=org.path, month=month_of(day))
        assert org.messages_month == sum(messages.values_list("count", flat=True)) > 0
        assert org.activities_month == Activity.objects.filter(org__path__startswith=org.path, held_on__gte=month_of(day)).count() > 0
        cadres = Cadre.objects.filter(org__path__startswith=org.path, is_grassroots=True)
        assert (org.grassroots_cadres, org.cadres_on_target) == (cadres.count(), cadres.filter(youths_reached__gte=20).count())
    assert county.youth_groups > township.youth_groups  # the county's own group counts for the county only


@pytest.mark.parametrize("measure", [TotalsMeasure.MESSAGES, TotalsMeasure.ACTIVITIES])
def test_a_date_range_reads_whole_months_and_edge_days_exactly(world, measure):
    admin = world.county_a_admin
    group, _ = group_create(user=admin, org=world.village_a, name="区间群", kind=GroupKind.YOUTH)
    days = [date(2014, 7, 31), date(2014, 8, 1), date(2014, 8, 9), date(2014, 8, 10), date(2014, 8, 31),
            date(2014, 9, 15), date(2014, 10, 1), date(2014, 10, 20), date(2014, 11, 30)]
    for i, day in enumerate(days):
        if measure == TotalsMeasure.MESSAGES:
            message_create(user=admin, group=group, period_start=day, count=i + 1, category=MessageCategory.OTHER)
        else:
            activity_create(user=admin, org=world.village_a, held_on=day, activity_type=ActivityType.OTHER, title=f"活动{i}")
    ranges = [(None, date(2014, 11, 30)), (None, date(2014, 10, 19)), (date(2014, 8, 10), date(2014, 10, 20)),
              (date(2014, 8, 1), date(2014, 8, 31)), (date(2014, 8, 2), date(2014, 8, 30)), (date(2014, 8, 10), date(2014, 8, 10)),
              (date(2014, 9, 1), date(2014, 11, 30)), (date(2014, 7, 31), date(2014, 9, 14)), (date(2014, 12, 1), date(2014, 12, 31))]
    for start, as_of in ranges:
        if measure == TotalsMeasure.MESSAGES:
            rows = MessageRecord.objects.filter(org__path__startswith=world.county_a.path, period_start__lte=as_of)
            rows = rows.filter(period_start__gte=start) if start else rows
            expected = sum(rows.values_list("count", flat=True))
        else:
            rows = Activity.objects.filter(org__path__startswith=world.county_a.path, held_on__lte=as_of)
            expected = (rows.filter(held_on__gte=start) if start else rows).count()
        # The county reads the coarse rows, its township and its city with it the unit rows.
        assert rollup_range([world.county_a], measure, start=start, as_of=as_of).get(world.county_a.path, 0) == expected
        mixed = rollup_range([world.township_a, world.city], measure, start=start, as_of=as_of)
        assert mixed.get(world.township_a.path, 0) == mixed.get(world.city.path, 0) == expected, (start, as_of)
        assert rollup_range([world.city], measure, start=start, as_of=as_of).get(world.city.path, 0) == expected


def test_a_county_and_above_read_the_coarse_rows(world):
    """The county sums (coarse rows) are what a county or a city reads; a township reads its unit rows."""
    group, _ = group_create(user=world.county_a_admin, org=world.village_a, name="粗粒度群", kind=GroupKind.YOUTH)
    message_create(user=world.county_a_admin, group=group, period_start=date(2014, 9, 3), count=4, category=MessageCategory.OTHER)
    MonthlyTotals.objects.filter(coarse=True).update(n=F("n") + 1000)  # visible only to whoever reads them
    span = dict(start=None, as_of=date(2014, 9, 30))
    assert rollup_range([world.township_a], TotalsMeasure.MESSAGES, **span)[world.township_a.path] == 4
    assert rollup_range([world.county_a], TotalsMeasure.MESSAGES, **span)[world.county_a.path] == 1004
    assert rollup_range([world.city], TotalsMeasure.MESSAGES, **span)[world.city.path] >= 1004


def test_a_tree_rooted_below_a_province_keeps_its_coarse_rows_apart(db):
    """With a city at the root, a county and its townships both have three segments or
    fewer: their coarse rows nest and must each count their own unit once."""
    from qingnong.org.models import Org, OrgLevel

    city = Org.objects.create(name="根市", level=OrgLevel.CITY, code="639900", path="639900/", depth=0)
    county = Org.objects.create(name="根县", level=OrgLevel.COUNTY, code="639901", parent=city, path="639900/639901/", depth=1)
    town = Org.objects.create(name="根镇", level=OrgLevel.TOWNSHIP, code="639901100", parent=county,
                              path="639900/639901/639901100/", depth=2)
    for org, n in ((town, 3), (county, 5), (town, 7)):
        group = WechatGroup.objects.create(org=org, name=f"根群{n}", kind=GroupKind.YOUTH)
        MessageRecord.objects.create(org=org, group=group, period_start=date(2014, 9, 1), period_end=date(2014, 9, 1),
                                     month=date(2014, 9, 1), count=n, category=MessageCategory.POLICY)
        assert_fresh()
    span = dict(start=None, as_of=date(2014, 9, 30))
    assert rollup_range([city], TotalsMeasure.MESSAGES, **span)[city.path] == 15
    assert rollup_range([county], TotalsMeasure.MESSAGES, **span)[county.path] == 15
    assert rollup_range([town], TotalsMeasure.MESSAGES, **span)[town.path] == 10


def test_rebuild_totals_repairs_rows_a_write_outside_the_services_left_wrong(world):
    from django.core.management import call_command

    group, _ = group_create(user=world.county_a_admin, org=world.village_a, name="修复群", kind=GroupKind.YOUTH)
    message_create(user=world.county_a_admin, group=group, period_start=today(), count=2, category=MessageCategory.NEWS)
    kept = totals_now()
    GroupTotals.objects.all().delete()
    MonthlyTotals.objects.filter(coarse=True).update(n=F("n") + 9)
    assert totals_now() != kept
    call_command("rebuild_totals", stdout=open("/dev/null", "w"))
    assert totals_now() == kept


def test_todays_completeness_counts_what_the_snapshots_and_imports_say(world):
    """Today's 7/30-day completeness (one statement over the summary rows) equals the
    count from the member snapshots and the confirmed imports themselves."""
    from datetime import datetime, time

    from django.utils import timezone

    from qingnong.campaign.scorecard import completeness_windows
    from qingnong.org.models import Org, OrgLevel
    admin, day = world.county_a_admin, today()
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code")[:4])
    for town, days_ago in zip(townships, (0, 6, 12)):  # this week, this week, this month
        group, _ = group_create(user=admin, org=town, name=f"完整度群{days_ago}", kind=GroupKind.YOUTH)
        snapshot_record(user=admin, group=group, taken_on=day - timedelta(days=days_ago), counts={"home_farming": 5})
    # The fourth township sent a 附件3 confirmed 20 days ago (local time, just after midnight).
    confirmed = timezone.make_aware(datetime.combine(day - timedelta(days=20), time(0, 5)))
    report = ProgressReport.objects.create(org=world.county_a, as_of=day - timedelta(days=20), source=ReportSource.EXCEL,
                                           submitted_at=confirmed)
    ReportedProgress.objects.create(report=report, org=townships[3], as_of=day - timedelta(days=20))
    live = completeness_windows(world.county_a, as_of=day)
    assert live == completeness_windows(world.county_a, as_of=day, dated=True)
    n = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).count()
    assert live == [(7, 2, n), (30, 4, n)]
    assert completeness_windows(townships[2], as_of=day) == [(7, 0, 1), (30, 1, 1)]


def test_a_refresh_locks_its_unit_and_county_first(world):
    """Two writers in one township must not rebuild its rows at once (both sets would stay):
    the refresh locks the unit's and the county's org rows before it deletes anything."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        group_create(user=world.county_a_admin, org=world.village_a, name="加锁群", kind=GroupKind.YOUTH)
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if q.startswith('SELECT "org_org"."id"')
                and f"IN ({world.township_a.pk})" in q and world.county_a.path in q)
    first_delete = next(i for i, q in enumerate(sql) if q.startswith('DELETE FROM "ledger_grouptotals"'))
    assert lock < first_delete
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite serialises writers instead
        assert sql[lock].rstrip().endswith("FOR UPDATE")
