"""Org pages cost the same number of queries with 5 children as with 40."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.accounts.tests.factories import UserFactory
from qingnong.org.models import Org, OrgLevel

from qingnong.org.tests.factories import ChildOrgFactory


def measure(client, url):
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def shown(response, key):
    return len(response.context[key].object_list)


def test_home_page_queries_do_not_grow_with_children(client_for, world):
    client = client_for(world.township_a_reporter)
    ChildOrgFactory.create_batch(4, parent=world.township_a)  # 5 with the world's village
    few, small = measure(client, "/")

    ChildOrgFactory.create_batch(35, parent=world.township_a)
    many, large = measure(client, "/")

    assert shown(large, "children") > shown(small, "children") == 5
    assert many == few


def test_org_detail_queries_do_not_grow_with_children_or_users(client_for, world):
    client = client_for(world.county_a_admin)
    url = f"/orgs/{world.township_a.pk}/"
    ChildOrgFactory.create_batch(4, parent=world.township_a, level=OrgLevel.DIRECT)
    few, small = measure(client, url)

    ChildOrgFactory.create_batch(35, parent=world.township_a)
    UserFactory.create_batch(9, org=world.township_a)
    many, large = measure(client, url)

    assert shown(large, "children") > shown(small, "children")
    assert len(large.context["users"]) > len(small.context["users"])
    assert many == few


def test_children_fragment_queries_do_not_grow_with_children(client_for, world):
    client = client_for(world.county_a_viewer)
    url = f"/orgs/{world.township_a.pk}/children/"
    ChildOrgFactory.create_batch(4, parent=world.township_a)
    few, _ = measure(client, url)

    ChildOrgFactory.create_batch(35, parent=world.township_a)
    many, large = measure(client, url)

    assert shown(large, "children") == 30
    assert many == few


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_tree_search_queries_do_not_grow_with_results(client_for, world, htmx):
    client = client_for(world.county_a_admin)
    if htmx:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code"))
    for township in townships[:5]:
        ChildOrgFactory(parent=township)
    few, small = measure(client, "/orgs/?q=号村团支部")

    for township in townships[5:]:
        ChildOrgFactory.create_batch(2, parent=township)
    many, large = measure(client, "/orgs/?q=号村团支部")

    assert small.context["page"].paginator.count == 5
    assert large.context["page"].paginator.count == 5 + 2 * (len(townships) - 5)
    assert all(org.ancestor_names[-1].endswith(("镇", "街道", "乡")) for org in large.context["page"])
    assert many == few


def test_tree_without_query_shows_roots(client_for, world):
    response = client_for(world.county_a_admin).get("/orgs/")

    assert [o.pk for o in response.context["roots"]] == [world.county_a.pk]
