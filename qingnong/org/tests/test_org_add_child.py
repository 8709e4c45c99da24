"""Adding a 村团组织 or 直属团组织 under a township (/orgs/<id>/add/)."""
import pytest
from django.core.exceptions import ValidationError

from qingnong.org.models import Org, OrgLevel
from qingnong.org.services import org_create_child


def add_url(org):
    return f"/orgs/{org.pk}/add/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("level,label", [(OrgLevel.VILLAGE, "村团组织"), (OrgLevel.DIRECT, "直属团组织")],
                         ids=["village", "direct"])
def test_township_reporter_adds_child_under_own_township(client_for, world, level, label):
    client = client_for(world.township_a_reporter)

    response = client.post(add_url(world.township_a), {"level": level, "name": "  新窑村团支部 ", "note": "2025年新建"})

    child = Org.objects.get(parent=world.township_a, name="新窑村团支部")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{child.pk}/"
    assert child.level == level and child.note == "2025年新建"
    assert child.depth == world.township_a.depth + 1 and child.path.startswith(world.township_a.path)
    assert child.code is None
    page = client.get(response["Location"])
    assert "已添加“新窑村团支部”。" in messages_of(page)
    assert label in page.content.decode()


def test_county_reporter_adds_child_under_a_township_of_the_county(client_for, world):
    client = client_for(world.county_a_reporter)

    response = client.post(add_url(world.township_a), {"level": OrgLevel.VILLAGE, "name": "三岔湾村团支部"})

    assert response.status_code == 302
    assert Org.objects.filter(parent=world.township_a, name="三岔湾村团支部").exists()


def test_added_child_is_found_in_the_township_subtree(client_for, world):
    client_for(world.township_a_reporter).post(add_url(world.township_a), {"level": OrgLevel.DIRECT, "name": "鱼河中学团委"})

    child = Org.objects.get(name="鱼河中学团委")
    assert Org.objects.filter(path__startswith=world.township_a.path, pk=child.pk).exists()
    assert not Org.objects.filter(path__startswith=world.county_b.path, pk=child.pk).exists()


def test_viewer_gets_403_and_nothing_is_added(client_for, world):
    client = client_for(world.county_a_viewer)

    get = client.get(add_url(world.township_a))
    post = client.post(add_url(world.township_a), {"level": OrgLevel.VILLAGE, "name": "查看员村团支部"})

    assert get.status_code == 403 and post.status_code == 403
    assert "只能查看" in post.content.decode()
    assert not Org.objects.filter(name="查看员村团支部").exists()


def test_other_county_reporter_gets_404(client_for, world):
    response = client_for(world.county_b_reporter).post(add_url(world.township_a), {"level": OrgLevel.VILLAGE, "name": "越界村团支部"})

    assert response.status_code == 404
    assert not Org.objects.filter(name="越界村团支部").exists()


def test_township_reporter_cannot_add_under_the_county(client_for, world):
    response = client_for(world.township_a_reporter).post(add_url(world.county_a), {"level": OrgLevel.DIRECT, "name": "县直团委"})

    assert response.status_code == 404
    assert not Org.objects.filter(name="县直团委").exists()


def test_county_offers_only_direct_orgs(client_for, world):
    response = client_for(world.county_a_reporter).get(add_url(world.county_a))

    choices = [value for value, _ in response.context["form"].fields["level"].choices]
    assert choices == [OrgLevel.DIRECT]


def test_no_village_under_a_county_through_the_form(client_for, world):
    response = client_for(world.county_a_reporter).post(add_url(world.county_a), {"level": OrgLevel.VILLAGE, "name": "县下村团支部"})

    assert response.status_code == 200 and "level" in response.context["form"].errors
    assert not Org.objects.filter(name="县下村团支部").exists()


def test_no_village_under_a_county_in_the_service(world):
    with pytest.raises(ValidationError) as error:
        org_create_child(user=world.county_a_admin, parent=world.county_a, name="县下村团支部", level=OrgLevel.VILLAGE)

    assert error.value.message_dict["level"] == ["团县委下不能添加村团组织。"]
    assert not Org.objects.filter(name="县下村团支部").exists()


def test_direct_org_allowed_under_a_county(world):
    child = org_create_child(user=world.county_a_admin, parent=world.county_a, name="榆阳区直属机关团工委", level=OrgLevel.DIRECT)

    assert child.parent == world.county_a and child.level == OrgLevel.DIRECT


def test_no_child_under_a_village_through_the_page(client_for, world):
    client = client_for(world.county_a_reporter)

    response = client.post(add_url(world.village_a), {"level": OrgLevel.VILLAGE, "name": "村下村团支部"}, follow=True)

    assert response.redirect_chain[-1][0] == f"/orgs/{world.village_a.pk}/"
    assert "村团组织下不能再添加下级组织。" in messages_of(response)
    assert not world.village_a.children.exists()


@pytest.mark.parametrize("level", [OrgLevel.VILLAGE, OrgLevel.DIRECT])
def test_no_child_under_a_village_in_the_service(world, level):
    with pytest.raises(ValidationError) as error:
        org_create_child(user=world.county_a_admin, parent=world.village_a, name="村下组织", level=level)

    assert "村团组织下不能添加" in error.value.message_dict["level"][0]
    assert not world.village_a.children.exists()


def test_duplicate_sibling_name_refused_with_chinese_message(client_for, world):
    client = client_for(world.township_a_reporter)

    response = client.post(add_url(world.township_a), {"level": OrgLevel.DIRECT, "name": world.village_a.name})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [f"鱼河镇下已有名为“{world.village_a.name}”的组织。"]
    assert f"鱼河镇下已有名为“{world.village_a.name}”的组织。" in response.content.decode()
    assert Org.objects.filter(parent=world.township_a, name=world.village_a.name).count() == 1


def test_duplicate_name_with_spaces_is_still_a_duplicate(world):
    with pytest.raises(ValidationError):
        org_create_child(user=world.county_a_admin, parent=world.township_a, name=f" {world.village_a.name} ", level=OrgLevel.VILLAGE)

    assert Org.objects.filter(parent=world.township_a, name=world.village_a.name).count() == 1


def test_same_name_under_another_township_is_allowed(world):
    other = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).exclude(pk=world.township_a.pk).first()

    child = org_create_child(user=world.county_a_admin, parent=other, name=world.village_a.name, level=OrgLevel.VILLAGE)

    assert child.parent == other
