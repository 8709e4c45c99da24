"""The upload on a phone (390×844): the file goes up by XMLHttpRequest with a <progress>
bar, the preview follows, confirming shows the done page; no sideways scroll. Screenshots
go to test-artifacts/ (gitignored)."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

from qingnong.reports.tests import corpus as C

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_upload_preview_confirm_on_a_phone(page, live_server, transactional_db, world, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    rows = C.base_rows()
    rows[0] = ("鱼河", {**rows[0][1], "home_farming": "约12"})
    path = tmp_path / "榆阳区附件3.xlsx"
    path.write_bytes(C.to_xlsx(C.progress_sheet(rows)))
    log_in(page, live_server.url, "county_a_reporter")
    expect(page.get_by_test_id("who")).to_be_visible()

    page.goto(f"{live_server.url}/reports/orgs/{world.county_a.pk}/import/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-ready")).to_be_visible()  # the script went on to the preview
    expect(page.get_by_test_id("import-warnings")).to_contain_text("“鱼河”按“鱼河镇”导入")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the wide table scrolls in its box
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("3 个乡镇")
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)


def test_too_large_file_is_stopped_before_sending(page, live_server, transactional_db, world, tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(11 * 1024 * 1024))
    log_in(page, live_server.url, "county_a_reporter")
    page.goto(f"{live_server.url}/reports/orgs/{world.county_a.pk}/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("upload-progress")).to_contain_text("文件太大")
