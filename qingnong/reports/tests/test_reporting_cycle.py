"""附件3 报送 (issue 12): a township submits, the county returns it with a reason, the township
resubmits, the county approves; the county submits to the city, which approves; the period
locks; an unlock is audited. An Excel import is the county's submission of its rows."""
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qingnong.audit.models import AuditEntry
from qingnong.campaign import submissions
from qingnong.campaign.models import ProgressSubmission, ReportingPeriod, SubmissionStatus
from qingnong.org.models import Org, OrgLevel
from qingnong.reports import importer
from qingnong.reports.progress import NUMERIC, progress_form
from qingnong.reports.tests import corpus as C


@pytest.fixture
def period(world):
    return ReportingPeriod.objects.get(campaign__org=world.city, campaign__year=2014, starts_on=date(2014, 10, 1))


def row_figures(township, period):
    row = next(r for r in progress_form(township.parent, as_of=period.ends_on, start=period.starts_on).rows
               if r["org"].pk == township.pk)
    return {k: row[k] for k in NUMERIC}


def submit(world, period):
    return submissions.township_submit(user=world.township_a_reporter, period=period, township=world.township_a,
                                       figures=row_figures(world.township_a, period))


def approve_other_townships(world, period):
    others = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).exclude(pk=world.township_a.pk)
    ProgressSubmission.objects.bulk_create([
        ProgressSubmission(period=period, org=t, status=SubmissionStatus.APPROVED, submitted_at=timezone.now()) for t in others])


def test_the_monthly_periods_of_the_2014_plan(world, period):
    periods = list(ReportingPeriod.objects.filter(campaign=period.campaign).values_list("starts_on", "ends_on", "due_on"))
    assert periods[0] == (date(2014, 7, 1), date(2014, 7, 31), date(2014, 8, 5))
    assert periods[-1] == (date(2014, 11, 1), date(2014, 11, 30), date(2014, 12, 5))
    assert len(periods) == 5 and period.label == "2014年10月"


def test_the_whole_cycle_up_to_the_city(world, period):
    first = submit(world, period)
    assert first.status == SubmissionStatus.SUBMITTED and first.is_late  # 2026 is long past 2014-11-05
    with pytest.raises(ValidationError, match="已提交"):
        submit(world, period)
    returned = submissions.submission_return(user=world.county_a_admin, submission=first, reason="团员青年数与台帐不符")
    assert returned.status == SubmissionStatus.RETURNED and returned.return_reason == "团员青年数与台帐不符"
    again = submit(world, period)
    assert again.pk == first.pk and again.status == SubmissionStatus.SUBMITTED and again.return_reason == ""
    approved = submissions.submission_approve(user=world.county_a_admin, submission=again)
    with pytest.raises(ValidationError, match="已锁定"):
        submit(world, period)
    with pytest.raises(ValidationError, match="未审核通过"):
        submissions.county_submit(user=world.county_a_admin, period=period, county=world.county_a)
    approve_other_townships(world, period)
    county = submissions.county_submit(user=world.county_a_reporter, period=period, county=world.county_a)
    with pytest.raises(PermissionDenied):  # the county does not review itself; the city does
        submissions.submission_approve(user=world.county_a_admin, submission=county)
    county = submissions.submission_approve(user=world.city_admin, submission=county)
    assert county.status == SubmissionStatus.APPROVED
    with pytest.raises(ValidationError, match="已锁定"):
        submissions.county_submit(user=world.county_a_admin, period=period, county=world.county_a)
    with pytest.raises(ValidationError, match="解锁原因"):
        submissions.submission_unlock(user=world.county_a_admin, submission=approved, reason=" ")
    unlocked = submissions.submission_unlock(user=world.county_a_admin, submission=approved, reason="补报团支部数")
    assert unlocked.status == SubmissionStatus.RETURNED
    steps = [(r.from_status, r.to_status, r.by.username) for r in unlocked.reviews.all()]
    assert steps == [("", "submitted", "township_a_reporter"), ("submitted", "returned", "county_a_admin"),
                     ("returned", "submitted", "township_a_reporter"), ("submitted", "approved", "county_a_admin"),
                     ("approved", "returned", "county_a_admin")]
    assert unlocked.reviews.last().reason == "解锁：补报团支部数"
    entries = AuditEntry.objects.filter(object_id=unlocked.pk, content_type__model="progresssubmission")
    assert entries.filter(user=world.county_a_admin).count() >= 3  # return, approve, unlock: each in the 操作记录


def test_who_may_do_what(world, period):
    with pytest.raises(PermissionDenied):  # a county user does not submit a township's row for it
        submissions.township_submit(user=world.county_a_reporter, period=period, township=world.township_a, figures={})
    first = submit(world, period)
    for user in (world.county_a_reporter, world.city_admin, world.township_a_reporter):
        with pytest.raises(PermissionDenied):
            submissions.submission_approve(user=user, submission=first)
    with pytest.raises(Exception) as refused:
        submissions.submission_approve(user=world.county_b_admin, submission=first)
    assert refused.type.__name__ == "Http404"


def test_a_submitted_row_is_a_report_that_stands(world, period):
    submission = submit(world, period)
    assert submission.report.get_source_display() == "手工填报"
    row = next(r for r in progress_form(world.county_a, as_of=date(2014, 12, 20)).rows if r["org"].pk == world.township_a.pk)
    assert row["provenance"] == "手工填报 2014-10-31"


def test_an_import_is_the_countys_submission_of_its_rows(world, period):
    file = ContentFile(C.to_xlsx(C.progress_sheet()), name="附件3.xlsx")  # 填报时间 2014-10-31: the October period
    run = importer.import_preview(user=world.county_a_reporter, org=world.county_a, form_code="progress", file=file)
    run = importer.import_confirm(user=world.county_a_reporter, run=run)
    rows = {s.org.name: s for s in ProgressSubmission.objects.filter(period=period).select_related("org")}
    assert set(rows) == set(C.TOWNSHIPS)
    assert all(s.status == SubmissionStatus.APPROVED and s.report == run.report for s in rows.values())
    assert rows["鱼河镇"].reviews.get().reason == "Excel 导入"
    importer.import_withdraw(user=world.county_a_reporter, run=run)
    assert not ProgressSubmission.objects.filter(period=period).exists()  # undone with the import


def test_the_page_of_each_level(client_for, world, period):
    first = submit(world, period)
    submissions.submission_return(user=world.county_a_admin, submission=first, reason="请补充团支部数")
    url = reverse("reports:reporting", args=[world.township_a.pk]) + f"?period={period.pk}"
    html = client_for(world.township_a_reporter).get(url).content.decode()
    assert "退回原因" in html and "请补充团支部数" in html and 'data-testid="submit"' in html
    county = client_for(world.county_a_admin).get(
        reverse("reports:reporting", args=[world.county_a.pk]) + f"?period={period.pk}").content.decode()
    assert 'data-org="鱼河镇"' in county and "已审核 0/" in county
    viewer = client_for(world.county_a_viewer).get(url).content.decode()
    assert 'data-testid="submit"' not in viewer


def test_the_review_buttons_post_and_come_back(client_for, world, period):
    first = submit(world, period)
    client = client_for(world.county_a_admin)
    response = client.post(reverse("reports:submission-return", args=[first.pk]), {"reason": ""}, follow=True)
    assert "请写明退回原因" in response.content.decode()
    client.post(reverse("reports:submission-approve", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == SubmissionStatus.APPROVED


@pytest.mark.parametrize("county", ["county_a", "county_b"])
def test_the_county_page_costs_the_same_whatever_its_townships(client_for, world, period, county):
    org = getattr(world, county)
    for t in Org.objects.filter(parent=org, level=OrgLevel.TOWNSHIP)[:4]:
        ProgressSubmission.objects.create(period=period, org=t, submitted_at=timezone.make_aware(datetime(2014, 11, 2)))
    admin = world.county_a_admin if county == "county_a" else world.county_b_admin
    client = client_for(admin)
    url = reverse("reports:reporting", args=[org.pk]) + f"?period={period.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # session, user, the user's org (scope), the page's org, the campaign with its phases,
    # deadlines and periods, its own submission, the townships, their submissions.
    assert len(queries) == 11, "\n".join(q["sql"][:100] for q in queries)


def test_a_second_first_submission_at_once_is_refused_not_a_crash(world, period, monkeypatch):
    submit(world, period)
    # The other request read "no submission yet" before this one committed.
    monkeypatch.setattr(submissions, "_locked_row", lambda period, org: None)
    with pytest.raises(ValidationError, match="刚刚已由他人提交"):
        submit(world, period)
    assert ProgressSubmission.objects.filter(period=period, org=world.township_a).count() == 1
