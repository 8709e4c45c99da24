"""The cadre list costs the same number of queries with 3 cadres as with 20."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.ledger.models import Cadre, GroupKind, WechatGroup


def add_cadres(org, n, start):
    cadres = Cadre.objects.bulk_create([Cadre(org=org, name=f"干部{start + i:03d}", mobile=f"138{start + i:08d}",
                                              youths_reached=i) for i in range(n)])
    WechatGroup.objects.bulk_create([WechatGroup(org=org, name=f"群{c.name}", kind=GroupKind.YOUTH, bases=",place,",
                                                 owner=c) for c in cadres])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_viewer"])
def test_cadre_list_queries_do_not_grow(client_for, world, django_assert_num_queries, persona, htmx):
    client = client_for(getattr(world, persona))
    if htmx:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    url = f"/ledger/orgs/{world.township_a.pk}/cadres/"
    add_cadres(world.village_a, 2, 0)  # 3 with the world's cadre
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert len(small.context["page"].object_list) == 3

    add_cadres(world.village_a, 17, 100)
    with django_assert_num_queries(len(few)):
        large = client.get(url)

    assert len(large.context["page"].object_list) == 20
    body = large.content.decode()
    assert body.count("群干部") == 19 and "甲村测试青年群" in body  # every cadre's owned group is shown
