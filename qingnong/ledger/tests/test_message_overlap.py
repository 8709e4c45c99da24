"""Messages are not counted twice: a record overlapping live records of the same group (or
account) and category is refused until the user confirms it is other messages."""
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import A_MESSAGE
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import GroupKind, MessageRecord, Source, WechatGroup
from qingnong.ledger.selectors.messages import message_overlaps
from qingnong.ledger.services.messages import DuplicateWarning, message_create, message_delete, message_update

# The world has A_MESSAGE: A_GROUP, 2014-10-06 (Monday) – 10-12 (Sunday), policy, 5 messages, MANUAL.
WEEK_START, WEEK_END = date(2014, 10, 6), date(2014, 10, 12)


def create(world, group, **overrides):
    fields = {"user": world.township_a_reporter, "group": group, "period_start": date(2014, 10, 8),
              "count": 3, "category": "policy", **overrides}
    return message_create(**fields)


def notes_of(message):
    return list(AuditEntry.objects.filter(content_type__model="messagerecord", object_id=message.pk).values_list("note", flat=True))


def test_an_overlapping_record_is_refused_without_confirmation_and_nothing_is_written(world, group):
    before = MessageRecord.all_objects.count()
    with pytest.raises(DuplicateWarning) as excinfo:
        create(world, group)
    assert [r.title for r in excinfo.value.overlaps] == [A_MESSAGE]
    assert excinfo.value.overlaps[0].entry_kind == "每周填报"
    assert excinfo.value.message_dict["confirm_overlap"] == ["这段时间已有 1 条同类别的发送记录（共 5 条信息），确是另外发送的请勾选后再保存。"]
    assert MessageRecord.all_objects.count() == before


def test_confirmed_it_is_saved_and_the_audit_log_says_so(world, group):
    message = create(world, group, confirm_overlap=True)
    assert MessageRecord.objects.filter(pk=message.pk, count=3).exists()
    (note,) = notes_of(message)
    assert note.startswith("已确认是另外发送的信息，不是重复填报")
    assert "10月06日–10月12日 政策法规 5 条（每周填报）" in note
    assert message.history.latest().history_change_reason.startswith("已确认")


def test_confirmation_without_overlap_writes_no_note(world, group):
    message = create(world, group, period_start=date(2014, 10, 13), confirm_overlap=True)
    assert notes_of(message) == [""]


@pytest.mark.parametrize("overrides", [
    {"period_start": date(2014, 10, 13)},  # the day after the week
    {"period_start": date(2014, 10, 1), "period_end": date(2014, 10, 5)},  # the days before it
    {"category": "news"},  # another category
])
def test_no_overlap_no_warning(world, group, overrides):
    assert create(world, group, **overrides).pk


def test_a_record_touching_the_first_or_last_day_overlaps(world, group):
    for start, end in [(date(2014, 10, 1), WEEK_START), (WEEK_END, date(2014, 10, 20))]:
        with pytest.raises(DuplicateWarning):
            create(world, group, period_start=start, period_end=end)


def test_another_group_or_the_account_is_not_an_overlap(world, group, official_account):
    other = WechatGroup.objects.create(org=world.township_a, name="另一个群", kind=GroupKind.YOUTH, bases=",place,")
    assert create(world, other).pk
    assert create(world, None, user=world.county_a_reporter, official_account=official_account, theme="role_model").pk


def test_account_records_overlap_with_the_same_accounts_records(world, official_account):
    first = create(world, None, user=world.county_a_reporter, official_account=official_account, theme="role_model",
                   period_start=date(2014, 10, 1), period_end=date(2014, 10, 31), count=20)
    with pytest.raises(DuplicateWarning) as excinfo:
        create(world, None, user=world.county_a_reporter, official_account=official_account, theme="league_news")
    assert [r.pk for r in excinfo.value.overlaps] == [first.pk]
    assert excinfo.value.overlaps[0].entry_kind == "逐条记录"


def test_a_deleted_record_is_not_an_overlap(world, group):
    message_delete(user=world.township_a_reporter, message=MessageRecord.objects.get(title=A_MESSAGE))
    assert create(world, group).pk


def test_only_a_monday_to_sunday_manual_record_is_called_weekly(world, group):
    MessageRecord.objects.filter(title=A_MESSAGE).update(source=Source.IMPORT)
    with pytest.raises(DuplicateWarning) as excinfo:
        create(world, group)
    assert excinfo.value.overlaps[0].entry_kind == "逐条记录"


def test_editing_a_record_does_not_overlap_itself(world, group):
    message = create(world, group, period_start=date(2014, 10, 20))
    updated = message_update(user=world.township_a_reporter, message=message, expected_version=1, count=8)
    assert updated.count == 8


def test_editing_a_record_into_anothers_week_is_refused_then_confirmed(world, group):
    message = create(world, group, period_start=date(2014, 10, 20))
    with pytest.raises(DuplicateWarning):
        message_update(user=world.township_a_reporter, message=message, expected_version=1, period_start=date(2014, 10, 9),
                       period_end=date(2014, 10, 9))
    assert MessageRecord.objects.get(pk=message.pk).period_start == date(2014, 10, 20)
    updated = message_update(user=world.township_a_reporter, message=message, expected_version=1, period_start=date(2014, 10, 9),
                             period_end=date(2014, 10, 9), confirm_overlap=True)
    assert updated.period_start == date(2014, 10, 9)
    assert notes_of(updated)[0].startswith("已确认是另外发送的信息")  # newest first


def test_a_record_of_county_b_never_shows_in_county_as_warning(world, group):
    # A record of county B that (through data drift) points at county A's group: out of scope.
    MessageRecord.objects.filter(title=A_MESSAGE).update(org=world.township_b)
    assert message_overlaps(world.county_a_reporter, group_id=group.pk, category="policy",
                            start=WEEK_START, end=WEEK_END) == []
    assert create(world, group).pk


def test_the_check_is_one_query(world, group):
    ContentType.objects.get_for_model(MessageRecord)  # warm the cache
    with CaptureQueriesContext(connection) as ctx:
        with pytest.raises(DuplicateWarning):
            create(world, group)
    overlap_queries = [q for q in ctx.captured_queries if "period_end" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(overlap_queries) == 1, [q["sql"] for q in ctx.captured_queries]


# The message form (create and edit) only renders what the service decided.

def post_data(target, **overrides):
    return {"target": target, "period_start": "2014-10-08", "period_end": "", "count": "3", "category": "policy",
            "theme": "", "title": "", "link": "", **overrides}


def test_the_form_shows_the_warning_and_saves_nothing(client_for, world, group):
    client = client_for(world.township_a_reporter)
    before = MessageRecord.all_objects.count()
    response = client.post(f"/ledger/orgs/{world.township_a.pk}/messages/new/", post_data(f"g{group.pk}"))
    body = response.content.decode()
    existing = MessageRecord.objects.get(title=A_MESSAGE)
    assert response.status_code == 200
    assert MessageRecord.all_objects.count() == before
    assert "可能重复填报" in body and "每周填报" in body and A_MESSAGE in body
    assert f'href="/ledger/messages/{existing.pk}/edit/"' in body
    assert 'type="checkbox" name="confirm_overlap"' in body
    assert "确认这是另外发送的信息，不是重复填报" in body


def test_the_form_without_overlap_has_no_checkbox(client_for, world, group):
    body = client_for(world.township_a_reporter).get(f"/ledger/orgs/{world.township_a.pk}/messages/new/").content.decode()
    assert 'type="checkbox" name="confirm_overlap"' not in body and "可能重复填报" not in body


def test_the_form_saves_once_confirmed(client_for, world, group):
    client = client_for(world.township_a_reporter)
    response = client.post(f"/ledger/orgs/{world.township_a.pk}/messages/new/",
                           post_data(f"g{group.pk}", confirm_overlap="on"))
    assert response.status_code == 302
    message = MessageRecord.objects.get(group=group, period_start=date(2014, 10, 8))
    assert notes_of(message)[0].startswith("已确认是另外发送的信息")


def test_a_ticked_confirmation_survives_another_error(client_for, world, group):
    response = client_for(world.township_a_reporter).post(
        f"/ledger/orgs/{world.township_a.pk}/messages/new/", post_data(f"g{group.pk}", confirm_overlap="on", count="0"))
    assert 'type="checkbox" name="confirm_overlap" id="id_confirm_overlap" checked' in response.content.decode()


def test_the_edit_form_warns_about_others_but_not_itself(client_for, world, group):
    client = client_for(world.township_a_reporter)
    mine = create(world, group, period_start=date(2014, 10, 20))
    url = f"/ledger/messages/{mine.pk}/edit/"
    assert client.post(url, post_data(f"g{group.pk}", period_start="2014-10-20", count="4", version="1")).status_code == 302
    body = client.post(url, post_data(f"g{group.pk}", period_start="2014-10-09", version="2")).content.decode()
    assert "可能重复填报" in body and "已被他人修改" not in body
    assert MessageRecord.objects.get(pk=mine.pk).period_start == date(2014, 10, 20)
    response = client.post(url, post_data(f"g{group.pk}", period_start="2014-10-09", version="2", confirm_overlap="on"))
    assert response.status_code == 302
    assert MessageRecord.objects.get(pk=mine.pk).period_start == date(2014, 10, 9)


def test_county_b_never_sees_county_a_in_its_warning(client_for, world):
    theirs = WechatGroup.objects.create(org=world.township_b, name="乙县群", kind=GroupKind.YOUTH, bases=",place,")
    client = client_for(world.county_b_reporter)
    assert client.post(f"/ledger/orgs/{world.county_b.pk}/messages/new/", post_data(f"g{theirs.pk}")).status_code == 302
    body = client.post(f"/ledger/orgs/{world.county_b.pk}/messages/new/", post_data(f"g{theirs.pk}")).content.decode()
    assert "可能重复填报" in body and A_MESSAGE not in body
