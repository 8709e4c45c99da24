"""Upload → preview → confirm → done over HTTP, the file download, and scope: another
county's org and another county's run are 404 for every role."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun, ImportStatus
from qingnong.reports.tests import corpus as C


def xlsx(data=None, name="榆阳区附件3.xlsx"):
    return SimpleUploadedFile(name, data or C.to_xlsx(C.progress_sheet()), content_type="application/octet-stream")


def upload_url(org):
    return reverse("reports:import-upload", kwargs={"org_id": org.pk})


def post_upload(client, org, data=None, *, follow=False):
    return client.post(upload_url(org), {"form_code": "progress", "file": xlsx(data)}, follow=follow)


def test_upload_page(client_for, world):
    response = client_for(world.county_a_reporter).get(upload_url(world.county_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body and "<progress" in body and "js/upload-progress.js" in body


def test_upload_preview_confirm_done(client_for, world):
    client = client_for(world.county_a_reporter)
    response = post_upload(client, world.county_a)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:import-detail", kwargs={"run_id": run.pk})
    page = client.get(response["Location"]).content.decode()
    assert "确认导入" in page and "鱼河镇" in page and "确认之前不会写入" in page
    assert not ReportedProgress.objects.exists()
    response = client.post(reverse("reports:import-confirm", kwargs={"run_id": run.pk}))
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-done"' in done and "3 个乡镇" in done
    assert ReportedProgress.objects.count() == 3
    again = client.post(reverse("reports:import-confirm", kwargs={"run_id": run.pk}), follow=True).content.decode()
    assert "不能重复导入" in again and ReportedProgress.objects.count() == 3


def test_the_upload_script_is_told_where_to_go_without_a_redirect(client_for, world):
    """upload-progress.js posts with X-Upload-Progress: a redirect would make its request load
    the whole preview once for nothing before the page loads it (issue 18, slow first upload)."""
    client = client_for(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), {"form_code": "progress", "file": xlsx()},
                           headers={"X-Upload-Progress": "1"})
    run = ImportRun.objects.get()
    assert response.status_code == 204 and response["X-Location"] == reverse("reports:import-detail", kwargs={"run_id": run.pk})
    refused = client.post(upload_url(world.county_a), {"form_code": "progress", "file": xlsx(b"%PDF-1.4")},
                          headers={"X-Upload-Progress": "1"})
    assert refused.status_code == 200 and "这是 PDF 文件" in refused.content.decode()  # the form again, with why


def test_preview_lists_errors_and_warnings_at_their_cells(client_for, world):
    rows = C.base_rows()
    rows[0] = ("鱼河", {**rows[0][1], "youth_count": "十二"})
    sheet = C.progress_sheet(rows, subtotal={"group_count": 99})
    client = client_for(world.county_a_reporter)
    response = post_upload(client, world.county_a, C.to_xlsx(sheet), follow=True)
    body = response.content.decode()
    assert "有 1 个错误，不能导入" in body and "<b>D6</b>：“十二”不是数字" in body
    assert "<b>A6</b>：“鱼河”按“鱼河镇”导入" in body and "<b>E9</b>：合计为 99" in body
    assert "确认导入" not in body and "重新上传" in body
    assert 'class="num p-error"' in body


def test_bad_file_shows_the_reason_on_the_form_and_saves_nothing(client_for, world):
    response = post_upload(client_for(world.county_a_reporter), world.county_a, C.password_xlsx())
    assert response.status_code == 200 and "设置了打开密码" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_file_over_10_mb_is_refused_by_the_form(client_for, world):
    big = b"PK\x03\x04" + bytes(10 * 1024 * 1024)
    response = post_upload(client_for(world.county_a_reporter), world.county_a, big)
    assert "文件太大" in response.content.decode() and not ImportRun.objects.exists()


def test_original_file_is_downloadable_in_scope(client_for, world):
    data = C.to_xlsx(C.progress_sheet())
    post_upload(client_for(world.county_a_reporter), world.county_a, data)
    run = ImportRun.objects.get()
    response = client_for(world.city_admin).get(reverse("reports:import-file", kwargs={"run_id": run.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert "attachment" in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]


def test_cancel(client_for, world):
    client = client_for(world.county_a_reporter)
    post_upload(client, world.county_a)
    run = ImportRun.objects.get()
    response = client.post(reverse("reports:import-cancel", kwargs={"run_id": run.pk}))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED and not ReportedProgress.objects.exists()


def test_below_a_county_goes_to_the_county(client_for, world):
    response = client_for(world.county_a_reporter).get(upload_url(world.township_a))
    assert response.status_code == 302 and response["Location"] == upload_url(world.county_a)


def test_city_chooses_a_county(client_for, world):
    body = client_for(world.city_admin).get(upload_url(world.city)).content.decode()
    assert "榆阳区" in body and "横山区" in body and upload_url(world.county_a) in body


def test_viewer_cannot_upload_or_confirm(client_for, world):
    post_upload(client_for(world.county_a_reporter), world.county_a)
    run = ImportRun.objects.get()
    viewer = client_for(world.county_a_viewer)
    assert viewer.get(upload_url(world.county_a)).status_code == 403
    assert viewer.get(reverse("reports:import-detail", kwargs={"run_id": run.pk})).status_code == 200
    assert viewer.post(reverse("reports:import-confirm", kwargs={"run_id": run.pk})).status_code == 403
    assert not ReportedProgress.objects.exists()


def test_other_county_gets_404_for_the_org_and_the_run(client_for, world):
    post_upload(client_for(world.county_a_reporter), world.county_a)
    run = ImportRun.objects.get()
    for persona in (world.county_b_admin, world.county_b_reporter, world.county_b_viewer):
        client = client_for(persona)
        assert client.get(upload_url(world.county_a)).status_code == 404
        assert post_upload(client, world.county_a).status_code == 404
        for name in ("import-detail", "import-file"):
            assert client.get(reverse(f"reports:{name}", kwargs={"run_id": run.pk})).status_code == 404
        for name in ("import-confirm", "import-cancel"):
            assert client.post(reverse(f"reports:{name}", kwargs={"run_id": run.pk})).status_code == 404
    assert ImportRun.objects.count() == 1 and not ReportedProgress.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.PREVIEWED


def test_confirm_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), {"form_code": "progress", "file": xlsx()})
    assert response.status_code == 403 and not ImportRun.objects.exists()
