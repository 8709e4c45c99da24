"""导出 Excel on a 360 px phone: the link sits by the list's count, keeps the filters chosen
through htmx, does not push the page sideways, and downloads the file. Screenshots go to
test-artifacts/."""
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_viewer_exports_the_filtered_group_list_on_a_phone(page, live_server, transactional_db, world):
    from qingnong.ledger.models import GroupKind, WechatGroup

    ARTIFACTS.mkdir(exist_ok=True)
    WechatGroup.objects.create(org=world.township_a, name="青农鱼河镇工作群", kind=GroupKind.WORK, covers_level="village")
    page.set_viewport_size({"width": 360, "height": 740})
    base = live_server.url
    log_in(page, base, "county_a_viewer")
    page.goto(f"{base}/ledger/orgs/{world.county_a.pk}/groups/")

    link = page.get_by_test_id("export-xlsx")
    expect(link).to_be_visible()
    page.locator("select[name=kind]").select_option("work")  # htmx swaps the rows, and the link with them
    expect(link).to_have_attribute("href", f"/ledger/orgs/{world.county_a.pk}/groups/export/?q=&kind=work&status=&basis=")
    page.screenshot(path=ARTIFACTS / "ledger-export-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"榆阳区-微信群台帐-{date.today():%Y-%m-%d}.xlsx"

    # The message list: the link alone above the figures, right-aligned.
    page.goto(f"{base}/ledger/orgs/{world.county_a.pk}/messages/")
    expect(page.get_by_test_id("export-xlsx")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "ledger-export-messages-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
