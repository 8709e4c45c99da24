"""Who sees and changes an inspection: the county never sees another county's inspection or
an unpublished one (404); only the assigned inspector or a city admin fills in the checklist;
only the city admin publishes; only the county answers its findings."""
from datetime import date

import pytest
from django.urls import reverse

from qingnong.accounts.models import Role, User
from qingnong.campaign.models import Campaign
from qingnong.inspection.models import Inspection, InspectionStatus, Verdict
from qingnong.inspection.services import inspections as services


@pytest.fixture
def setup(world):
    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER, full_name="检查员甲")
    other = User.objects.create(username="city_other", org=world.city, role=Role.REPORTER)
    campaign = Campaign.objects.get(org=world.city, year=2014)
    round = services.round_create(user=world.city_admin, campaign=campaign, name="2014年检查验收",
                                  starts_on=date(2014, 11, 20), ends_on=date(2014, 11, 30),
                                  inspectors={world.county_a.pk: inspector, world.county_b.pk: other})
    a = Inspection.objects.get(round=round, org=world.county_a)
    b = Inspection.objects.get(round=round, org=world.county_b)
    return world, inspector, other, a, b


def finish(inspection, user):
    for finding in inspection.findings.all():
        services.checklist_field_save(user=user, inspection=inspection, target=f"finding-{finding.pk}-verdict",
                                      value=Verdict.MET, expected_version=finding.version)
    services.inspection_submit(user=user, inspection=inspection)
    return Inspection.objects.get(pk=inspection.pk)


def url(name, inspection):
    return reverse(f"inspection:{name}", kwargs={"inspection_id": inspection.pk})


def test_county_does_not_see_its_unpublished_inspection(client_for, setup):
    world, inspector, _, a, _ = setup
    client = client_for(world.county_a_admin)
    assert client.get(url("inspection-detail", a)).status_code == 404
    assert client.get(url("inspection-docx", a)).status_code == 404
    assert "2014年检查验收" not in client.get(reverse("inspection:home")).content.decode()
    finish(a, inspector)  # submitted, still not published
    assert client.get(url("inspection-detail", a)).status_code == 404


def test_county_sees_it_once_published_and_answers(client_for, setup):
    world, inspector, _, a, _ = setup
    a = finish(a, inspector)
    services.inspection_publish(user=world.city_admin, inspection=a)
    client = client_for(world.county_a_reporter)
    page = client.get(url("inspection-detail", a))
    assert page.status_code == 200 and "回复整改情况" in page.content.decode()
    finding = a.findings.first()
    response = client.post(url("finding-respond", a), {"finding": finding.pk, "response": "已补建 3 个群", "version": finding.version})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.response == "已补建 3 个群" and finding.responded_at
    assert "已补建 3 个群" in client.get(url("inspection-detail", a)).content.decode()


def test_other_county_never_sees_it_even_published(client_for, setup):
    world, inspector, _, a, _ = setup
    a = finish(a, inspector)
    services.inspection_publish(user=world.city_admin, inspection=a)
    client = client_for(world.county_b_admin)
    for name in ("inspection-detail", "inspection-docx", "inspection-checklist"):
        assert client.get(url(name, a)).status_code == 404
    response = client.post(url("finding-respond", a), {"finding": a.findings.first().pk, "response": "冒充"})
    assert response.status_code == 404
    assert a.findings.filter(response="冒充").count() == 0


def test_only_the_assigned_inspector_or_the_city_admin_fills_the_checklist(client_for, setup):
    world, inspector, other, a, b = setup
    assert client_for(inspector).get(url("inspection-checklist", a)).status_code == 200
    assert client_for(inspector).get(url("inspection-checklist", b)).status_code == 403
    assert client_for(world.city_admin).get(url("inspection-checklist", a)).status_code == 200
    finding = a.findings.first()
    response = client_for(other).post(url("inspection-autosave", a), {"target": f"finding-{finding.pk}-comment", "value": "x"},
                                      HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert client_for(world.county_a_admin).get(url("inspection-checklist", a)).status_code == 404  # unpublished


def test_only_a_city_admin_publishes_a_completed_inspection(client_for, setup):
    world, inspector, _, a, _ = setup
    client_for(world.city_admin).post(url("inspection-publish", a))
    assert Inspection.objects.get(pk=a.pk).status == InspectionStatus.ASSIGNED  # not completed yet: refused
    a = finish(a, inspector)
    assert client_for(inspector).post(url("inspection-publish", a)).status_code == 403
    assert client_for(world.city_admin).post(url("inspection-publish", a)).status_code == 302
    a.refresh_from_db()
    assert a.status == InspectionStatus.PUBLISHED and a.published_at


def test_submit_needs_every_verdict(setup):
    from django.core.exceptions import ValidationError

    world, inspector, _, a, _ = setup
    with pytest.raises(ValidationError, match="请先给出结论"):
        services.inspection_submit(user=inspector, inspection=a)


def test_county_cannot_answer_before_publishing(setup):
    from django.core.exceptions import ValidationError

    world, inspector, _, a, _ = setup
    a = finish(a, inspector)
    with pytest.raises(ValidationError):
        services.finding_respond(user=world.county_a_admin, finding=a.findings.first(), response="提前回复")


def test_the_city_lists_rounds_and_the_county_only_its_published_result(client_for, setup):
    world, inspector, _, a, _ = setup
    body = client_for(world.city_admin).get(reverse("inspection:home")).content.decode()
    assert "2014年检查验收" in body and "榆阳区" in body and "横山区" in body
    mine = client_for(inspector).get(reverse("inspection:home")).content.decode()
    assert "我的待检查" in mine and url("inspection-checklist", a) in mine
    a = finish(a, inspector)
    services.inspection_publish(user=world.city_admin, inspection=a)
    body = client_for(world.county_a_viewer).get(reverse("inspection:home")).content.decode()
    assert "2014年检查验收" in body and "横山区" not in body


def test_inspection_photo_follows_the_inspection(client_for, setup):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    world, inspector, _, a, _ = setup
    png = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(png, "PNG")
    finding = a.findings.first()
    response = client_for(inspector).post(url("photo-add", a), {"finding": finding.pk,
                                          "photos": SimpleUploadedFile("p.png", png.getvalue(), "image/png")})
    assert response.status_code == 302
    photo = a.photos.get()
    assert photo.finding == finding and photo.image.name.endswith(".jpg")
    photo_url = reverse("inspection:photo", kwargs={"inspection_photo_id": photo.pk})
    assert client_for(world.city_admin).get(photo_url).status_code == 200
    assert client_for(world.county_a_admin).get(photo_url).status_code == 404  # not published
    assert client_for(world.county_b_admin).get(photo_url).status_code == 404
