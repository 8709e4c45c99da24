"""Soft delete (/orgs/<id>/delete/) and restore from the 回收站 (/trash/org/<id>/restore/)."""
from django.utils import timezone

from qingnong.accounts.tests.factories import UserFactory
from qingnong.org.models import Org, OrgLevel
from qingnong.org.services import org_create_child, org_delete


def delete_url(org):
    return f"/orgs/{org.pk}/delete/"


def restore_url(org):
    return f"/trash/org/{org.pk}/restore/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_reporter_soft_deletes_a_village(client_for, world):
    client = client_for(world.township_a_reporter)

    response = client.post(delete_url(world.village_a), follow=True)

    assert response.redirect_chain[-1][0] == f"/orgs/{world.township_a.pk}/"
    assert f"已删除“{world.village_a.name}”，可在回收站恢复。" in messages_of(response)
    assert not Org.objects.filter(pk=world.village_a.pk).exists()
    deleted = Org.all_objects.get(pk=world.village_a.pk)
    assert deleted.deleted_by == world.township_a_reporter and deleted.deleted_at <= timezone.now()
    assert world.village_a not in response.context["children"].object_list


def test_deleted_village_is_listed_in_the_trash(client_for, world):
    client = client_for(world.township_a_reporter)
    client.post(delete_url(world.village_a))

    response = client.get("/trash/")

    assert world.village_a.name in response.content.decode()
    assert restore_url(world.village_a) in response.content.decode()


def test_restore_from_trash_brings_it_back(client_for, world):
    client = client_for(world.township_a_reporter)
    client.post(delete_url(world.village_a))

    response = client.post(restore_url(world.village_a), follow=True)

    assert f"已恢复“{world.village_a.name}”。" in messages_of(response)
    village = Org.objects.get(pk=world.village_a.pk)
    assert village.deleted_at is None and village.deleted_by is None
    assert village.parent == world.township_a
    assert world.village_a.name not in client.get("/trash/").content.decode()
    assert world.village_a.name in client.get(f"/orgs/{world.township_a.pk}/").content.decode()


def test_deleting_a_division_org_is_refused(client_for, world):
    client = client_for(world.county_a_admin)

    response = client.post(delete_url(world.township_a), follow=True)

    assert "行政区划组织不能删除。" in messages_of(response)
    assert Org.objects.filter(pk=world.township_a.pk).exists()


def test_deleting_an_org_with_children_is_refused(client_for, world):
    direct = org_create_child(user=world.county_a_admin, parent=world.county_a, name="县直属团工委", level=OrgLevel.DIRECT)
    Org.objects.create(name="下属团支部", level=OrgLevel.DIRECT, parent=direct, path=f"{direct.path}nsub/", depth=direct.depth + 1)

    response = client_for(world.county_a_admin).post(delete_url(direct), follow=True)

    assert "该组织下还有下级组织，请先删除下级组织。" in messages_of(response)
    assert Org.objects.filter(pk=direct.pk).exists()


def test_viewer_cannot_delete_or_restore(client_for, world):
    org_delete(user=world.county_a_admin, org=world.village_a)
    client = client_for(world.county_a_viewer)

    assert client.post(restore_url(world.village_a)).status_code == 403
    assert Org.all_objects.get(pk=world.village_a.pk).is_deleted
    assert restore_url(world.village_a) not in client.get("/trash/").content.decode()


def test_other_county_cannot_restore(client_for, world):
    org_delete(user=world.county_a_admin, org=world.village_a)

    response = client_for(world.county_b_admin).post(restore_url(world.village_a))

    assert response.status_code == 404
    assert Org.all_objects.get(pk=world.village_a.pk).is_deleted


def test_restore_refused_when_a_live_sibling_took_the_name(client_for, world):
    org_delete(user=world.county_a_admin, org=world.village_a)
    org_create_child(user=world.county_a_admin, parent=world.township_a, name=world.village_a.name, level=OrgLevel.VILLAGE)

    response = client_for(world.township_a_reporter).post(restore_url(world.village_a), follow=True)

    assert f"鱼河镇下已有名为“{world.village_a.name}”的组织。" in messages_of(response)
    assert Org.all_objects.get(pk=world.village_a.pk).is_deleted


def test_restore_refused_while_the_parent_is_deleted(client_for, world):
    direct = org_create_child(user=world.county_a_admin, parent=world.county_a, name="县直属团工委", level=OrgLevel.DIRECT)
    child = org_create_child(user=world.county_a_admin, parent=world.township_a, name="临时团支部", level=OrgLevel.DIRECT)
    child.parent = direct  # move under the 直属 org so that the parent can be deleted first
    child.path = f"{direct.path}nchild/"
    child.save()
    org_delete(user=world.county_a_admin, org=child)
    org_delete(user=world.county_a_admin, org=Org.objects.get(pk=direct.pk))

    response = client_for(world.county_a_admin).post(restore_url(child), follow=True)

    assert "上级组织“县直属团工委”已删除，请先恢复上级组织。" in messages_of(response)
    assert Org.all_objects.get(pk=child.pk).is_deleted


def test_deleting_an_org_with_active_accounts_is_refused(client_for, world):
    UserFactory(org=world.village_a)

    response = client_for(world.county_a_admin).post(delete_url(world.village_a), follow=True)

    assert "该组织下还有启用的账号，请先停用这些账号。" in messages_of(response)
    assert Org.objects.filter(pk=world.village_a.pk).exists()
