"""The 修改历史 of one record (/history/<model>/<id>/)."""
from qingnong.audit.models import AuditAction


def test_org_history_lists_that_orgs_changes_oldest_last(client_for, world):
    client = client_for(world.township_a_reporter)
    client.post(f"/orgs/{world.village_a.pk}/edit/", {"name": "甲村团支部一改", "note": "", "version": world.village_a.version})
    client.post(f"/orgs/{world.village_a.pk}/edit/", {"name": "甲村团支部二改", "note": "", "version": world.village_a.version + 1})

    response = client.get(f"/history/org/{world.village_a.pk}/")

    assert response.status_code == 200
    entries = list(response.context["page"])
    assert {e.object_id for e in entries} == {world.village_a.pk}
    assert [e.changes.get("名称") for e in entries[:2]] == [["甲村团支部一改", "甲村团支部二改"], [world.village_a.name, "甲村团支部一改"]]
    assert entries[-1].action == AuditAction.CREATE
    body = response.content.decode()
    assert "甲村团支部二改" in body and "修改前" in body


def test_org_history_leaves_out_other_records(client_for, world):
    client = client_for(world.county_a_admin)
    client.post(f"/orgs/{world.township_a.pk}/edit/", {"name": "鱼河镇", "note": "镇备注", "version": world.township_a.version})

    response = client.get(f"/history/org/{world.village_a.pk}/")

    assert "镇备注" not in response.content.decode()
    assert all(e.object_id == world.village_a.pk for e in response.context["page"])


def test_user_history_shows_role_change(client_for, world):
    client = client_for(world.county_a_admin)
    client.post(f"/users/{world.county_a_viewer.pk}/", {"full_name": "county_a_viewer", "role": "reporter", "is_active": "on",
                                                      "version": world.county_a_viewer.version})

    response = client.get(f"/history/user/{world.county_a_viewer.pk}/")

    assert response.status_code == 200
    assert response.context["page"][0].changes == {"角色": ["查看员", "填报员"]}
    assert "填报员" in response.content.decode()


def test_deleted_org_history_is_still_reachable(client_for, world):
    client = client_for(world.township_a_reporter)
    client.post(f"/orgs/{world.village_a.pk}/delete/")

    response = client.get(f"/history/org/{world.village_a.pk}/")

    assert response.status_code == 200
    assert response.context["page"][0].action == AuditAction.DELETE


def test_other_county_gets_404(client_for, world):
    client = client_for(world.county_b_admin)

    assert client.get(f"/history/org/{world.village_a.pk}/").status_code == 404
    assert client.get(f"/history/user/{world.township_a_reporter.pk}/").status_code == 404


def test_unknown_model_key_gets_404(client_for, world):
    response = client_for(world.city_admin).get(f"/history/session/{world.village_a.pk}/")

    assert response.status_code == 404
