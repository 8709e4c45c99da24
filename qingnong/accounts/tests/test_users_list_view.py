"""The account list (/users/): admins only, own subtree only, constant query count."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.accounts.models import Role
from qingnong.accounts.tests.factories import UserFactory


@pytest.mark.parametrize("persona", ["county_a_reporter", "county_a_viewer", "township_a_reporter", "county_b_viewer"])
def test_reporter_and_viewer_cannot_reach_users(client_for, world, persona):
    response = client_for(getattr(world, persona)).get("/users/")

    assert response.status_code == 403
    assert "只有管理员可以进行此操作。" in response.content.decode()


def test_county_admin_sees_only_own_county(client_for, world):
    response = client_for(world.county_a_admin).get("/users/")

    usernames = {u.username for u in response.context["page"]}
    assert usernames == {"county_a_admin", "county_a_reporter", "county_a_viewer", "township_a_reporter"}
    assert "county_b_admin" not in response.content.decode()


def test_city_admin_sees_both_counties(client_for, world):
    response = client_for(world.city_admin).get("/users/")

    usernames = {u.username for u in response.context["page"]}
    assert {"county_a_admin", "county_b_admin", "city_admin"} <= usernames


def test_search_by_mobile_and_role(client_for, world):
    client = client_for(world.county_a_admin)

    by_mobile = client.get("/users/", {"q": "1390000000"})
    viewers = client.get("/users/", {"role": Role.VIEWER})

    assert {u.username for u in by_mobile.context["page"]} == {"county_a_admin", "township_a_reporter"}
    assert [u.username for u in viewers.context["page"]] == ["county_a_viewer"]


def test_htmx_search_returns_the_rows_fragment(client_for, world):
    response = client_for(world.county_a_admin).get("/users/", {"q": "viewer"}, HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == "accounts/_user_rows.html"
    assert "county_a_viewer" in response.content.decode()


def test_users_list_queries_do_not_grow_with_rows(client_for, world):
    client = client_for(world.county_a_admin)

    def measure():
        client.get("/users/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/users/")
        return len(queries), len(response.context["page"].object_list)

    UserFactory.create_batch(1, org=world.township_a)  # 5 users
    few, few_rows = measure()
    UserFactory.create_batch(35, org=world.township_b)  # county B: not listed, not counted
    UserFactory.create_batch(35, org=world.township_a)  # 40 users
    many, many_rows = measure()

    assert (few_rows, many_rows) == (5, 30)
    assert many == few
