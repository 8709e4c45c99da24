"""The home page and org detail show the org, its children and the size of each subtree."""
from qingnong.accounts.models import Role
from qingnong.accounts.tests.factories import UserFactory
from qingnong.org.models import OrgLevel
from qingnong.org.services import org_create_child, org_delete


def child_named(response, name):
    return next(c for c in response.context["children"] if c.name == name)


def add_children(world):
    """鱼河镇 gets two more villages and one 直属团组织 (three villages in all)."""
    for name in ("乙村团支部", "丙村团支部"):
        org_create_child(user=world.county_a_admin, parent=world.township_a, name=name, level=OrgLevel.VILLAGE)
    return org_create_child(user=world.county_a_admin, parent=world.township_a, name="鱼河中学团委", level=OrgLevel.DIRECT)


def test_county_home_shows_the_county_with_subtree_counts(client_for, world):
    add_children(world)

    response = client_for(world.county_a_admin).get("/")

    org = response.context["org"]
    assert org == world.county_a
    assert (org.township_count, org.village_count, org.direct_count, org.user_count) == (31, 3, 1, 4)
    assert "榆阳区团委" in response.content.decode()


def test_township_home_lists_its_children(client_for, world):
    add_children(world)

    response = client_for(world.township_a_reporter).get("/")

    assert response.context["org"] == world.township_a
    names = [c.name for c in response.context["children"]]
    assert sorted(names) == sorted([world.village_a.name, "乙村团支部", "丙村团支部", "鱼河中学团委"])
    body = response.content.decode()
    assert all(name in body for name in names)


def test_township_does_not_count_itself_as_a_township(client_for, world):
    response = client_for(world.township_a_reporter).get("/")

    org = response.context["org"]
    assert (org.township_count, org.village_count, org.user_count) == (0, 1, 1)


def test_a_village_child_has_nothing_below_it(client_for, world):
    response = client_for(world.county_a_admin).get(f"/orgs/{world.township_a.pk}/")

    village = child_named(response, world.village_a.name)
    assert (village.township_count, village.village_count, village.direct_count) == (0, 0, 0)


def test_county_page_shows_each_township_with_its_counts(client_for, world):
    add_children(world)
    UserFactory(org=world.township_a, role=Role.VIEWER)
    UserFactory(org=world.township_a, role=Role.VIEWER, is_active=False)

    response = client_for(world.county_a_admin).get(f"/orgs/{world.county_a.pk}/")

    yuhe = child_named(response, "鱼河镇")
    assert (yuhe.township_count, yuhe.village_count, yuhe.direct_count, yuhe.user_count) == (0, 3, 1, 2)
    assert "鱼河镇" in response.content.decode()


def test_detail_shows_children_and_counts(client_for, world):
    direct = add_children(world)

    response = client_for(world.county_a_reporter).get(f"/orgs/{world.township_a.pk}/")

    counts = response.context["counts"]
    assert (counts.village_count, counts.direct_count, counts.user_count) == (3, 1, 1)
    assert child_named(response, "鱼河中学团委") == direct
    body = response.content.decode()
    assert "鱼河镇团委" in body and "鱼河中学团委" in body and "乙村团支部" in body


def test_deleted_children_leave_the_lists_and_the_counts(client_for, world):
    add_children(world)
    org_delete(user=world.county_a_admin, org=world.village_a)

    response = client_for(world.county_a_reporter).get(f"/orgs/{world.township_a.pk}/")

    assert response.context["counts"].village_count == 2
    assert world.village_a.name not in [c.name for c in response.context["children"]]


def test_children_fragment_lists_only_direct_children(client_for, world):
    add_children(world)

    response = client_for(world.county_a_viewer).get(f"/orgs/{world.township_a.pk}/children/")

    assert len(response.context["children"]) == 4
    assert all(c.parent_id == world.township_a.pk for c in response.context["children"])
    assert world.village_a.name in response.content.decode()


def test_detail_shows_users_only_to_admins(client_for, world):
    admin_page = client_for(world.county_a_admin).get(f"/orgs/{world.township_a.pk}/")
    viewer_page = client_for(world.county_a_viewer).get(f"/orgs/{world.township_a.pk}/")

    assert list(admin_page.context["users"]) == [world.township_a_reporter]
    assert viewer_page.context["users"] is None
