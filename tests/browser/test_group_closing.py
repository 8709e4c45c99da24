"""A township reporter marks a group 已解散 on a phone (360 px) with the day it closed;
a day before its founding is refused with the field named. Screenshots: test-artifacts/group-closing-*.png."""
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_reporter_closes_a_group_with_its_day(page, live_server, transactional_db, world):
    from conftest import A_GROUP, log_in
    from qingnong.ledger.models import GroupStatus, WechatGroup

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 780})
    group = WechatGroup.objects.get(name=A_GROUP)
    WechatGroup.objects.filter(pk=group.pk).update(founded_on=date(2014, 8, 1))
    base = live_server.url
    log_in(page, base, "township_a_reporter")
    page.goto(f"{base}/ledger/groups/{group.pk}/edit/")

    page.get_by_label("状态").select_option(label="已解散")
    page.get_by_label("解散日期").fill("2014-07-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("解散日期：解散日期不能早于建群日期。")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "group-closing-01-refused.png", full_page=True)
    assert WechatGroup.objects.get(pk=group.pk).status == GroupStatus.ACTIVE

    page.get_by_label("解散日期").fill("2015-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已解散（2015年3月1日 解散）")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "group-closing-02-detail.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert WechatGroup.objects.get(pk=group.pk).closed_on == date(2015, 3, 1)
