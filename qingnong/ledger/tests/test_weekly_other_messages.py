"""The weekly grid shows, per group, the week's messages other records already count (逐条记录,
a month's total…), so they are not entered twice; one query for the whole page."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingnong.ledger.models import MessageRecord, Source
from qingnong.ledger.selectors.messages import weekly_messages
from qingnong.ledger.tests.test_weekly_entry import make_groups
from qingnong.lib.dates import month_of, today, week_of

# Statements of a GET of the weekly page: session, user, org, scope org, groups, today's snapshots
# (6 before the hint) + 1 read of the week's message records (the boxes and the hint).
EXPECTED_PAGE_QUERIES = 7


def add(group, start, end, category, count, **extra):
    return MessageRecord.objects.create(org=group.org, group=group, period_start=start, period_end=end, month=month_of(start),
                                        category=category, count=count, **extra)


def week():
    return week_of(today())


def page(client, org):
    return client.get(f"/ledger/orgs/{org.pk}/weekly/").content.decode()


def hint_of(body, group):
    """The hint line inside `group`'s fieldset, or None."""
    row = body.split(f'data-group="{group.name}"', 1)[1].split("</fieldset>", 1)[0]
    if 'data-testid="other-messages"' not in row:
        return None
    return row.split('data-testid="other-messages"', 1)[1].split(">", 1)[1].split("</p>", 1)[0]


def test_other_records_of_the_week_are_shown_per_group(client_for, world):
    first, second, third = make_groups(world.township_a, 3)
    monday, sunday = week()
    add(first, today(), today(), "policy", 3)  # 逐条记录 today
    add(first, monday - timedelta(days=3), today(), "news", 2)  # a period across the week's start
    add(first, monday, sunday, "policy", 7)  # the week's own weekly record: not "other"
    add(first, monday - timedelta(days=7), monday - timedelta(days=1), "other", 9)  # last week
    add(first, today(), today(), "services", 4, deleted_at=timezone.now())  # in the 回收站
    add(second, monday, sunday, "prosperity", 6, source=Source.IMPORT)  # Monday–Sunday but imported: other
    body = page(client_for(world.township_a_reporter), world.township_a)

    assert hint_of(body, first) == "另有逐条记录 5 条（政策法规 3、新闻娱乐 2），已计入，请勿重复填写"
    assert hint_of(body, second) == "另有逐条记录 6 条（致富信息 6），已计入，请勿重复填写"
    assert hint_of(body, third) is None
    assert 'title="本周这个群另有 2 条发送记录' in body


def test_the_hint_counts_per_group_and_category(world):
    first, second = make_groups(world.township_a, 2)
    monday, sunday = week()
    add(first, today(), today(), "policy", 3)
    add(first, today(), today(), "policy", 2)
    add(second, today(), today(), "other", 1)
    _, others = weekly_messages([first, second], monday, sunday)
    assert (others[first.pk]["total"], others[first.pk]["records"], others[first.pk]["by_category"]) == (5, 2, [("政策法规", 5)])
    assert others[second.pk]["by_category"] == [("其他", 1)]


def test_after_a_weekly_save_its_own_records_are_not_other(client_for, world):
    (group,) = make_groups(world.township_a, 1)
    client = client_for(world.township_a_reporter)
    from qingnong.ledger.tests.test_weekly_entry import post_week

    assert post_week(client, world.township_a, {group: {"msg_policy": 4}}).status_code == 302
    assert hint_of(page(client, world.township_a), group) is None


def test_another_countys_records_stay_on_their_page(client_for, world):
    (mine,) = make_groups(world.township_a, 1)
    (theirs,) = make_groups(world.township_b, 1, prefix="乙县群")
    add(theirs, today(), today(), "policy", 8)
    body = page(client_for(world.township_a_reporter), world.township_a)
    assert hint_of(body, mine) is None and "乙县群" not in body


def test_page_queries_are_pinned_and_do_not_grow_with_groups(client_for, world):
    """Pinned: 6 statements before the hint, +1 (one read of the week's records, not one per group)."""
    client = client_for(world.township_a_reporter)
    measured = {}
    for n in (2, 30):
        groups = make_groups(world.township_a, n, prefix=f"规模{n}群")
        for g in groups:
            add(g, today(), today(), "policy", 1)
        page(client, world.township_a)
        with CaptureQueriesContext(connection) as ctx:
            body = page(client, world.township_a)
        assert body.count('data-testid="other-messages"') >= n
        measured[n] = len(ctx)
    assert measured == {2: EXPECTED_PAGE_QUERIES, 30: EXPECTED_PAGE_QUERIES}, measured


def test_a_second_record_of_the_same_week_is_other_and_survives_a_save(client_for, world):
    """Two Monday–Sunday records of one category (one entered through the form): the box
    shows the one the grid updates, the hint the other; saving the page keeps both."""
    from qingnong.ledger.tests.test_weekly_entry import post_week

    (group,) = make_groups(world.township_a, 1)
    monday, sunday = week()
    grids = add(group, monday, sunday, "policy", 7)
    form = add(group, monday, sunday, "policy", 3, title="逐条填的")
    own, others = weekly_messages([group], monday, sunday)
    assert own[group.pk] == {"policy": (grids.pk, grids.version, 7)} and others[group.pk]["total"] == 3

    client = client_for(world.township_a_reporter)
    assert post_week(client, world.township_a, {group: {"msg_policy": 8}}).status_code == 200  # asks first (test_weekly_overlap)
    assert post_week(client, world.township_a, {group: {"msg_policy": 8, "confirm_overlap": "on"}}).status_code == 302
    assert MessageRecord.objects.get(pk=grids.pk).count == 8 and MessageRecord.objects.get(pk=form.pk).count == 3
