"""Temporary groups (issue 12): past its 结束日期 a group stops counting as built, as a closed
one does, unless extended; on past dates it counts while it stood; the daily
`qingnong expire-groups` keeps today's summary rows right the morning after."""
from datetime import timedelta

from django.core.management import call_command

from qingnong.campaign.models import Campaign
from qingnong.campaign.scorecard import with_progress
from qingnong.ledger.models import GroupKind, GroupTotals
from qingnong.ledger.services.groups import group_create, group_update
from qingnong.lib.dates import today


def built(world, day=None):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    (row,) = with_progress([world.township_a], campaign=campaign, as_of=day or today())
    return row.youth_groups


def totals_built(world):
    return sum(GroupTotals.objects.filter(unit=world.township_a, kind=GroupKind.YOUTH).values_list("built", flat=True))


def temporary(world, ends_on):
    group, _ = group_create(user=world.county_a_admin, org=world.township_a, name="暑期临时群", kind=GroupKind.YOUTH,
                            bases=",cause,", founded_on=today() - timedelta(days=30), ends_on=ends_on)
    return group


def test_a_temporary_group_counts_until_its_end_and_not_after(world):
    before = built(world)
    group = temporary(world, ends_on=today() - timedelta(days=1))  # ended yesterday
    assert built(world) == before and totals_built(world) == before  # today: not built
    ended = group.ends_on
    assert built(world, ended) == built(world, ended + timedelta(days=1)) + 1  # on its last day it stood


def test_extending_it_counts_it_again(world):
    before = built(world)
    group = temporary(world, ends_on=today() - timedelta(days=1))
    group_update(user=world.county_a_admin, group=group, expected_version=group.version, ends_on=today() + timedelta(days=30))
    assert built(world) == before + 1 and totals_built(world) == before + 1


def test_the_morning_after_the_daily_command_drops_it(world, monkeypatch):
    before = built(world)
    temporary(world, ends_on=today())  # its last day: built today
    assert totals_built(world) == before + 1
    tomorrow = today() + timedelta(days=1)
    for module in ("qingnong.ledger.totals", "qingnong.ledger.management.commands.expire_groups"):
        monkeypatch.setattr(f"{module}.today", lambda: tomorrow)
    call_command("expire_groups")
    assert totals_built(world) == before
