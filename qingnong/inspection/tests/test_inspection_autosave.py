"""The checklist's autosave endpoint: one field per POST, idempotent, safe against another
person's edit, and the plain form POST (no JavaScript) saving every field at once."""
from datetime import date

import pytest
from django.urls import reverse

from qingnong.accounts.models import Role, User
from qingnong.campaign.models import Campaign
from qingnong.inspection.models import Finding, Inspection, InspectionStatus, SpotCheck
from qingnong.inspection.services import inspections as services


@pytest.fixture
def checklist(world, client_for):
    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER)
    campaign = Campaign.objects.get(org=world.city, year=2014)
    round = services.round_create(user=world.city_admin, campaign=campaign, name="检查", starts_on=date(2014, 11, 20),
                                  ends_on=date(2014, 11, 30), inspectors={world.county_a.pk: inspector})
    inspection = Inspection.objects.get(round=round, org=world.county_a)
    finding = inspection.findings.get(item="groups")
    return world, inspector, inspection, finding


def save(client, inspection, target, value, version):
    return client.post(reverse("inspection:inspection-autosave", kwargs={"inspection_id": inspection.pk}),
                       {"target": target, "value": value, "version": version}, HTTP_ACCEPT="application/json")


def test_a_field_is_saved_and_the_version_returned(client_for, checklist):
    world, inspector, inspection, finding = checklist
    response = save(client_for(inspector), inspection, f"finding-{finding.pk}-comment", "群已建成，部分未活跃", finding.version)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "changed": True, "version": finding.version + 1}
    finding.refresh_from_db()
    assert finding.comment == "群已建成，部分未活跃"
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.IN_PROGRESS


def test_a_retried_save_changes_nothing(client_for, checklist):
    world, inspector, inspection, finding = checklist
    client = client_for(inspector)
    first = save(client, inspection, f"finding-{finding.pk}-verdict", "mostly", finding.version)
    again = save(client, inspection, f"finding-{finding.pk}-verdict", "mostly", finding.version)  # the answer was lost
    assert first.status_code == again.status_code == 200
    assert again.json()["changed"] is False and again.json()["version"] == first.json()["version"]
    assert Finding.history.filter(id=finding.pk).count() == 2  # created + one change


def test_own_later_edit_on_an_old_version_is_saved(client_for, checklist):
    """Offline: the first save went through but its answer was lost; the inspector typed on."""
    world, inspector, inspection, finding = checklist
    client = client_for(inspector)
    save(client, inspection, f"finding-{finding.pk}-comment", "群已", finding.version)
    response = save(client, inspection, f"finding-{finding.pk}-comment", "群已建成", finding.version)
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.comment == "群已建成"


def test_someone_elses_edit_is_not_overwritten(client_for, checklist):
    world, inspector, inspection, finding = checklist
    save(client_for(world.city_admin), inspection, f"finding-{finding.pk}-comment", "市管理员的意见", finding.version)
    response = save(client_for(inspector), inspection, f"finding-{finding.pk}-comment", "检查人的意见", finding.version)
    assert response.status_code == 409
    assert response.json()["value"] == "市管理员的意见" and response.json()["version"] == finding.version + 1
    finding.refresh_from_db()
    assert finding.comment == "市管理员的意见"
    # Seen the newer version: the inspector may now change it.
    assert save(client_for(inspector), inspection, f"finding-{finding.pk}-comment", "检查人的意见", finding.version).status_code == 200


def test_bad_values_and_targets_are_refused(client_for, checklist):
    world, inspector, inspection, finding = checklist
    client = client_for(inspector)
    assert save(client, inspection, f"finding-{finding.pk}-verdict", "great", finding.version).status_code == 400
    assert save(client, inspection, "finding-999999-comment", "x", 1).status_code == 400
    assert save(client, inspection, f"finding-{finding.pk}-response", "x", finding.version).status_code == 400  # the county's field


def test_nothing_changes_after_submit(client_for, checklist):
    world, inspector, inspection, finding = checklist
    for f in inspection.findings.all():
        save(client_for(inspector), inspection, f"finding-{f.pk}-verdict", "met", f.version)
    services.inspection_submit(user=inspector, inspection=inspection)
    response = save(client_for(inspector), inspection, f"finding-{finding.pk}-comment", "迟到的意见", "")
    assert response.status_code == 400 and "已提交" in response.json()["message"]


def test_spot_checks_and_summary_autosave(client_for, checklist):
    world, inspector, inspection, finding = checklist
    client = client_for(inspector)
    response = client.post(reverse("inspection:spot-check-add", kwargs={"inspection_id": inspection.pk}),
                           {"question": "该群存在且活跃", "passed": "", "note": ""})
    assert response.status_code == 302
    spot = SpotCheck.objects.get(inspection=inspection)
    assert save(client, inspection, f"spot-{spot.pk}-passed", "no", spot.version).status_code == 200
    assert save(client, inspection, f"spot-{spot.pk}-note", "群主已离职", spot.version).status_code == 200
    assert save(client, inspection, "inspection-summary", "总体较好", inspection.version).status_code == 200
    spot.refresh_from_db()
    assert spot.passed is False and spot.note == "群主已离职"
    assert Inspection.objects.get(pk=inspection.pk).summary == "总体较好"


def test_a_spot_check_group_must_be_the_countys(client_for, checklist):
    from qingnong.ledger.models import GroupKind, WechatGroup

    world, inspector, inspection, finding = checklist
    b_group = WechatGroup.objects.create(org=world.township_b, name="乙县群", kind=GroupKind.YOUTH)
    client_for(inspector).post(reverse("inspection:spot-check-add", kwargs={"inspection_id": inspection.pk}),
                               {"question": "该群存在", "group": b_group.pk})
    assert not SpotCheck.objects.filter(inspection=inspection).exists()


def test_the_plain_form_saves_every_field_without_javascript(client_for, checklist):
    world, inspector, inspection, finding = checklist
    data = {"v-inspection": inspection.version, "inspection-summary": "无脚本也能保存"}
    for f in inspection.findings.all():
        data.update({f"v-finding-{f.pk}": f.version, f"finding-{f.pk}-verdict": "met", f"finding-{f.pk}-comment": f"意见{f.item}"})
    response = client_for(inspector).post(reverse("inspection:inspection-checklist", kwargs={"inspection_id": inspection.pk}), data)
    assert response.status_code == 302
    assert set(inspection.findings.values_list("verdict", flat=True)) == {"met"}
    assert Inspection.objects.get(pk=inspection.pk).summary == "无脚本也能保存"
    page = client_for(inspector).get(response["Location"]).content.decode()
    assert "已保存" in page and "意见groups" in page


def test_someone_elses_edit_of_another_field_is_no_conflict(client_for, checklist):
    world, inspector, inspection, finding = checklist
    save(client_for(world.city_admin), inspection, f"finding-{finding.pk}-verdict", "met", finding.version)
    response = save(client_for(inspector), inspection, f"finding-{finding.pk}-comment", "检查人的意见", finding.version)
    assert response.status_code == 200
    finding.refresh_from_db()
    assert (finding.verdict, finding.comment) == ("met", "检查人的意见")


def test_the_spot_check_group_picker_groups_by_township(client_for, checklist):
    """Issue 18: the county's groups come under their township's <optgroup>, and a group of
    another county posted anyway is refused."""
    from conftest import A_GROUP
    from qingnong.ledger.models import GroupKind, WechatGroup

    world, inspector, inspection, finding = checklist
    other = WechatGroup.objects.create(org=world.township_b, name="乙县抽查群", kind=GroupKind.YOUTH)
    client = client_for(inspector)
    page = client.get(reverse("inspection:inspection-checklist", kwargs={"inspection_id": inspection.pk})).content.decode()
    assert f'<optgroup label="{world.township_a.name}">' in page and A_GROUP in page and other.name not in page
    response = client.post(reverse("inspection:spot-check-add", kwargs={"inspection_id": inspection.pk}),
                           {"group": other.pk, "question": "该群存在且活跃", "passed": "", "note": ""})
    assert response.status_code == 302 and not SpotCheck.objects.filter(inspection=inspection).exists()  # refused, said on the page
