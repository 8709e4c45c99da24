"""Messages are not counted twice, on a 360 px phone: the weekly grid shows what other
records already count, and the message form asks before saving an overlapping record.
Screenshots go to test-artifacts/."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_overlap_is_shown_on_the_weekly_grid_and_confirmed_on_the_form(page, live_server, transactional_db, world):
    from conftest import A_GROUP, log_in
    from qingnong.ledger.models import MessageRecord, WechatGroup
    from qingnong.ledger.services.messages import message_create
    from qingnong.lib.dates import today

    ARTIFACTS.mkdir(exist_ok=True)
    group = WechatGroup.objects.get(name=A_GROUP)
    message_create(user=world.township_a_reporter, group=group, period_start=today(), count=5, category="policy",
                   title="十九届团代会精神宣讲")
    page.set_viewport_size({"width": 360, "height": 780})
    base = live_server.url
    log_in(page, base, "township_a_reporter")

    page.goto(f"{base}/ledger/orgs/{world.township_a.pk}/weekly/")
    row = page.locator("fieldset.week-row", has_text=A_GROUP)
    expect(row.get_by_test_id("other-messages")).to_contain_text("另有逐条记录 5 条（政策法规 5）")
    row.get_by_test_id("other-messages").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "messages-01-weekly-hint-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{base}/ledger/orgs/{world.township_a.pk}/messages/new/")
    page.get_by_label("微信群或公众号").select_option(label=f"{A_GROUP}（{world.township_a.name}）")
    page.get_by_label("条数").fill("5")
    page.get_by_label("政策法规").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("overlap-warning")).to_contain_text("可能重复填报")
    expect(page.get_by_test_id("overlap-warning")).to_contain_text("逐条记录")
    page.screenshot(path=ARTIFACTS / "messages-02-overlap-warning-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert MessageRecord.objects.filter(group=group).count() == 2  # the world's A_MESSAGE and today's, nothing new

    page.get_by_label("确认这是另外发送的信息，不是重复填报").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已记录")).to_be_visible()
    assert MessageRecord.objects.filter(group=group).count() == 3
