"""The city admin starts a round from the page and assigns inspectors; a county cannot."""
from datetime import date

from django.urls import reverse

from qingnong.accounts.models import Role, User
from qingnong.inspection.models import Inspection, InspectionRound


def test_city_admin_starts_a_round_with_inspectors(client_for, world):
    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER)
    client = client_for(world.city_admin)
    page = client.get(reverse("inspection:round-create"))
    assert page.status_code == 200 and "榆阳区检查人" in page.content.decode()
    response = client.post(reverse("inspection:round-create"), {
        "name": "2014年11月检查", "starts_on": "2014-11-20", "ends_on": "2014-11-30",
        f"inspector_{world.county_a.pk}": inspector.pk})
    round = InspectionRound.objects.get(name="2014年11月检查")
    assert response.status_code == 302 and response["Location"] == reverse("inspection:round-detail", kwargs={"round_id": round.pk})
    a = Inspection.objects.get(round=round, org=world.county_a)
    assert a.inspector == inspector and a.findings.count() == 4
    assert Inspection.objects.get(round=round, org=world.county_b).inspector is None
    body = client.get(response["Location"]).content.decode()
    assert "榆阳区" in body and "横山区" in body


def test_dates_in_order(client_for, world):
    response = client_for(world.city_admin).post(reverse("inspection:round-create"), {
        "name": "倒过来", "starts_on": "2014-11-30", "ends_on": "2014-11-20"})
    assert response.status_code == 200 and not InspectionRound.objects.filter(name="倒过来").exists()


def test_reassigning_and_redating_retakes_the_figures(client_for, world):
    from qingnong.campaign.models import Campaign
    from qingnong.inspection.services.inspections import round_create

    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER)
    round = round_create(user=world.city_admin, campaign=Campaign.objects.get(org=world.city, year=2014), name="检查",
                         starts_on=date(2014, 10, 1), ends_on=date(2014, 11, 30))
    a = Inspection.objects.get(round=round, org=world.county_a)
    before = a.findings.get(item="messages").figures["total"]
    response = client_for(world.city_admin).post(reverse("inspection:inspection-assign", kwargs={"inspection_id": a.pk}), {
        f"i{a.pk}-inspector": inspector.pk, f"i{a.pk}-inspected_on": "2014-11-20"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.inspector == inspector and a.inspected_on == date(2014, 11, 20)
    assert (before, a.findings.get(item="messages").figures["total"]) == (0, 5)  # the 2014-10-06 messages now count


def test_a_county_admin_cannot_start_a_round(client_for, world):
    response = client_for(world.county_a_admin).post(reverse("inspection:round-create"), {
        "name": "县里自己查", "starts_on": "2014-11-20", "ends_on": "2014-11-30"})
    assert response.status_code == 302 and not InspectionRound.objects.filter(name="县里自己查").exists()


def test_the_inspector_retakes_the_figures_before_submitting(client_for, world):
    from qingnong.campaign.models import Campaign
    from qingnong.inspection.services.inspections import round_create
    from qingnong.ledger.models import GroupKind, WechatGroup

    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER)
    round = round_create(user=world.city_admin, campaign=Campaign.objects.get(org=world.city, year=2014), name="检查",
                         starts_on=date(2014, 11, 20), ends_on=date(2014, 11, 30), inspectors={world.county_a.pk: inspector})
    a = Inspection.objects.get(round=round, org=world.county_a)
    WechatGroup.objects.create(org=world.township_a, name="补建的群", kind=GroupKind.YOUTH, founded_on=date(2014, 11, 15))
    url = reverse("inspection:figures-refresh", kwargs={"inspection_id": a.pk})
    assert client_for(world.county_a_admin).post(url).status_code == 404  # not published: not even there
    assert client_for(inspector).post(url).status_code == 302
    assert a.findings.get(item="groups").figures["youth_groups"] == 2
