"""Every create / update / soft delete / restore made in the UI leaves an AuditEntry:
who, from which address, and the values before and after."""
import pytest
from django.contrib.contenttypes.models import ContentType

from qingnong.accounts.models import Role, User
from qingnong.audit.models import AuditAction, AuditEntry
from qingnong.org.models import Org, OrgLevel


def entries_for(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    return AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk).order_by("id")


def last_entry(obj):
    return entries_for(obj).last()


@pytest.fixture
def reporter(client_for, world):
    return client_for(world.township_a_reporter)


def add_village(client, world, name="新窑村团支部", ip="10.61.8.21"):
    client.post(f"/orgs/{world.township_a.pk}/add/", {"level": OrgLevel.VILLAGE, "name": name, "note": "2025年新建"}, REMOTE_ADDR=ip)
    return Org.objects.get(parent=world.township_a, name=name)


def test_create_is_logged_with_user_ip_and_values(reporter, world):
    village = add_village(reporter, world)

    entry = last_entry(village)
    assert entry.action == AuditAction.CREATE
    assert (entry.user, entry.user_label, entry.ip) == (world.township_a_reporter, "甲县测试填报员", "10.61.8.21")
    assert entry.org_path == village.path and entry.object_repr == "新窑村团支部"
    assert entry.changes["名称"] == ["", "新窑村团支部"]
    assert entry.changes["层级"] == ["", "村团组织"]
    assert entry.changes["上级组织"] == ["", "鱼河镇"]
    assert entry.changes["备注"] == ["", "2025年新建"]


def test_update_is_logged_with_before_and_after(reporter, world):
    village = add_village(reporter, world)

    reporter.post(f"/orgs/{village.pk}/edit/", {"name": "新窑村团支部（改）", "note": "换届", "version": village.version},
                  REMOTE_ADDR="10.61.8.22")

    entry = last_entry(village)
    assert entry.action == AuditAction.UPDATE
    assert (entry.user, entry.ip) == (world.township_a_reporter, "10.61.8.22")
    assert entry.changes == {"名称": ["新窑村团支部", "新窑村团支部（改）"], "备注": ["2025年新建", "换届"]}


def test_saving_without_changes_logs_nothing(reporter, world):
    village = add_village(reporter, world)
    count = entries_for(village).count()

    reporter.post(f"/orgs/{village.pk}/edit/", {"name": village.name, "note": village.note, "version": village.version})

    assert Org.objects.get(pk=village.pk).version == village.version + 1
    assert entries_for(village).count() == count


def test_refused_edit_logs_nothing(reporter, world):
    count = entries_for(world.village_a).count()

    reporter.post(f"/orgs/{world.village_a.pk}/edit/", {"name": "过期修改", "note": "", "version": world.village_a.version - 1})

    assert entries_for(world.village_a).count() == count


def test_soft_delete_is_logged(reporter, world):
    reporter.post(f"/orgs/{world.village_a.pk}/delete/", REMOTE_ADDR="10.61.8.23")

    entry = last_entry(world.village_a)
    assert entry.action == AuditAction.DELETE
    assert (entry.user, entry.ip) == (world.township_a_reporter, "10.61.8.23")
    before, after = entry.changes["删除时间"]
    assert before == "" and after.startswith("20")
    assert entry.changes["删除人"] == ["", "甲县测试填报员（township_a_reporter）"]


def test_restore_is_logged(client_for, reporter, world):
    reporter.post(f"/orgs/{world.village_a.pk}/delete/")
    admin = client_for(world.county_a_admin)

    admin.post(f"/trash/org/{world.village_a.pk}/restore/", REMOTE_ADDR="10.61.8.24")

    entry = last_entry(world.village_a)
    assert entry.action == AuditAction.RESTORE
    assert (entry.user, entry.ip) == (world.county_a_admin, "10.61.8.24")
    assert entry.changes["删除时间"][1] == "" and entry.changes["删除时间"][0].startswith("20")
    assert entry.changes["删除人"] == ["甲县测试填报员（township_a_reporter）", ""]


def test_user_create_is_logged_without_the_password(client_for, world):
    response = client_for(world.county_a_admin).post(
        f"/orgs/{world.township_a.pk}/users/new/",
        {"username": "xinyao_tw", "full_name": "新窑村书记", "mobile": "13700000009", "role": Role.VIEWER},
        REMOTE_ADDR="10.61.8.25",
    )
    user = User.objects.get(username="xinyao_tw")

    entry = last_entry(user)
    assert entry.action == AuditAction.CREATE
    assert (entry.user, entry.ip, entry.org_path) == (world.county_a_admin, "10.61.8.25", world.township_a.path)
    assert entry.changes["用户名"] == ["", "xinyao_tw"] and entry.changes["角色"] == ["", "查看员"]
    assert entry.changes["所属组织"] == ["", "鱼河镇"]
    assert response.context["password"] not in str(entry.changes)
    assert not any("密码" in label for label in entry.changes)


def test_user_update_is_logged_with_readable_values(client_for, world):
    client_for(world.county_a_admin).post(
        f"/users/{world.county_a_viewer.pk}/",
        {"full_name": "李干事", "mobile": "", "role": Role.REPORTER, "version": world.county_a_viewer.version},
        REMOTE_ADDR="10.61.8.26",
    )

    entry = last_entry(world.county_a_viewer)
    assert entry.action == AuditAction.UPDATE and entry.ip == "10.61.8.26"
    assert entry.changes["姓名"] == ["county_a_viewer", "李干事"]
    assert entry.changes["角色"] == ["查看员", "填报员"]
    assert entry.changes["有效"] == ["是", "否"]


def test_login_is_not_logged_as_a_change(client, world):
    count = entries_for(world.county_a_admin).count()

    client.post("/login/", {"username": "county_a_admin", "password": "test-password-2014"})

    assert "_auth_user_id" in client.session
    assert entries_for(world.county_a_admin).count() == count


def test_ip_comes_from_remote_addr_not_a_forwarded_header(reporter, world):
    village = add_village(reporter, world, ip="10.61.8.27")
    reporter.post(f"/orgs/{village.pk}/edit/", {"name": "改名村团支部", "note": "", "version": village.version},
                  REMOTE_ADDR="10.61.8.28", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert last_entry(village).ip == "10.61.8.28"
