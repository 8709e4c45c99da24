"""lib.bulk.update_rows writes exactly what Django's bulk_update would, in one statement per
batch: numbers, NULLs (a foreign key left empty), times, foreign keys; over the batch boundary; other rows and
other columns untouched."""
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingnong.ledger.models import MemberSnapshot, WechatGroup, GroupKind
from qingnong.lib import bulk


def test_update_rows_writes_each_rows_own_values_and_nothing_else(world, monkeypatch):
    groups = WechatGroup.objects.bulk_create(
        [WechatGroup(org=world.township_a, name=f"批量{i:03d}", kind=GroupKind.YOUTH, bases=",place,") for i in range(25)])
    snaps = MemberSnapshot.objects.bulk_create([MemberSnapshot(group=g, taken_on=date(2014, 10, 6), home_farming=1, total=1)
                                                for g in groups])
    untouched = snaps[-1]
    changed = snaps[:-1]
    now = timezone.now()
    for i, s in enumerate(changed):
        s.home_farming, s.total = i * 1000, i
        s.entered_by = world.township_a_reporter if i % 2 else None
        s.entered_at = now + timedelta(minutes=i)
        s.taken_on = date(2014, 10, 6) + timedelta(days=i)  # a field not listed: must not be written
    monkeypatch.setattr(bulk, "MAX_PARAMETERS", 50)  # 5 parameters a row: 10 per batch, three statements
    with CaptureQueriesContext(connection) as queries:
        assert bulk.update_rows(changed, ["home_farming", "total", "entered_by", "entered_at"]) == 24
    assert len(queries) == 3
    stored = {s.pk: s for s in MemberSnapshot.objects.filter(group__in=groups)}
    for i, s in enumerate(changed):
        row = stored[s.pk]
        assert (row.home_farming, row.total, row.entered_by_id, row.taken_on) == (
            i * 1000, i, world.township_a_reporter.pk if i % 2 else None, date(2014, 10, 6))
        assert abs((row.entered_at - s.entered_at).total_seconds()) < 0.001
    assert (stored[untouched.pk].home_farming, stored[untouched.pk].total) == (1, 1)


def test_update_rows_with_history_adds_one_history_row_each(world):
    groups = WechatGroup.objects.bulk_create(
        [WechatGroup(org=world.township_a, name=f"历史{i}", kind=GroupKind.YOUTH, bases=",place,") for i in range(3)])
    for g in groups:
        g.name = g.name + "改"
    bulk.update_rows_with_history(groups, ["name"], default_user=world.county_a_admin, default_change_reason="测试")
    assert sorted(WechatGroup.objects.filter(pk__in=[g.pk for g in groups]).values_list("name", flat=True)) == ["历史0改", "历史1改", "历史2改"]
    history = WechatGroup.history.filter(id__in=[g.pk for g in groups], history_change_reason="测试")
    assert history.count() == 3 and {h.history_user_id for h in history} == {world.county_a_admin.pk}
