"""Message record rules: dates, period, count, group xor account, scope, versions, restore."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import MessageRecord, Source, WechatGroup
from qingnong.ledger.services.groups import group_delete
from qingnong.ledger.services.messages import message_create, message_delete, message_restore, message_update
from qingnong.lib.dates import today


def record(world, group, **overrides):
    # The week after the world's A_MESSAGE (10-06–10-12, policy): no overlap unless a test wants one.
    fields = {"user": world.township_a_reporter, "group": group, "period_start": date(2014, 10, 15),
              "count": 3, "category": "policy", **overrides}
    return message_create(**fields)


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_a_single_day_record_takes_the_groups_org_and_month(world, group):
    message = record(world, group, period_start=date(2014, 10, 15))

    assert message.period_end == message.period_start == date(2014, 10, 15)
    assert message.month == date(2014, 10, 1)
    assert message.org == group.org == world.township_a
    assert message.source == Source.MANUAL and message.entered_by == world.township_a_reporter


def test_a_period_with_a_count(world, official_account):
    message = record(world, None, user=world.county_a_reporter, official_account=official_account, period_start=date(2014, 9, 29), period_end=date(2014, 10, 5),
                     count=12, category="news", theme="league_news", title="本周要讯", link="https://mp.weixin.qq.com/s/abc")

    # The week 9-29…10-05 counts on its Thursday, 10-02: October's (models.counts_on_day).
    assert (message.counts_on, message.month, message.org, message.count) == (date(2014, 10, 2), date(2014, 10, 1), world.county_a, 12)
    assert message.get_theme_display() == "团内要讯"


def test_the_audit_log_names_who_entered_it(world, group):
    message = record(world, group)
    entry = AuditEntry.objects.get(object_id=message.pk, content_type__model="messagerecord")
    assert entry.user == world.township_a_reporter and entry.action == "create"


def test_future_dates_are_refused(world, group):
    with pytest.raises(ValidationError) as excinfo:
        record(world, group, period_start=today() + timedelta(days=1))
    assert errors_of(excinfo)["period_start"] == ["开始日期不能晚于今天。"]

    with pytest.raises(ValidationError) as excinfo:
        record(world, group, period_start=today(), period_end=today() + timedelta(days=2))
    assert errors_of(excinfo)["period_end"] == ["结束日期不能晚于今天。"]


def test_end_before_start_is_refused(world, group):
    with pytest.raises(ValidationError) as excinfo:
        record(world, group, period_start=date(2014, 10, 8), period_end=date(2014, 10, 7))
    assert errors_of(excinfo)["period_end"] == ["结束日期不能早于开始日期。"]


def test_a_period_longer_than_a_month_is_refused(world, group):
    with pytest.raises(ValidationError) as excinfo:
        record(world, group, period_start=date(2014, 9, 1), period_end=date(2014, 10, 15))
    assert "按月分开填写" in errors_of(excinfo)["period_end"][0]
    record(world, group, period_start=date(2014, 10, 1), period_end=date(2014, 10, 31), category="news")  # a whole month is fine


@pytest.mark.parametrize("count", [0, -3, None])
def test_count_must_be_at_least_one(world, group, count):
    with pytest.raises(ValidationError) as excinfo:
        record(world, group, count=count)
    assert errors_of(excinfo)["count"] == ["条数至少为 1。"]


def test_exactly_one_of_group_or_account(world, group, official_account):
    with pytest.raises(ValidationError) as excinfo:
        message_create(user=world.county_a_admin, group=group, official_account=official_account,
                       period_start=date(2014, 10, 8), count=1, category="policy")
    assert "只能选一个" in errors_of(excinfo)["target"][0]
    with pytest.raises(ValidationError):
        message_create(user=world.county_a_admin, period_start=date(2014, 10, 8), count=1, category="policy")
    assert not MessageRecord.objects.filter(period_start=date(2014, 10, 8)).exists()


def test_theme_is_only_for_accounts(world, group):
    assert record(world, group, theme="role_model").theme == ""


def test_viewer_cannot_record(world, group):
    with pytest.raises(PermissionDenied):
        record(world, group, user=world.county_a_viewer)


def test_other_county_cannot_record_for_county_a(world, group):
    with pytest.raises(Http404):
        record(world, group, user=world.county_b_admin)


def test_a_deleted_group_takes_no_records(world, group):
    group_delete(user=world.county_a_admin, group=group)
    with pytest.raises(ValidationError):
        record(world, WechatGroup.all_objects.get(pk=group.pk))


def test_update_with_the_seen_version(world, group):
    message = record(world, group)
    updated = message_update(user=world.county_a_reporter, message=message, expected_version=1,
                             period_start=date(2014, 11, 3), period_end=date(2014, 11, 9), count=9, category="services")

    assert (updated.version, updated.count, updated.month) == (2, 9, date(2014, 11, 1))
    assert updated.entered_by == world.county_a_reporter


def test_update_on_an_older_version_is_refused(world, group):
    message = record(world, group)
    message_update(user=world.county_a_reporter, message=message, expected_version=1, count=4)
    with pytest.raises(ValidationError) as excinfo:
        message_update(user=world.township_a_reporter, message=message, expected_version=1, count=7)
    assert "已被他人修改" in excinfo.value.messages[0]
    assert MessageRecord.objects.get(pk=message.pk).count == 4


def test_update_can_move_a_record_to_the_account(world, group, official_account):
    message = record(world, group)
    moved = message_update(user=world.county_a_admin, message=message, expected_version=1, group=None,
                           official_account=official_account, theme="role_model")
    assert (moved.group, moved.account, moved.org, moved.theme) == (None, official_account, world.county_a, "role_model")


def test_a_weekly_record_keeps_its_sunday_when_edited(world, group):
    """The weekly entry records Monday–Sunday of this week; its Sunday may still be ahead."""
    monday = today() - timedelta(days=today().weekday())
    message = MessageRecord.objects.create(org=group.org, group=group, period_start=monday, period_end=monday + timedelta(days=6),
                                           month=monday.replace(day=1), count=2, category="policy")
    updated = message_update(user=world.township_a_reporter, message=message, expected_version=1, count=5,
                             period_start=monday, period_end=monday + timedelta(days=6))
    assert updated.count == 5


def test_delete_and_restore(world, group):
    message = record(world, group)
    message_delete(user=world.township_a_reporter, message=message)
    assert not MessageRecord.objects.filter(pk=message.pk).exists()

    message_restore(user=world.township_a_reporter, message=MessageRecord.all_objects.get(pk=message.pk))
    assert MessageRecord.objects.filter(pk=message.pk).exists()


def test_restore_waits_for_the_group(world, group):
    message = record(world, group)
    message_delete(user=world.county_a_admin, message=message)
    group_delete(user=world.county_a_admin, group=group)
    with pytest.raises(ValidationError) as excinfo:
        message_restore(user=world.county_a_admin, message=MessageRecord.all_objects.get(pk=message.pk))
    assert "请先恢复" in excinfo.value.messages[0]
