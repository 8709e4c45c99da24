"""A group's 解散日期: set when it closes, cleared when it reopens, and past figures (the
campaign's scorecard, 附件3) count the group until that day."""
import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from qingnong.campaign.models import Campaign
from qingnong.campaign.scorecard import with_progress
from qingnong.ledger.totals import refresh
from qingnong.ledger.models import GroupKind, GroupStatus, WechatGroup
from qingnong.ledger.services.groups import group_create, group_update
from qingnong.lib.dates import today
from qingnong.reports.progress import progress_form

FOUNDED, CLOSED = date(2014, 8, 1), date(2015, 3, 1)


def update(group, user, **fields):
    group.refresh_from_db()
    return group_update(user=user, group=group, expected_version=group.version, **fields)[0]


def close(group, user, **fields):
    return update(group, user, status=GroupStatus.CLOSED, **fields)


@pytest.fixture
def group(world):
    created, _ = group_create(user=world.township_a_reporter, org=world.township_a, name="解散测试青年群",
                              kind=GroupKind.YOUTH, founded_on=FOUNDED, bases=",place,")
    return created


def test_closing_sets_the_day_and_reopening_clears_it(world, group):
    reporter = world.township_a_reporter
    assert close(group, reporter).closed_on == today()
    assert close(group, reporter, closed_on=CLOSED).closed_on == CLOSED
    reopened = update(group, reporter, status=GroupStatus.ACTIVE)
    assert reopened.closed_on is None and WechatGroup.objects.get(pk=group.pk).closed_on is None


@pytest.mark.parametrize("closed_on, message", [
    (date(2014, 7, 1), "解散日期不能早于建群日期。"),
    (None, "日期不能晚于今天。"),  # replaced by tomorrow below
])
def test_a_wrong_day_is_refused_and_nothing_saved(world, group, closed_on, message):
    with pytest.raises(ValidationError) as error:
        close(group, world.township_a_reporter, closed_on=closed_on or today() + timedelta(days=1))
    assert error.value.message_dict["closed_on"] == [message]
    assert WechatGroup.objects.get(pk=group.pk).status == GroupStatus.ACTIVE


def _youth_groups(world, as_of):
    campaign = Campaign.objects.get()
    (township,) = with_progress([world.township_a], campaign=campaign, as_of=as_of)
    return township.youth_groups


def _form_count(world, as_of):
    row = next(r for r in progress_form(world.county_a, as_of=as_of).rows if r["org"] == world.township_a)
    return row["group_count"]


def test_past_figures_count_the_group_until_it_closed(world, group):
    before = {day: (_youth_groups(world, day), _form_count(world, day)) for day in (date(2014, 12, 31), date(2015, 6, 1))}
    close(group, world.township_a_reporter, closed_on=CLOSED)

    # Still there at the end of 2014, gone after it closed, gone today.
    assert (_youth_groups(world, date(2014, 12, 31)), _form_count(world, date(2014, 12, 31))) == before[date(2014, 12, 31)]
    assert _youth_groups(world, date(2015, 6, 1)) == before[date(2015, 6, 1)][0] - 1
    assert _form_count(world, date(2015, 6, 1)) == before[date(2015, 6, 1)][1] - 1
    assert _youth_groups(world, today()) == _youth_groups(world, date(2015, 6, 1))


def test_a_group_closed_without_a_day_stays_out_of_every_past_figure(world, group):
    count = _youth_groups(world, date(2014, 12, 31))
    WechatGroup.objects.filter(pk=group.pk).update(status=GroupStatus.CLOSED)  # as before the 解散日期 existed
    refresh([group.org_id], ("groups",))  # a raw UPDATE sends no signal: refreshed as bulk writers do
    assert _youth_groups(world, date(2014, 12, 31)) == count - 1


def test_migration_takes_the_day_from_the_history(world, group):
    migration = importlib.import_module("qingnong.ledger.migrations.0003_group_closed_on")
    reporter = world.township_a_reporter
    close(group, reporter)
    update(group, reporter, status=GroupStatus.ACTIVE)
    close(group, reporter)
    History = WechatGroup.history.model
    rows = list(History.objects.filter(id=group.pk).order_by("history_date"))
    assert [r.status for r in rows] == ["active", "closed", "active", "closed"]
    for row, day in zip(rows, [FOUNDED, date(2015, 1, 5), date(2015, 2, 1), date(2015, 3, 2)]):
        History.objects.filter(pk=row.pk).update(history_date=row.history_date.replace(year=day.year, month=day.month, day=day.day, hour=4))
    WechatGroup.objects.filter(pk=group.pk).update(closed_on=None)
    never_closed_in_history = WechatGroup.objects.create(org=world.township_a, name="无记录的解散群", kind=GroupKind.YOUTH,
                                                         status=GroupStatus.CLOSED)
    WechatGroup.objects.filter(pk=never_closed_in_history.pk).update(closed_on=None)
    History.objects.filter(id=never_closed_in_history.pk).delete()

    migration.closed_on_from_history(apps, None)

    assert WechatGroup.objects.get(pk=group.pk).closed_on == date(2015, 3, 2)  # the last closing, not the first
    assert WechatGroup.objects.get(pk=never_closed_in_history.pk).closed_on is None
