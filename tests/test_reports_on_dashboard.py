"""Reported figures reach the dashboard (issue 12): where a township's 附件3 report stands,
its 团青 groups and youths reached replace the ledger's in its row and in the county's, on
the report's date and after it, until the ledger records members for that township again;
the row says which it used. Inspection and the assessment read the same with_progress."""
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import A_GROUP
from qingnong.campaign.models import Campaign
from qingnong.campaign.scorecard import with_progress
from qingnong.ledger.models import MEMBER_FIELD_NAMES, WechatGroup
from qingnong.ledger.services.groups import snapshot_record
from qingnong.org.models import Org, OrgLevel
from qingnong.reports import importer
from qingnong.reports.tests import corpus as C

AS_OF = date(2014, 10, 31)


def import_corpus(world):
    run = importer.import_preview(user=world.county_a_reporter, org=world.county_a, form_code="progress",
                                  file=ContentFile(C.to_xlsx(C.progress_sheet()), name="附件3.xlsx"))
    return importer.import_confirm(user=world.county_a_reporter, run=run)


def rows(world, day, *orgs):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    return {o.name: o for o in with_progress(list(orgs), campaign=campaign, as_of=day)}


def townships(world):
    return list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code"))


def test_a_standing_report_replaces_the_ledger_in_its_row_and_above(world):
    day = AS_OF + timedelta(days=20)
    county_before = rows(world, day, world.county_a)["榆阳区"].youth_groups
    before = {name: org.youth_groups for name, org in rows(world, day, *townships(world)).items()}
    import_corpus(world)
    after = rows(world, day, *townships(world))
    for i, name in enumerate(C.TOWNSHIPS):
        figures = C.figures(i)
        assert after[name].youth_groups == figures["group_count"]  # no 青农 group of these townships in the ledger
        assert after[name].youths_reached == sum(figures[k] for k in MEMBER_FIELD_NAMES)
        assert after[name].reported == "Excel 导入 2014-10-31"
    untouched = next(t.name for t in townships(world) if t.name not in C.TOWNSHIPS)
    assert after[untouched].youth_groups == before[untouched] and after[untouched].reported == ""
    change = sum(after[n].youth_groups - before[n] for n in C.TOWNSHIPS)
    assert change and rows(world, day, world.county_a)["榆阳区"].youth_groups == county_before + change


def test_before_its_date_the_ledger_counts(world):
    import_corpus(world)
    row = rows(world, AS_OF - timedelta(days=1), world.township_a)["鱼河镇"]
    assert row.reported == ""


def test_a_ledger_update_after_the_report_supersedes_it(world):
    import_corpus(world)
    update = AS_OF + timedelta(days=5)
    snapshot_record(user=world.county_a_reporter, group=WechatGroup.objects.get(name=A_GROUP), taken_on=update,
                    counts={"home_farming": 7})
    assert rows(world, update - timedelta(days=1), world.township_a)["鱼河镇"].reported
    row = rows(world, update, world.township_a)["鱼河镇"]
    assert row.reported == "" and row.youths_reached == 7


def test_the_dashboard_marks_the_reported_row(client_for, world):
    import_corpus(world)
    html = client_for(world.county_a_admin).get(
        reverse("campaign:dashboard", args=[world.county_a.pk]) + "?as_of=2014-11-20").content.decode()
    assert html.count('data-testid="reported"') == 3 and "Excel 导入 2014-10-31" in html


def test_standing_reports_cost_the_same_however_many_townships_report(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingnong.ledger.models import ReportSource
    from qingnong.ledger.services.reports import progress_report_record
    from qingnong.reports.progress import NUMERIC

    client = client_for(world.county_a_admin)
    url = reverse("campaign:dashboard", args=[world.county_a.pk]) + "?as_of=2014-11-20"

    def statements():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    import_corpus(world)  # three townships report
    few = statements()
    others = [t.pk for t in townships(world) if t.name not in C.TOWNSHIPS][:10]
    progress_report_record(user=world.county_a_admin, county=world.county_a, as_of=AS_OF, source=ReportSource.MANUAL,
                           rows={pk: dict.fromkeys(NUMERIC, 1) for pk in others})
    assert statements() == few  # thirteen townships report
