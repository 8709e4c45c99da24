"""Issue 13: past figures read the dated summary rows (one per unit standing on the day), and
they are what a count from the ledger gives on every day: the groups standing built then
(founded, not closed or expired), each with its latest member record by then; the cadres as
their 修改历史 says they stood. Property-tested over random groups, closings and member
records, on both databases; and the cost of a past read does not grow with the groups."""
from datetime import date, timedelta

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingnong.ledger.dated import cadres_on, groups_on
from qingnong.ledger.models import (
    Cadre, GroupDayTotals, GroupKind, GroupStatus, MemberSnapshot, WechatGroup, built_on,
)
from qingnong.ledger.selectors.groups import latest_snapshots
from qingnong.ledger.totals import refresh

START = date(2014, 7, 1)


def from_ledger(org, day):
    """(built groups, members, home_farming, latest member record) under `org` on `day`, counted from the ledger itself."""
    groups = WechatGroup.objects.filter(org__path__startswith=org.path)
    built = groups.filter(built_on(day))
    sums = latest_snapshots(built, day).aggregate(members=Sum("total"), farming=Sum("home_farming"))
    last = MemberSnapshot.objects.filter(group__in=groups, taken_on__lte=day).order_by("-taken_on").values_list("taken_on", flat=True).first()
    return built.count(), sums["members"] or 0, sums["farming"] or 0, last


def from_rows(org, day, coarse=False):
    rows = groups_on(day, under=org.path, coarse=coarse)
    sums = rows.aggregate(built=Sum("built"), members=Sum("members"), farming=Sum("home_farming"))
    last = max(filter(None, rows.values_list("last_update", flat=True)), default=None)
    return sums["built"] or 0, sums["members"] or 0, sums["farming"] or 0, last


groups = st.lists(st.tuples(
    st.one_of(st.none(), st.integers(0, 150)),  # founded (days after START; None: undated)
    st.sampled_from([GroupStatus.ACTIVE, GroupStatus.DORMANT, GroupStatus.PLANNED, GroupStatus.CLOSED]),
    st.one_of(st.none(), st.integers(0, 200)),  # closed on
    st.one_of(st.none(), st.integers(0, 200)),  # temporary until
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60), st.integers(0, 30)), max_size=4),  # member records
), min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=groups, days=st.lists(st.integers(-5, 210), min_size=1, max_size=6))
def test_the_rows_standing_on_any_day_are_the_ledgers_count(world, groups, days):
    township, village = world.township_a, world.village_a
    WechatGroup.all_objects.filter(org__path__startswith=world.county_a.path, name__startswith="性质群").delete()
    for i, (founded, status, closed, until, records) in enumerate(groups):
        day = lambda n: None if n is None else START + timedelta(days=n)  # noqa: E731
        group = WechatGroup.objects.create(
            org=village if i % 2 else township, name=f"性质群{i}", kind=GroupKind.YOUTH, founded_on=day(founded), status=status,
            closed_on=day(closed) if status == GroupStatus.CLOSED else None, ends_on=day(until))
        for offset, farming, wage in {r[0]: r for r in records}.values():  # one record a day
            MemberSnapshot.objects.create(group=group, taken_on=day(offset), home_farming=farming, away_wage=wage,
                                          total=farming + wage)
    refresh([township.pk], ("groups",))
    for n in days:
        on = START + timedelta(days=n)
        assert from_rows(township, on) == from_ledger(township, on), on
        assert from_rows(world.county_a, on, coarse=True)[:3] == from_ledger(world.county_a, on)[:3], on


def test_a_cadre_counts_with_the_reach_it_had_then(world):
    """Made with 10 youths, raised to 25 later: on target only from the day of the edit."""
    from datetime import datetime, time

    from django.utils import timezone

    from qingnong.ledger.services.cadres import cadre_update

    cadre = Cadre.objects.create(org=world.village_a, name="后来达标", youths_reached=10)
    cadre = cadre_update(user=world.county_a_admin, cadre=cadre, expected_version=cadre.version, name="后来达标", youths_reached=25)
    made, raised = cadre.history.order_by("history_date")
    at = lambda day: timezone.make_aware(datetime.combine(day, time(10)))  # noqa: E731
    type(made).objects.filter(pk=made.pk).update(history_date=at(date(2014, 8, 1)))
    type(made).objects.filter(pk=raised.pk).update(history_date=at(date(2014, 10, 1)))
    Cadre.objects.filter(pk=cadre.pk).update(created_at=at(date(2014, 8, 1)))
    refresh([world.village_a.pk], ("cadres",))

    def figures(day):
        return cadres_on(day, under=world.township_a.path).aggregate(n=Sum("grassroots"), on=Sum("on_target"), all=Sum("cadres"))

    before, after, earlier = figures(date(2014, 9, 1)), figures(date(2014, 10, 1)), figures(date(2014, 7, 1))
    assert (after["n"] - before["n"], after["on"] - before["on"]) == (0, 1)  # reached 20 on 10-01
    assert (before["all"] - (earlier["all"] or 0)) == 1  # there since 08-01


def test_a_past_read_costs_one_statement_whatever_the_groups(world):
    """The rows standing on a day: one statement (a seek per unit), for 3 groups as for 60."""
    measured = {}
    for n in (3, 60):
        WechatGroup.objects.bulk_create([WechatGroup(org=world.village_a, name=f"规模{n}群{i}", kind=GroupKind.YOUTH,
                                                     founded_on=START) for i in range(n)])
        refresh([world.village_a.pk], ("groups",))
        with CaptureQueriesContext(connection) as ctx:
            rows = list(groups_on(START + timedelta(days=30), under=world.county_a.path).values("built"))
        measured[n] = len(ctx)
        assert sum(r["built"] for r in rows) >= n
    assert measured == {3: 1, 60: 1}
    # And the table holds a row per unit and day of change, not per group.
    assert GroupDayTotals.objects.filter(unit=world.township_a, coarse=False, day=START).count() <= 2
