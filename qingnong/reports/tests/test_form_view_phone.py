"""The forms in a browser: on a phone (390×844) the wide 附件3 scrolls inside its own box
with the township column fixed, the page never sideways; the Excel download opens; the
print media hides the menus. Screenshots go to test-artifacts/forms-*.png."""
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_progress_form_on_a_phone_and_a_desktop(page, live_server, transactional_db, world):
    from qingnong.ledger.models import GroupKind, WechatGroup

    WechatGroup.objects.create(org=world.township_a, name="鱼河青年群", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1))
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "city_admin")

    page.get_by_role("link", name="报表", exact=True).click()
    expect(page.get_by_role("heading", name="榆林市团委 · 报表")).to_be_visible()
    no_sideways_scroll(page, 390)
    page.get_by_role("link", name="附件3 工作推进情况跟踪摸底表").click()
    page.get_by_role("link", name="榆阳区", exact=True).click()
    expect(page.get_by_role("heading", name="农村共青团微信体系建设工作推进情况跟踪摸底表")).to_be_visible()
    expect(page.locator("table.form-table tfoot")).to_contain_text("总计")
    no_sideways_scroll(page, 390)
    box = page.locator(".form-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth + 300")  # the table scrolls in its box
    first = page.locator("table.form-table tbody th", has_text="鱼河镇")
    x = first.bounding_box()["x"]
    box.evaluate("el => el.scrollLeft = 400")
    assert abs(first.bounding_box()["x"] - x) < 1  # the township column stays put
    page.screenshot(path=ARTIFACTS / "forms-01-progress-390.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    ws = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert ws.title == "榆阳区" and "A4:A6" in {str(r) for r in ws.merged_cells.ranges}

    page.emulate_media(media="print")
    expect(page.locator("nav.tabs")).to_be_hidden()
    expect(page.get_by_test_id("download")).to_be_hidden()
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 1280, "height": 800})
    no_sideways_scroll(page, 1280)
    page.screenshot(path=ARTIFACTS / "forms-02-progress-1280.png", full_page=True)


def test_roster_and_plan_on_a_phone(page, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "county_a_admin")
    page.get_by_role("link", name="报表", exact=True).click()
    page.get_by_role("link", name="附件2 微信体系建设情况统计表").click()
    expect(page.get_by_test_id("form-table")).to_contain_text("榆阳区")
    no_sideways_scroll(page, 390)
    page.get_by_role("link", name="附件1 计划表").click()
    expect(page.get_by_test_id("no-plan")).to_be_visible()
    no_sideways_scroll(page, 390)
    page.screenshot(path=ARTIFACTS / "forms-03-plan-390.png", full_page=True)
