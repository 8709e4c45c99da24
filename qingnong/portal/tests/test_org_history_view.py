"""The 操作记录 page of an org (/orgs/<id>/history/) lists its subtree's entries only."""
import pytest
from django.test import Client

from qingnong.audit.models import AuditAction
from qingnong.org.models import OrgLevel

A_CHANGE = "甲县新建村团支部"
B_CHANGE = "乙县新建村团支部"
COUNTY_LEVEL = "榆阳区直属机关团工委"


def add(user, parent, level, name):
    client = Client()  # its own session: the success message must not reach the page under test
    client.force_login(user)
    client.post(f"/orgs/{parent.pk}/add/", {"level": level, "name": name})


@pytest.fixture
def changes(world):
    """One new village in each county and a 直属 org at county A's level."""
    add(world.county_a_reporter, world.township_a, OrgLevel.VILLAGE, A_CHANGE)
    add(world.county_a_reporter, world.county_a, OrgLevel.DIRECT, COUNTY_LEVEL)
    add(world.county_b_reporter, world.township_b, OrgLevel.VILLAGE, B_CHANGE)


def history(client, org, **params):
    response = client.get(f"/orgs/{org.pk}/history/", params)
    assert response.status_code == 200
    return response


def reprs(response):
    return {e.object_repr for e in response.context["page"]}


def test_county_page_lists_own_changes_not_the_other_countys(client_for, world, changes):
    response = history(client_for(world.county_a_viewer), world.county_a)

    assert {A_CHANGE, COUNTY_LEVEL} <= reprs(response)
    assert B_CHANGE not in reprs(response)
    body = response.content.decode()
    assert A_CHANGE in body and B_CHANGE not in body


def test_every_entry_on_the_page_is_inside_the_subtree(client_for, world, changes):
    response = history(client_for(world.county_b_admin), world.county_b)

    assert all(e.org_path.startswith(world.county_b.path) for e in response.context["page"])
    assert B_CHANGE in reprs(response) and A_CHANGE not in reprs(response)


def test_township_page_leaves_out_county_level_changes(client_for, world, changes):
    response = history(client_for(world.county_a_admin), world.township_a)

    assert A_CHANGE in reprs(response)
    assert COUNTY_LEVEL not in reprs(response)


def test_city_page_lists_both_counties(client_for, world, changes):
    response = history(client_for(world.city_admin), world.city)

    assert {A_CHANGE, B_CHANGE, COUNTY_LEVEL} <= reprs(response)


def test_page_shows_who_and_what(client_for, world, changes):
    body = history(client_for(world.county_a_viewer), world.township_a).content.decode()

    assert "新建" in body and "county_a_reporter" in body


def test_filter_by_action(client_for, world, changes):
    client = client_for(world.county_a_admin)
    client.post(f"/orgs/{world.village_a.pk}/edit/", {"name": "甲村团支部（改）", "note": "", "version": world.village_a.version})

    updates = history(client, world.county_a, action=AuditAction.UPDATE)

    assert {e.action for e in updates.context["page"]} == {AuditAction.UPDATE}
    assert "甲村团支部（改）" in reprs(updates)


def test_unknown_action_filter_shows_everything(client_for, world, changes):
    response = history(client_for(world.county_a_admin), world.county_a, action="drop-table")

    assert {A_CHANGE, COUNTY_LEVEL} <= reprs(response)


def test_other_county_gets_404(client_for, world, changes):
    response = client_for(world.county_b_admin).get(f"/orgs/{world.county_a.pk}/history/")

    assert response.status_code == 404
    assert A_CHANGE not in response.content.decode()


def test_township_user_cannot_open_the_county_page(client_for, world, changes):
    response = client_for(world.township_a_reporter).get(f"/orgs/{world.county_a.pk}/history/")

    assert response.status_code == 404
