"""Preview writes nothing; confirm writes all rows in one transaction or none, once."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from qingnong.audit.models import AuditEntry
from qingnong.campaign.models import CountyPlan, PlanStatus
from qingnong.reports import importer
from qingnong.ledger.models import ProgressReport, ReportedProgress
from qingnong.reports.models import ImportRun, ImportStatus
from qingnong.reports.progress import progress_form
from qingnong.reports.tests import corpus as C

AS_OF = date(2014, 10, 31)


def upload(data, name="附件3.xlsx"):
    return ContentFile(data, name=name)


def preview(world, data=None, *, user=None, form_code="progress", **kwargs):
    data = data or C.to_xlsx(C.progress_sheet())
    return importer.import_preview(user=user or world.county_a_reporter, org=world.county_a, form_code=form_code,
                                   file=upload(data), **kwargs)


def reported(world):
    return {r.org.name: r for r in ReportedProgress.objects.filter(org__parent=world.county_a).select_related("org")}


def test_preview_keeps_the_file_and_writes_nothing_else(world):
    data = C.to_xlsx(C.progress_sheet())
    run = preview(world, data)
    assert run.status == ImportStatus.PREVIEWED and run.as_of == AS_OF and run.created_by == world.county_a_reporter
    assert run.file.read() == data and run.file_name == "附件3.xlsx"
    assert not ReportedProgress.objects.exists()
    assert [r["name"] for r in run.preview["rows"]] == C.TOWNSHIPS
    fish = run.preview["rows"][0]
    assert fish["current"]["branch_count"] == 0 and "branch_count" in fish["changed"]  # the ledger has no figures yet


def test_confirm_writes_every_township_for_the_date_and_logs_it(world):
    run = importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    assert run.status == ImportStatus.IMPORTED and run.rows_written == 3 and run.confirmed_at
    rows = reported(world)
    assert set(rows) == set(C.TOWNSHIPS)
    for i, name in enumerate(C.TOWNSHIPS):
        row, expected = rows[name], C.figures(i)
        assert row.as_of == AS_OF and row.report.import_run == run
        assert (row.branch_count, row.cadre_count, row.youth_count, row.group_count) == (
            expected["branch_count"], expected["cadre_count"], expected["youth_count"], expected["group_count"])
        assert all(row.figures[k] == expected[k] for k in row.figures)
    entry = AuditEntry.objects.get(action="import", object_id=world.county_a.pk, note__startswith="Excel 导入")
    assert "3 个乡镇" in entry.note and entry.user == world.county_a_reporter and entry.org_path == world.county_a.path


def test_the_form_shows_the_imported_figures_right_after(world):
    importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    form = progress_form(world.county_a, as_of=AS_OF)
    by_name = {r["name"]: r for r in form.rows}
    for i, name in enumerate(C.TOWNSHIPS):
        assert by_name[name]["source"] == "import"
        assert {k: by_name[name][k] for k in C.NUMERIC} == C.figures(i)


def test_confirming_twice_is_refused(world):
    run = importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    with pytest.raises(ValidationError, match="已经在 .* 导入过了"):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    assert ReportedProgress.objects.count() == 3


def test_a_run_with_errors_cannot_be_confirmed(world):
    run = preview(world, C.to_xlsx(C.progress_sheet(C.base_rows() + [("不存在乡", C.figures(4))])))
    assert run.status == ImportStatus.FAILED and run.errors
    with pytest.raises(ValidationError, match="还有错误"):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    assert not ReportedProgress.objects.exists()


def test_a_cancelled_run_cannot_be_confirmed(world):
    run = importer.import_cancel(user=world.county_a_reporter, run=preview(world))
    with pytest.raises(ValidationError, match="已取消"):
        importer.import_confirm(user=world.county_a_reporter, run=run)


def test_reimport_of_the_same_date_stands_over_the_first_which_is_kept(world):
    importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    rows = C.base_rows()
    rows[0] = (rows[0][0], {**rows[0][1], "group_count": 40})
    second = preview(world, C.to_xlsx(C.progress_sheet(rows)))
    fish = second.preview["rows"][0]
    assert fish["current_source"] == "import" and fish["changed"] == ["group_count"] and second.preview["counts"]["changed"] == 1
    importer.import_confirm(user=world.county_a_reporter, run=second)
    fish = next(r for r in progress_form(world.county_a, as_of=AS_OF).rows if r["name"] == "鱼河镇")
    assert fish["source"] == "import" and fish["group_count"] == 40
    # The first import's rows are kept (undoing the second brings them back), not overwritten.
    assert ReportedProgress.objects.count() == 6


def test_failure_mid_write_leaves_nothing_written(world, monkeypatch):
    first = importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    more = C.base_rows() + [("镇川镇", C.figures(7))]
    more[0] = (more[0][0], {**more[0][1], "youth_count": 999})
    run = preview(world, C.to_xlsx(C.progress_sheet(more)))

    def broken(*args, **kwargs):  # the report is created, then writing its rows fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReportedProgress.objects, "bulk_create", broken)  # after the report row is written
    with pytest.raises(RuntimeError):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    rows = reported(world)
    assert set(rows) == set(C.TOWNSHIPS) and rows["鱼河镇"].youth_count == C.figures(0)["youth_count"]
    assert all(r.report.import_run == first for r in rows.values())
    assert ProgressReport.objects.count() == 1 and ImportRun.objects.get(pk=run.pk).status == ImportStatus.PREVIEWED
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED and run.confirmed_at is None


def test_failure_in_the_audit_log_leaves_nothing_written(world, monkeypatch):
    run = preview(world)

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(importer.services, "audit_log", broken)
    with pytest.raises(RuntimeError):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    assert not ReportedProgress.objects.exists()
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.PREVIEWED


def test_a_township_deleted_after_preview_refuses_the_whole_import(world):
    from qingnong.org.models import Org

    run = preview(world)
    Org.objects.filter(name="金鸡滩镇").update(parent=world.county_b)
    with pytest.raises(ValidationError, match="组织树在预览之后有变化"):
        importer.import_confirm(user=world.county_a_reporter, run=run)
    assert not ReportedProgress.objects.exists()


def test_viewer_cannot_preview_or_confirm(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview(world, user=world.county_a_viewer)
    run = preview(world)
    with pytest.raises(PermissionDenied):
        importer.import_confirm(user=world.county_a_viewer, run=run)


def test_other_county_cannot_import_for_county_a(world):
    from django.http import Http404

    with pytest.raises(Http404):
        preview(world, user=world.county_b_admin)
    run = preview(world)
    with pytest.raises(Http404):
        importer.import_confirm(user=world.county_b_admin, run=run)


# ---------------------------------------------------------------- 附件1


def test_plan_import_saves_the_countys_draft_through_plan_save(world):
    run = preview(world, C.to_xlsx(C.plan_sheet()), user=world.county_a_admin, form_code="plan")
    assert run.status == ImportStatus.PREVIEWED, run.problems
    importer.import_confirm(user=world.county_a_admin, run=run)
    plan = CountyPlan.objects.get(org=world.county_a)
    assert plan.status == PlanStatus.DRAFT and plan.wechat_lead == "王五" and plan.account_type == "subscription"
    assert plan.planned_township_youth_groups == 320 and plan.filled_by == "李四"
    assert plan.history.first().history_user == world.county_a_admin


def test_plan_import_is_refused_once_submitted(world):
    from qingnong.campaign.services import plan_submit

    first = preview(world, C.to_xlsx(C.plan_sheet()), user=world.county_a_admin, form_code="plan")
    importer.import_confirm(user=world.county_a_admin, run=first)
    plan_submit(user=world.county_a_admin, plan=CountyPlan.objects.get(org=world.county_a))
    run = preview(world, C.to_xlsx(C.plan_sheet({"wechat_lead": "孙八"})), user=world.county_a_admin, form_code="plan")
    assert run.status == ImportStatus.FAILED
    assert any("已提交，不能再导入修改" in p["message"] for p in run.errors)


def test_plan_changed_by_someone_after_preview_is_a_conflict(world):
    from qingnong.campaign.services import plan_save

    first = preview(world, C.to_xlsx(C.plan_sheet()), user=world.county_a_admin, form_code="plan")
    importer.import_confirm(user=world.county_a_admin, run=first)
    plan = CountyPlan.objects.get(org=world.county_a)
    run = preview(world, C.to_xlsx(C.plan_sheet({"wechat_lead": "孙八"})), user=world.county_a_admin, form_code="plan")
    plan_save(user=world.county_a_reporter, campaign=plan.campaign, county=world.county_a, expected_version=plan.version,
              wechat_lead="周九")
    with pytest.raises(ValidationError, match="已被他人修改"):
        importer.import_confirm(user=world.county_a_admin, run=run)
    assert CountyPlan.objects.get(org=world.county_a).wechat_lead == "周九"


def test_an_implausible_figure_is_an_error_at_its_cell(world):
    """Issue 17: 99999 groups in one township is a typing error, not a figure to import."""
    rows = C.base_rows()
    rows[1] = (rows[1][0], {**rows[1][1], "group_count": 99999})
    run = preview(world, C.to_xlsx(C.progress_sheet(rows)))
    assert run.status == ImportStatus.FAILED
    (error,) = [p for p in run.errors if "99999" in p["message"]]
    sheet = C.progress_sheet(rows)
    assert error["cell"] == C.cell(sheet, "group_count", 1) and "上限 5000" in error["message"]
    rows[1] = (rows[1][0], {**rows[1][1], "group_count": 4999})  # a big township, still plausible
    assert preview(world, C.to_xlsx(C.progress_sheet(rows))).status == ImportStatus.PREVIEWED


def test_a_blank_cell_keeps_the_figure_that_stood_and_zero_is_zero(world):
    """Issue 17: import 7 and 5 for a township, then blank and 6: the blank keeps 7 (the
    preview says so), the 6 replaces 5; an explicit 0 is 0."""
    def with_cells(branch, cadre):
        rows = C.base_rows()
        rows[0] = (rows[0][0], {**rows[0][1], "branch_count": branch, "cadre_count": cadre})
        return C.to_xlsx(C.progress_sheet(rows))

    importer.import_confirm(user=world.county_a_reporter, run=preview(world, with_cells(7, 5)))
    second = preview(world, with_cells(None, 6))
    fish = second.preview["rows"][0]
    assert fish["blank"] == ["branch_count"] and fish["values"]["branch_count"] == 7 and fish["values"]["cadre_count"] == 6
    assert "branch_count" not in fish["changed"]
    importer.import_confirm(user=world.county_a_reporter, run=second)
    row = next(r for r in progress_form(world.county_a, as_of=AS_OF).rows if r["name"] == "鱼河镇")
    assert (row["branch_count"], row["cadre_count"]) == (7, 6)
    third = preview(world, with_cells(0, 6))
    assert third.preview["rows"][0]["values"]["branch_count"] == 0  # an explicit 0 is 0


def test_the_preview_shows_kept_and_invalid_cells_as_typed(client_for, world):
    rows = C.base_rows()
    rows[0] = (rows[0][0], {**rows[0][1], "branch_count": None, "cadre_count": "二十"})
    run = preview(world, C.to_xlsx(C.progress_sheet(rows)))
    html = client_for(world.county_a_reporter).get(f"/reports/imports/{run.pk}/").content.decode()
    assert "空 · 保留 0" in html  # nothing stood before: the ledger's 0
    assert ">二十<" in html and "0*" not in html


def test_only_the_townships_whose_figures_changed_are_updated_by_an_import(world):
    """Issue 17: after an Excel import every township showed 最近更新 that day, inflating
    填报及时率. A row that re-sends the figures that stood is kept, but is no update."""
    from datetime import timedelta

    from django.utils import timezone

    from qingnong.campaign.scorecard import completeness_windows, with_progress
    from qingnong.campaign.services import campaign_create_default
    from qingnong.ledger.models import ProgressReport
    from qingnong.lib.dates import today
    from qingnong.org.models import Org

    first = importer.import_confirm(user=world.county_a_reporter, run=preview(world))
    ten_days_ago = today() - timedelta(days=10)
    ProgressReport.objects.filter(pk=first.report_id).update(submitted_at=timezone.now() - timedelta(days=10))
    rows = C.base_rows()
    rows[0] = (rows[0][0], {**rows[0][1], "group_count": 40})  # only 鱼河镇 changes
    importer.import_confirm(user=world.county_a_reporter, run=preview(world, C.to_xlsx(C.progress_sheet(rows))))
    assert sorted(ReportedProgress.objects.filter(changed=True, report__submitted_at__date=today())
                  .values_list("org__name", flat=True)) == ["鱼河镇"]

    campaign = campaign_create_default(org=world.city, year=today().year)
    townships = list(Org.objects.filter(parent=world.county_a, name__in=C.TOWNSHIPS).order_by("name"))
    updated = {t.name: t.last_update for t in with_progress(townships, campaign=campaign, as_of=today())}
    assert updated == {"鱼河镇": today(), "鼓楼街道": ten_days_ago, "金鸡滩镇": ten_days_ago}
    # 填报及时率 over the last 7 days: one township of the county's, not all three.
    (week,) = completeness_windows(world.county_a, as_of=today(), windows=(7,))
    assert week[1] == 1
