"""The message list costs the same number of queries with 3 records as with 20."""
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import A_ACCOUNT, A_GROUP
from qingnong.ledger.models import MessageCategory, MessageRecord, OfficialAccount, WechatGroup


def add_records(world, n, start):
    group = WechatGroup.objects.get(name=A_GROUP)
    official_account = OfficialAccount.objects.get(name=A_ACCOUNT)
    categories = MessageCategory.values
    records = []
    for i in range(n):
        day = date(2014, 9, 1) + timedelta(days=start + i)
        target = {"group": group, "org": group.org} if i % 2 else {"account": official_account, "org": official_account.org, "theme": "league_news"}
        records.append(MessageRecord(period_start=day, period_end=day, month=day.replace(day=1), count=i + 1,
                                     category=categories[i % 5], title=f"记录{start + i}", entered_by=world.county_a_admin, **target))
    MessageRecord.objects.bulk_create(records)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_viewer"])
def test_message_list_queries_do_not_grow(client_for, world, django_assert_num_queries, persona, htmx):
    client = client_for(getattr(world, persona))
    if htmx:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    url = f"/ledger/orgs/{world.county_a.pk}/messages/?category="
    add_records(world, 2, 0)  # 3 with the world's record
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert len(small.context["page"].object_list) == 3

    add_records(world, 17, 100)
    with django_assert_num_queries(len(few)):
        large = client.get(url)

    assert len(large.context["page"].object_list) == 20
    assert large.context["totals"]["records"] == 20
    assert large.context["totals"]["messages"] == 5 + (1 + 2) + sum(range(1, 18))
