"""Cadre services: contact validation, scope, version check, soft delete and restore."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qingnong.audit.models import AuditAction, AuditEntry
from qingnong.ledger.models import AccountAdmin, Cadre, OfficialAccount, WechatGroup
from qingnong.ledger.services.cadres import cadre_create, cadre_delete, cadre_restore, cadre_update

STALE = "该记录已被他人修改（您看到的是旧版本），请刷新页面后重新填写。"


def entries(cadre):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Cadre), object_id=cadre.pk)


def test_reporter_adds_a_cadre_and_the_log_names_them(world):
    cadre = cadre_create(user=world.township_a_reporter, org=world.village_a, name=" 李四 ", position="支部书记",
                         mobile="13812345678", wechat_id="lisi_2014", qq="123456", is_grassroots=True, youths_reached=12)

    assert (cadre.name, cadre.org, cadre.reach_gap) == ("李四", world.village_a, 8)
    entry = entries(cadre).get()
    assert (entry.action, entry.user) == (AuditAction.CREATE, world.township_a_reporter)


@pytest.mark.parametrize("field,value,message", [
    ("mobile", "1381234567", "手机号应为 11 位数字，以 1 开头。"),
    ("mobile", "23812345678", "手机号应为 11 位数字，以 1 开头。"),
    ("wechat_id", "12345678", "微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。"),
    ("wechat_id", "ab", "微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。"),
    ("qq", "12a456", "QQ 号应为 5–12 位数字，不以 0 开头。"),
    ("qq", "012345", "QQ 号应为 5–12 位数字，不以 0 开头。"),
])
def test_bad_contacts_are_refused_with_a_chinese_message(world, field, value, message):
    with pytest.raises(ValidationError) as error:
        cadre_create(user=world.county_a_admin, org=world.township_a, name="王五", **{field: value})

    assert error.value.message_dict == {field: [message]}
    assert not Cadre.objects.filter(name="王五").exists()


def test_other_county_cannot_add_a_cadre_to_county_a(world):
    with pytest.raises(Http404):
        cadre_create(user=world.county_b_admin, org=world.township_a, name="越界")


def test_viewer_cannot_add_a_cadre(world):
    with pytest.raises(PermissionDenied):
        cadre_create(user=world.county_a_viewer, org=world.township_a, name="查看员")


def test_update_with_old_version_is_refused(world):
    cadre = Cadre.objects.get(name="甲县测试团干部")
    cadre_update(user=world.county_a_admin, cadre=cadre, expected_version=cadre.version, youths_reached=25)

    with pytest.raises(ValidationError) as error:
        cadre_update(user=world.township_a_reporter, cadre=cadre, expected_version=cadre.version, youths_reached=3)

    assert error.value.messages == [STALE]
    assert Cadre.objects.get(pk=cadre.pk).youths_reached == 25


def test_a_cadre_who_owns_a_group_cannot_be_deleted(world):
    cadre = Cadre.objects.get(name="甲县测试团干部")

    with pytest.raises(ValidationError) as error:
        cadre_delete(user=world.county_a_admin, cadre=cadre)

    assert "甲村测试青年群" in error.value.messages[0] and "群主" in error.value.messages[0]
    assert not Cadre.objects.get(pk=cadre.pk).is_deleted


def test_a_cadre_who_runs_an_account_cannot_be_deleted(world):
    cadre = Cadre.objects.get(name="甲县测试团干部")
    WechatGroup.objects.filter(owner=cadre).update(owner=None)

    with pytest.raises(ValidationError) as error:
        cadre_delete(user=world.county_a_admin, cadre=cadre)

    assert "青农甲县测试公众号" in error.value.messages[0]


def test_delete_and_restore_through_the_trash(client_for, world):
    cadre = cadre_create(user=world.county_a_admin, org=world.township_a, name="赵六")
    cadre_delete(user=world.township_a_reporter, cadre=cadre)
    assert not Cadre.objects.filter(pk=cadre.pk).exists()
    client = client_for(world.county_a_admin)
    assert "赵六" in client.get("/trash/").content.decode()

    response = client.post(f"/trash/cadre/{cadre.pk}/restore/")

    assert response.status_code == 302
    assert Cadre.objects.filter(pk=cadre.pk).exists()
    assert list(entries(cadre).order_by("at", "id").values_list("action", flat=True)) == [
        AuditAction.CREATE, AuditAction.DELETE, AuditAction.RESTORE]


def test_restore_waits_for_the_org(world):
    from qingnong.org.services import org_delete

    cadre = cadre_create(user=world.county_a_admin, org=world.village_a, name="孙七")
    cadre_delete(user=world.county_a_admin, cadre=cadre)
    org_delete(user=world.county_a_admin, org=world.village_a)

    with pytest.raises(ValidationError) as error:
        cadre_restore(user=world.county_a_admin, cadre=Cadre.all_objects.get(pk=cadre.pk))

    assert error.value.messages == [f"所属组织“{world.village_a.name}”已删除，请先恢复该组织。"]


def test_removed_admin_no_longer_blocks_delete(world):
    cadre = Cadre.objects.get(name="甲县测试团干部")
    WechatGroup.objects.filter(owner=cadre).update(owner=None)
    AccountAdmin.objects.filter(cadre=cadre).update(deleted_at=OfficialAccount.objects.first().created_at)

    cadre_delete(user=world.county_a_admin, cadre=cadre)

    assert Cadre.all_objects.get(pk=cadre.pk).is_deleted
