"""Reported figures stand until superseded (issue 12): an import dated D counts on D+1, D+30
and today; a ledger update after D supersedes it for that township from the update's day;
each row says which it used (provenance) and the figures of every reader agree."""
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from qingnong.ledger.models import WechatGroup
from qingnong.ledger.services.groups import snapshot_record
from qingnong.lib.dates import today
from qingnong.reports import importer
from qingnong.reports.progress import current_township_figures, progress_form
from qingnong.reports.tests import corpus as C

from conftest import A_GROUP

AS_OF = date(2014, 10, 31)  # the corpus sheet's 填报时间


def import_corpus(world):
    file = ContentFile(C.to_xlsx(C.progress_sheet()), name="附件3.xlsx")
    run = importer.import_preview(user=world.county_a_reporter, org=world.county_a, form_code="progress", file=file)
    return importer.import_confirm(user=world.county_a_reporter, run=run)


def rows_on(world, day):
    return {r["name"]: r for r in progress_form(world.county_a, as_of=day).rows}


def figures(row):
    return {k: row[k] for k in C.NUMERIC}


def test_an_import_counts_after_its_own_date(world):
    import_corpus(world)
    for day in (AS_OF, AS_OF + timedelta(days=1), AS_OF + timedelta(days=30), today()):
        rows = rows_on(world, day)
        name = "鼓楼街道"  # no ledger detail in the shared world: the report stands on any later day
        assert rows[name]["source"] == "import", day
        assert figures(rows[name]) == C.figures(C.TOWNSHIPS.index(name)), day
        assert rows[name]["provenance"] == "Excel 导入 2014-10-31"


def test_before_its_date_an_import_does_not_count(world):
    import_corpus(world)
    rows = rows_on(world, AS_OF - timedelta(days=1))
    assert {r["source"] for r in rows.values()} == {"ledger"}


def test_a_later_ledger_update_supersedes_the_report_for_its_township_only(world):
    import_corpus(world)
    group = WechatGroup.objects.get(name=A_GROUP)  # in 鱼河镇
    update = AS_OF + timedelta(days=5)
    snapshot_record(user=world.county_a_reporter, group=group, taken_on=update, counts={"home_farming": 41})
    before = rows_on(world, update - timedelta(days=1))
    assert before["鱼河镇"]["source"] == "import" and figures(before["鱼河镇"]) == C.figures(0)
    on = rows_on(world, update)
    assert on["鱼河镇"]["source"] == "ledger" and on["鱼河镇"]["home_farming"] == 41 and "provenance" not in on["鱼河镇"]
    assert on["鼓楼街道"]["source"] == "import"  # its report still stands


def test_the_import_analysis_compares_with_the_standing_figures(world):
    import_corpus(world)
    later = AS_OF + timedelta(days=10)
    standing = current_township_figures([world.county_a], as_of=later)
    by_name = {r["name"]: r for r in progress_form(world.county_a, as_of=later).rows}
    for row in by_name.values():
        assert standing[row["org"].pk]["source"] == row["source"]
        assert {k: standing[row["org"].pk][k] for k in C.NUMERIC} == figures(row)


def test_the_page_names_the_source_and_date(client_for, world):
    import_corpus(world)
    url = reverse("reports:progress", args=[world.county_a.pk]) + f"?as_of={AS_OF + timedelta(days=20)}"
    html = client_for(world.county_a_viewer).get(url).content.decode()
    assert "Excel 导入 2014-10-31" in html and "最近一次上报" in html


def import_sheet(world, rows=None, *, reported="2014年10月31日"):
    data = C.to_xlsx(C.progress_sheet(rows, reported=reported))
    run = importer.import_preview(user=world.county_a_reporter, org=world.county_a, form_code="progress",
                                  file=ContentFile(data, name="附件3.xlsx"))
    return importer.import_confirm(user=world.county_a_reporter, run=run)


def bumped(by):
    return [(name, {k: v + by for k, v in values.items()}) for name, values in C.base_rows()]


def test_a_second_import_of_the_same_date_stands_and_undoing_it_brings_back_the_first(world):
    first = import_sheet(world)
    second = import_sheet(world, bumped(3))
    assert figures(rows_on(world, AS_OF)["鼓楼街道"]) == {k: v + 3 for k, v in C.figures(1).items()}
    importer.import_withdraw(user=world.county_a_reporter, run=second)
    assert figures(rows_on(world, AS_OF)["鼓楼街道"]) == C.figures(1)
    importer.import_withdraw(user=world.county_a_reporter, run=first)
    assert {r["source"] for r in rows_on(world, AS_OF).values()} == {"ledger"}


def test_undoing_a_later_import_lets_the_earlier_one_stand_again(world):
    import_sheet(world)
    later = import_sheet(world, bumped(1), reported="2014年11月20日")
    day = date(2014, 11, 25)
    assert figures(rows_on(world, day)["金鸡滩镇"]) == {k: v + 1 for k, v in C.figures(2).items()}
    run = importer.import_withdraw(user=world.county_a_reporter, run=later)
    assert run.status == "withdrawn" and run.report.withdrawn_by == world.county_a_reporter
    row = rows_on(world, day)["金鸡滩镇"]
    assert figures(row) == C.figures(2) and row["provenance"] == "Excel 导入 2014-10-31"


def test_an_import_cannot_be_undone_twice_and_the_undo_is_in_the_log(world):
    from django.core.exceptions import ValidationError
    from qingnong.audit.models import AuditEntry
    run = import_sheet(world)
    importer.import_withdraw(user=world.county_a_reporter, run=run)
    with pytest.raises(ValidationError, match="只有已导入的附件3可以撤回"):
        importer.import_withdraw(user=world.county_a_reporter, run=run)
    entry = AuditEntry.objects.get(action="withdraw", object_id=world.county_a.pk)
    assert entry.user == world.county_a_reporter and f"导入记录 #{run.pk}" in entry.note


def test_undo_from_the_import_page(client_for, world):
    run = import_sheet(world)
    url = reverse("reports:import-withdraw", args=[run.pk])
    assert client_for(world.county_a_viewer).post(url).status_code == 403
    assert client_for(world.county_b_admin).post(url).status_code == 404
    page = client_for(world.county_a_reporter).get(reverse("reports:import-detail", args=[run.pk])).content.decode()
    assert 'data-testid="import-withdraw"' in page
    response = client_for(world.county_a_reporter).post(url, follow=True)
    html = response.content.decode()
    assert 'data-testid="import-withdrawn"' in html and 'data-testid="import-withdraw"' not in html
    assert {r["source"] for r in rows_on(world, AS_OF).values()} == {"ledger"}
