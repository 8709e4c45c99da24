"""A group's page shows its latest message records and this month's total, with links to
record one for this group and to its full list."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import A_MESSAGE
from qingnong.ledger.services.messages import message_create
from qingnong.ledger.tests.test_weekly_entry import make_groups
from qingnong.lib.dates import today


def test_the_page_lists_the_groups_records_and_links_to_record_one(client_for, world, group):
    message_create(user=world.township_a_reporter, group=group, period_start=today(), count=7, category="prosperity",
                   title="本月致富信息")
    body = client_for(world.township_a_reporter).get(f"/ledger/groups/{group.pk}/").content.decode()

    section = body.split('data-testid="group-messages"', 1)[1].split("</ul>", 1)[0]
    assert "致富信息 <strong>7</strong> 条" in section and "逐条记录 · 本月致富信息" in section
    assert "政策法规 <strong>5</strong> 条" in section  # the world's A_MESSAGE, 10-06–10-12
    assert section.index("本月致富信息") < section.index("政策法规")  # newest first
    assert "本月 7 条" in body
    assert f"/ledger/orgs/{group.org_id}/messages/new/?target=g{group.pk}" in body
    assert f"/ledger/orgs/{group.org_id}/messages/?target=g{group.pk}" in body


def test_the_links_open_the_form_and_the_list_on_this_group(client_for, world, group):
    client = client_for(world.township_a_reporter)
    form = client.get(f"/ledger/orgs/{group.org_id}/messages/new/?target=g{group.pk}").content.decode()
    assert f'<option value="g{group.pk}" selected>' in form
    (other,) = make_groups(world.township_a, 1)
    message_create(user=world.township_a_reporter, group=other, period_start=today(), count=2, category="news",
                   title="别的群的记录")
    listing = client.get(f"/ledger/orgs/{group.org_id}/messages/?target=g{group.pk}").content.decode()
    assert A_MESSAGE in listing and "别的群的记录" not in listing


def test_viewers_see_the_records_but_no_record_button(client_for, world, group):
    body = client_for(world.county_a_viewer).get(f"/ledger/groups/{group.pk}/").content.decode()
    assert "政策法规 <strong>5</strong> 条" in body and "记录发送微信" not in body


def test_the_section_costs_two_statements_whatever_the_records(client_for, world, group):
    client = client_for(world.township_a_reporter)
    url = f"/ledger/groups/{group.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 21):
        message_create(user=world.township_a_reporter, group=group, period_start=today().replace(day=1),
                       count=day, category="other", confirm_overlap=True)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(few) == len(many)
    assert body.split('data-testid="group-messages"', 1)[1].split("</ul>", 1)[0].count("<li>") == 5
