"""The weekly grid asks what the single-record form asks (issue 17): a count typed for a
category that other records of the week already count is saved only once the user confirms
it is other messages; nothing of the page is saved until then."""
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import MessageRecord
from qingnong.ledger.tests.test_weekly_entry import make_groups, post_week
from qingnong.ledger.tests.test_weekly_other_messages import add, week
from qingnong.lib.dates import today


def weekly_total(group):
    monday, sunday = week()
    return sum(MessageRecord.objects.filter(group=group, period_start=monday, period_end=sunday).values_list("count", flat=True))


def test_a_count_over_single_records_is_refused_until_confirmed(client_for, world):
    first, second = make_groups(world.township_a, 2)
    add(first, today(), today(), "policy", 3)  # 逐条记录 this week
    client = client_for(world.township_a_reporter)

    refused = post_week(client, world.township_a, {first: {"msg_policy": 3}, second: {"msg_news": 2}})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "本周已有逐条记录（政策法规 3 条）计入统计" in body
    assert 'value="3"' in body and 'value="2"' in body  # what was typed stays on the page
    assert weekly_total(first) == 0 and weekly_total(second) == 0  # nothing of the page was saved

    confirmed = post_week(client, world.township_a, {first: {"msg_policy": 3, "confirm_overlap": "on"}, second: {"msg_news": 2}})
    assert confirmed.status_code == 302
    assert weekly_total(first) == 3 and weekly_total(second) == 2
    entry = AuditEntry.objects.filter(note__contains="已确认是另外发送的信息").get()
    assert "政策法规 3 条" in entry.note


def test_other_categories_and_unchanged_counts_need_no_confirmation(client_for, world):
    (group,) = make_groups(world.township_a, 1)
    add(group, today(), today(), "policy", 3)
    client = client_for(world.township_a_reporter)
    assert post_week(client, world.township_a, {group: {"msg_news": 4}}).status_code == 302  # another category
    assert post_week(client, world.township_a, {group: {"msg_policy": 1, "confirm_overlap": "on"}}).status_code == 302
    # The page saved again with the same counts (another row changed, say) asks nothing.
    assert post_week(client, world.township_a, {group: {"home_farming": 5}}).status_code == 302
    assert weekly_total(group) == 5


def test_the_confirmation_box_is_offered_only_on_rows_with_other_records(client_for, world):
    first, second = make_groups(world.township_a, 2)
    add(first, today(), today(), "policy", 3)
    body = client_for(world.township_a_reporter).get(f"/ledger/orgs/{world.township_a.pk}/weekly/").content.decode()
    row = lambda g: body.split(f'data-group="{g.name}"', 1)[1].split("</fieldset>", 1)[0]  # noqa: E731
    assert 'data-testid="confirm-overlap"' in row(first)
    assert 'data-testid="confirm-overlap"' not in row(second)
