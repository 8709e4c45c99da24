"""The 报表 page of an org, and the menu entry that leads to it."""
from django.urls import reverse


def test_menu_leads_to_own_org(client_for, world):
    response = client_for(world.county_a_viewer).get(reverse("reports:home"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:forms", kwargs={"org_id": world.county_a.pk})


def test_township_user_is_told_where_the_forms_are(client_for, world):
    response = client_for(world.township_a_reporter).get(reverse("reports:home"))
    assert response.status_code == 200 and "按县区填报" in response.content.decode()


def test_city_page_offers_the_workbook(client_for, world):
    body = client_for(world.city_admin).get(reverse("reports:forms", kwargs={"org_id": world.city.pk})).content.decode()
    assert "下载全市工作簿" in body and reverse("reports:progress-xlsx", kwargs={"org_id": world.city.pk}) in body


def test_org_page_links_the_forms(client_for, world):
    body = client_for(world.county_a_admin).get(reverse("portal:org-detail", kwargs={"org_id": world.county_a.pk})).content.decode()
    assert reverse("reports:forms", kwargs={"org_id": world.county_a.pk}) in body


def test_other_county_gets_404(client_for, world):
    assert client_for(world.county_b_admin).get(reverse("reports:forms", kwargs={"org_id": world.county_a.pk})).status_code == 404
