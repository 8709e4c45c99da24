"""A county admin deletes the county's official account on a phone (360 px), confirms,
and brings it back from the 回收站. Screenshots: test-artifacts/account-*.png."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_admin_deletes_and_restores_the_account(page, live_server, transactional_db, world):
    from qingnong.ledger.models import OfficialAccount

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 780})
    oa = OfficialAccount.objects.get(org=world.county_a)
    base = live_server.url
    log_in(page, base, "county_a_admin")
    page.goto(f"{base}/ledger/accounts/{oa.pk}/")

    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.screenshot(path=ARTIFACTS / "account-01-detail.png", full_page=True)
    page.get_by_role("button", name="删除公众号").click()
    expect(page.get_by_text("已删除公众号“青农甲县测试公众号”，可在回收站恢复。")).to_be_visible()
    assert dialogs == ["确定删除该公众号吗？删除后可在回收站恢复。"]
    assert OfficialAccount.all_objects.get(pk=oa.pk).is_deleted

    page.goto(f"{base}/trash/")
    row = page.locator("li, tr", has_text="青农甲县测试公众号").last
    page.screenshot(path=ARTIFACTS / "account-02-trash.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    row.get_by_role("button", name="恢复").click()
    expect(page.get_by_text("已恢复“青农甲县测试公众号”。")).to_be_visible()
    assert not OfficialAccount.all_objects.get(pk=oa.pk).is_deleted
