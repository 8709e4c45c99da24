"""Editing an org (/orgs/<id>/edit/): rename, note, and refusing edits of a stale copy."""
from django.test import Client

from qingnong.org.models import Org, OrgLevel
from qingnong.org.services import org_create_child

STALE = "该记录已被他人修改（您看到的是旧版本），请刷新页面后重新填写。"


def edit_url(org):
    return f"/orgs/{org.pk}/edit/"


def test_reporter_renames_a_village(client_for, world):
    client = client_for(world.township_a_reporter)
    version = client.get(edit_url(world.village_a)).context["form"].initial["version"]

    response = client.post(edit_url(world.village_a), {"name": "甲村团支部（新）", "note": "换届", "version": version})

    assert response.status_code == 302 and response["Location"] == f"/orgs/{world.village_a.pk}/"
    village = Org.objects.get(pk=world.village_a.pk)
    assert (village.name, village.note, village.version) == ("甲村团支部（新）", "换届", version + 1)


def test_stale_edit_is_refused_and_does_not_overwrite(client_for, world):
    first, second = client_for(world.township_a_reporter), Client()
    second.force_login(world.county_a_reporter)
    shown = first.get(edit_url(world.village_a)).context["form"].initial["version"]
    assert second.get(edit_url(world.village_a)).context["form"].initial["version"] == shown

    first.post(edit_url(world.village_a), {"name": "先保存的名称", "note": "", "version": shown})
    response = second.post(edit_url(world.village_a), {"name": "后保存的名称", "note": "覆盖", "version": shown})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STALE]
    assert STALE in response.content.decode()
    village = Org.objects.get(pk=world.village_a.pk)
    assert (village.name, village.note, village.version) == ("先保存的名称", "", shown + 1)


def test_edit_with_current_version_after_refresh_succeeds(client_for, world):
    client = client_for(world.township_a_reporter)
    client.post(edit_url(world.village_a), {"name": "第一次", "note": "", "version": 1})

    version = client.get(edit_url(world.village_a)).context["form"].initial["version"]
    client.post(edit_url(world.village_a), {"name": "第二次", "note": "", "version": version})

    assert Org.objects.get(pk=world.village_a.pk).name == "第二次"


def test_rename_to_a_sibling_name_is_refused(client_for, world):
    org_create_child(user=world.county_a_admin, parent=world.township_a, name="乙村团支部", level=OrgLevel.VILLAGE)
    client = client_for(world.township_a_reporter)

    response = client.post(edit_url(world.village_a), {"name": "乙村团支部", "note": "", "version": world.village_a.version})

    assert response.context["form"].errors["name"] == ["鱼河镇下已有名为“乙村团支部”的组织。"]
    assert Org.objects.get(pk=world.village_a.pk).name == world.village_a.name


def test_division_name_cannot_be_changed_but_note_can(client_for, world):
    client = client_for(world.county_a_admin)

    response = client.post(edit_url(world.township_a), {"name": "改名镇", "note": "镇团委书记：张三", "version": world.township_a.version})

    assert response.status_code == 302
    township = Org.objects.get(pk=world.township_a.pk)
    assert (township.name, township.note) == ("鱼河镇", "镇团委书记：张三")


def test_viewer_cannot_edit(client_for, world):
    response = client_for(world.county_a_viewer).post(edit_url(world.village_a), {"name": "查看员改名", "note": "", "version": 1})

    assert response.status_code == 403
    assert Org.objects.get(pk=world.village_a.pk).name == world.village_a.name


def test_other_county_admin_cannot_edit(client_for, world):
    response = client_for(world.county_b_admin).post(edit_url(world.village_a), {"name": "越界改名", "note": "", "version": 1})

    assert response.status_code == 404
    assert Org.objects.get(pk=world.village_a.pk).name == world.village_a.name
