"""The activity list costs the same number of queries with 3 activities as with 20."""
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import A_GROUP
from qingnong.ledger.models import Activity, ActivityPhoto, ActivityType, WechatGroup


def add_activities(world, n, start):
    group = WechatGroup.objects.get(name=A_GROUP)
    types = ActivityType.values
    activities = Activity.objects.bulk_create([
        Activity(org=world.village_a if i % 2 else world.township_a, held_on=date(2014, 8, 1) + timedelta(days=start + i),
                 activity_type=types[i % 5], title=f"活动{start + i}", participants=10 + i, group=group if i % 3 else None,
                 entered_by=world.county_a_admin)
        for i in range(n)
    ])
    ActivityPhoto.objects.bulk_create([ActivityPhoto(activity=a, image=f"activities/x/{a.pk}.jpg") for a in activities[::2]])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_viewer"])
def test_activity_list_queries_do_not_grow(client_for, world, django_assert_num_queries, persona, htmx):
    client = client_for(getattr(world, persona))
    if htmx:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    url = f"/ledger/orgs/{world.county_a.pk}/activities/"
    add_activities(world, 2, 0)  # 3 with the world's activity
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert len(small.context["page"].object_list) == 3

    add_activities(world, 17, 100)
    with django_assert_num_queries(len(few)):
        large = client.get(url)

    assert len(large.context["page"].object_list) == 20
    assert large.context["totals"]["n"] == 20
    assert large.content.decode().count("照片 1 张") == 1 + 1 + 9
