"""Issue 15: who may restore what from the 回收站 (docs/security.md): whoever may delete a kind
of record may restore it, in the same scope; a viewer may do neither (403, nothing changes);
another county's record is a 404."""
from qingnong.ledger.models import GroupKind, GroupStatus, WechatGroup
from qingnong.ledger.services.groups import group_create, group_delete


def deleted_group(world, name="回收站权限群"):
    group, _ = group_create(user=world.county_a_admin, org=world.township_a, name=name, kind=GroupKind.YOUTH,
                            status=GroupStatus.ACTIVE)
    group_delete(user=world.county_a_admin, group=group)
    return WechatGroup.all_objects.get(pk=group.pk)


def test_a_reporter_restores_what_a_reporter_may_delete(client_for, world):
    group = deleted_group(world)
    response = client_for(world.township_a_reporter).post(f"/trash/group/{group.pk}/restore/")
    assert response.status_code == 302 and not WechatGroup.all_objects.get(pk=group.pk).is_deleted


def test_a_viewer_restores_nothing(client_for, world):
    group = deleted_group(world)
    response = client_for(world.county_a_viewer).post(f"/trash/group/{group.pk}/restore/")
    assert response.status_code == 403 and WechatGroup.all_objects.get(pk=group.pk).is_deleted


def test_another_countys_trash_is_not_there(client_for, world):
    group = deleted_group(world)
    response = client_for(world.county_b_admin).post(f"/trash/group/{group.pk}/restore/")
    assert response.status_code == 404 and WechatGroup.all_objects.get(pk=group.pk).is_deleted
