"""Township figures pages: a township's history and form, the county's list of townships'
latest figures in one query, the conflict, and scope."""
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.ledger.models import TownshipFigures
from qingnong.ledger.services.figures import figures_record
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel


def url(org, query=""):
    return f"/ledger/orgs/{org.pk}/figures/{query}"


def data(**overrides):
    return {"as_of": "2014-10-01", "branch_count": "18", "cadre_count": "40", "youth_count": "1200",
            "version": "", "version_of": "", **overrides}


def test_township_reporter_records_and_sees_the_history(client_for, world):
    client = client_for(world.township_a_reporter)
    assert client.get(url(world.township_a)).status_code == 200
    response = client.post(url(world.township_a), data())
    assert response.status_code == 302
    client.post(url(world.township_a), data(as_of="2014-11-01", youth_count="1250"))

    body = client.get(url(world.township_a)).content.decode()
    assert "2014-11-01" in body and "2014-10-01" in body and "1250" in body
    figures = TownshipFigures.objects.get(as_of=date(2014, 11, 1))
    assert figures.entered_by == world.township_a_reporter and figures.org == world.township_a


@pytest.mark.parametrize("field,value,error", [("cadre_count", "-3", "团干部数：不能为负数。"),
                                               ("youth_count", "12.5", "团员青年数：请输入整数。"),
                                               ("branch_count", "十二", "团支部数：请输入整数。")])
def test_bad_numbers_are_shown_next_to_the_field(client_for, world, field, value, error):
    response = client_for(world.township_a_reporter).post(url(world.township_a), data(**{field: value}))
    assert response.status_code == 200 and error in response.content.decode()


def test_future_date_is_shown_next_to_the_field(client_for, world):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = client_for(world.township_a_reporter).post(url(world.township_a), data(as_of=tomorrow))
    assert "统计日期：统计日期不能晚于今天。" in response.content.decode()


def test_editing_a_date_prefills_it_with_its_version(client_for, world):
    figures_record(user=world.county_a_admin, org=world.township_a, as_of=date(2014, 10, 1), branch_count=18,
                   cadre_count=40, youth_count=1200)
    client = client_for(world.township_a_reporter)
    form = client.get(url(world.township_a, "?as_of=2014-10-01")).context["form"]
    assert form.initial["youth_count"] == 1200 and form.initial["version"] == 1

    assert client.post(url(world.township_a), data(youth_count="1300", version="1", version_of="2014-10-01")).status_code == 302
    assert TownshipFigures.objects.get().youth_count == 1300


def test_conflict_shows_both_versions_and_saving_again_keeps_yours(client_for, world):
    client = client_for(world.township_a_reporter)
    client.get(url(world.township_a))  # the reporter opens the form: no figures for 10-01 yet
    figures_record(user=world.county_a_admin, org=world.township_a, as_of=date(2014, 10, 1), branch_count=20,
                   cadre_count=41, youth_count=1500)

    response = client.post(url(world.township_a), data())
    body = response.content.decode()
    assert response.status_code == 200 and "2014-10-01 已有数据，与您看到的不同" in body
    assert "<td>1200</td><td>1500</td>" in body.replace(" ", "").replace("\n", "")
    assert TownshipFigures.objects.get().youth_count == 1500
    assert response.context["form"].data["version"] == 1

    again = dict(data(), version="1", version_of="2014-10-01")
    assert client.post(url(world.township_a), again).status_code == 302
    assert TownshipFigures.objects.get().youth_count == 1200


def test_changing_the_date_after_opening_an_edit_does_not_carry_the_version(client_for, world):
    figures_record(user=world.county_a_admin, org=world.township_a, as_of=date(2014, 11, 1), branch_count=20,
                   cadre_count=41, youth_count=1500)
    figures_record(user=world.county_a_admin, org=world.township_a, as_of=date(2014, 10, 1), branch_count=20,
                   cadre_count=41, youth_count=1500)
    # Opened 10-01 (version 1), then changed the date to 11-01 which also has a version 1.
    response = client_for(world.township_a_reporter).post(url(world.township_a), data(as_of="2014-11-01", version="1",
                                                                                       version_of="2014-10-01"))
    assert response.status_code == 200 and "已有数据" in response.content.decode()


def test_county_lists_its_townships_latest_figures(client_for, world):
    township_2 = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).exclude(pk=world.township_a.pk).first()
    for as_of, youths in [(date(2014, 9, 1), 900), (date(2014, 11, 1), 1300), (date(2014, 10, 1), 1100)]:
        figures_record(user=world.county_a_admin, org=world.township_a, as_of=as_of, branch_count=18, cadre_count=40,
                       youth_count=youths)
    figures_record(user=world.county_a_admin, org=township_2, as_of=date(2014, 10, 15), branch_count=7, cadre_count=9,
                   youth_count=300)
    response = client_for(world.county_a_viewer).get(url(world.county_a))
    rows = {r.name: r for r in response.context["rows"]}

    assert rows[world.township_a.name].youth_count == 1300 and rows[world.township_a.name].as_of == date(2014, 11, 1)
    assert rows[township_2.name].youth_count == 300
    assert response.context["totals"]["youth_count"] == 1600
    assert response.context["missing"] == len(rows) - 2
    assert "未填报" in response.content.decode()
    assert world.township_b.name not in rows


def test_county_page_queries_do_not_grow_with_townships(client_for, world):
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code")[:20])
    assert len(townships) == 20
    client = client_for(world.county_a_admin)

    def fill(orgs, day):
        TownshipFigures.objects.bulk_create([TownshipFigures(org=t, as_of=day, branch_count=i, cadre_count=i, youth_count=i * 10)
                                             for i, t in enumerate(orgs)])

    fill(townships[:3], date(2014, 9, 1))
    client.get(url(world.county_a))
    with CaptureQueriesContext(connection) as few:
        client.get(url(world.county_a))
    fill(townships, date(2014, 10, 1))
    fill(townships, date(2014, 11, 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world.county_a))
    assert len(many) == len(few)
    assert sum(1 for r in response.context["rows"] if r.as_of == date(2014, 11, 1)) == 20
    latest = [q["sql"] for q in many.captured_queries if "ledger_townshipfigures" in q["sql"]]
    assert len(latest) == 1  # the townships and their latest figures: one statement


def test_township_page_queries_do_not_grow_with_history(client_for, world):
    client = client_for(world.township_a_reporter)
    for i in range(3):
        TownshipFigures.objects.create(org=world.township_a, as_of=date(2014, 7, 1) + timedelta(days=i), branch_count=1,
                                       cadre_count=1, youth_count=1, entered_by=world.county_a_admin)
    client.get(url(world.township_a))
    with CaptureQueriesContext(connection) as few:
        client.get(url(world.township_a))
    for i in range(3, 20):
        TownshipFigures.objects.create(org=world.township_a, as_of=date(2014, 7, 1) + timedelta(days=i), branch_count=1,
                                       cadre_count=1, youth_count=1, entered_by=world.township_a_reporter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world.township_a))
    assert len(many) == len(few) and len(response.context["page"]) == 20


def test_city_page_lists_counties_and_village_page_points_to_its_township(client_for, world):
    body = client_for(world.city_admin).get(url(world.city)).content.decode()
    assert f"{world.county_a.name}各乡镇" in body and f"{world.county_b.name}各乡镇" in body
    body = client_for(world.county_a_admin).get(url(world.village_a)).content.decode()
    assert f"查看{world.township_a.name}的基础数据" in body


def test_viewer_sees_but_cannot_post(client_for, world):
    client = client_for(world.county_a_viewer)
    body = client.get(url(world.township_a)).content.decode()
    assert "<form method=\"post\" action=\"/ledger/orgs/" not in body
    assert client.post(url(world.township_a), data()).status_code == 403
    assert not TownshipFigures.objects.exists()


def test_other_county_gets_404(client_for, world):
    figures_record(user=world.county_a_admin, org=world.township_a, as_of=date(2014, 10, 1), branch_count=18,
                   cadre_count=40, youth_count=1200)
    client = client_for(world.county_b_admin)
    assert client.get(url(world.township_a)).status_code == 404
    assert client.post(url(world.township_a), data()).status_code == 404
    assert client.get(url(world.county_a)).status_code == 404
    assert world.township_a.name not in client.get(url(world.county_b)).content.decode()


def test_township_page_links_to_the_county_only_when_in_scope(client_for, world):
    county_link = f'href="/ledger/orgs/{world.county_a.pk}/figures/"'
    assert county_link not in client_for(world.township_a_reporter).get(url(world.township_a)).content.decode()
    assert county_link in client_for(world.county_a_viewer).get(url(world.township_a)).content.decode()
