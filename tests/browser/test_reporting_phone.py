"""Issue 12 on a 360 px phone: the township reporter submits its 附件3 row from the to-do on
the home page; the county admin returns it with a reason from its own to-do; the reporter
sees the reason on the home page and on the row's page. Screenshots in test-artifacts/."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTH = 360


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_township_submits_from_its_todo_and_sees_the_countys_reason(page, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.on("dialog", lambda dialog: dialog.accept())  # 提交 asks first
    base = live_server.url

    def shot(name):
        page.screenshot(path=ARTIFACTS / f"reporting-{name}.png", full_page=True)
        no_sideways_scroll(page)

    # 1. The township reporter's home page says what it owes first; it submits from there.
    log_in(page, base, "township_a_reporter")
    todo = page.get_by_test_id("todo")
    expect(todo).to_be_visible()
    item = todo.get_by_role("link", name="提交本乡镇2014年11月的附件3")
    expect(item).to_be_visible()
    shot("01-township-home")
    item.click()
    expect(page.get_by_test_id("township-row")).to_be_visible()
    expect(page.get_by_test_id("own-status")).to_have_text("未提交")
    shot("02-township-row")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("own-status")).to_have_text("已提交")
    expect(page.get_by_test_id("submit")).to_have_count(0)
    page.get_by_role("button", name="退出登录").click()

    # 2. The county admin finds it in its to-do and returns it with a reason.
    log_in(page, base, "county_a_admin")
    page.get_by_test_id("todo").get_by_role("link", name="审核 1 个乡镇2014年11月的附件3").click()
    row = page.locator('li[data-org="鱼河镇"]')
    expect(row.get_by_text("已提交")).to_be_visible()
    row.get_by_label("退回原因").fill("团支部数与台帐不符，请核对")
    shot("03-county-review")
    row.get_by_test_id("return").click()
    expect(page.get_by_text("已将鱼河镇的附件3退回修改")).to_be_visible()
    expect(page.locator('li[data-org="鱼河镇"]').get_by_text("退回", exact=True)).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    # 3. The reporter sees the reason on the home page and on the row's page, and may resubmit.
    log_in(page, base, "township_a_reporter")
    expect(page.get_by_test_id("todo-reason")).to_have_text("退回原因：团支部数与台帐不符，请核对")
    shot("04-township-returned-home")
    page.get_by_test_id("todo").get_by_role("link", name="本乡镇2014年11月的附件3被退回，请修改后重新提交").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("团支部数与台帐不符，请核对")
    expect(page.get_by_test_id("submit")).to_be_visible()
    shot("05-township-returned-row")
