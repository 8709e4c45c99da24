"""Issue 3 on a phone: a township reporter adds a 团青微信群, records a week on the one-page
grid, and finds the numbers on the group page. Screenshots go to test-artifacts/."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_reporter_adds_a_group_and_records_a_week(page, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    log_in(page, base, "township_a_reporter")
    expect(page.get_by_test_id("weekly-button")).to_be_visible()

    # Add a 团青微信群 from the group list.
    page.locator(".ledger-links").get_by_role("link", name="微信群").click()
    page.get_by_role("link", name="＋ 新建微信群").click()
    page.get_by_label("群名称").fill("鱼河电商青年群")
    page.get_by_label("团青微信群").check()
    page.get_by_label("业缘").check()
    page.get_by_label("趣缘").check()
    page.screenshot(path=ARTIFACTS / "ledger-01-group-form.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="鱼河电商青年群")).to_be_visible()
    expect(page.get_by_text("已添加微信群“鱼河电商青年群”")).to_be_visible()

    # The big button on the home page opens the one-page weekly grid.
    page.get_by_role("link", name="首页").click()
    page.get_by_test_id("weekly-button").click()
    row = page.locator("fieldset.week-row", has_text="鱼河电商青年群")
    expect(row.locator("[data-total]")).to_have_text("合计 0 人")  # issue 18: a running total per group
    row.get_by_label("在乡·务农").fill("21")
    row.get_by_label("在乡·经商").fill("6")
    row.get_by_label("外出·务工").fill("14")
    row.get_by_label("外出·就学").fill("3")
    expect(row.locator("[data-total]")).to_have_text("合计 44 人")
    row.get_by_label("致富信息").fill("4")
    expect(row.locator("[data-total]")).to_have_text("合计 44 人")  # messages are not members
    row.get_by_label("政策法规").fill("2")
    page.screenshot(path=ARTIFACTS / "ledger-02-weekly.png")
    page.get_by_role("button", name="全部保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()

    # The group page shows the new total and the split.
    page.get_by_role("link", name="微信群").first.click()
    page.get_by_role("link", name="鱼河电商青年群").click()
    expect(page.get_by_test_id("members-total")).to_have_text("44")
    expect(page.get_by_test_id("group-messages")).to_contain_text("致富信息 4 条")  # the week's messages, on its page
    expect(page.locator("table.members tr", has_text="务农").first).to_contain_text("21")
    page.screenshot(path=ARTIFACTS / "ledger-03-group-page.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    from qingnong.ledger.models import MessageRecord, WechatGroup

    group = WechatGroup.objects.get(name="鱼河电商青年群")
    assert dict(MessageRecord.objects.filter(group=group).values_list("category", "count")) == {"prosperity": 4, "policy": 2}
