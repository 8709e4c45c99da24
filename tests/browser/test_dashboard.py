"""The progress dashboard on a phone (390×844) and a desktop (1280×800): the city's counties,
a county's townships, a township's groups; no sideways scroll on the phone. Screenshots go
to test-artifacts/dashboard-*.png."""
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def some_progress(world):
    """A few weeks of groups in county A, its plan approved, messages this month."""
    from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus
    from qingnong.ledger.models import GroupKind, MessageCategory, MessageRecord, WechatGroup
    from qingnong.org.models import Org, OrgLevel

    campaign = Campaign.objects.get(org=world.city, year=2014)
    CountyPlan.objects.create(campaign=campaign, org=world.county_a, county_name="榆阳区", status=PlanStatus.APPROVED,
                              planned_township_youth_groups=60, planned_county_youth_groups=2, township_count=31)
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code")[:8])
    for i, township in enumerate(townships):
        for j in range(2 + i % 5):
            group = WechatGroup.objects.create(
                org=township, name=f"{township.name}青年群{j}", kind=GroupKind.YOUTH, bases=",place,",
                founded_on=date(2014, 8, 1) + timedelta(days=9 * i + 5 * j), members_total=40 + j, home_farming=40 + j)
            MessageRecord.objects.create(org=township, group=group, period_start=date(2014, 11, 3), period_end=date(2014, 11, 9),
                                         month=date(2014, 11, 1), count=2 + j, category=MessageCategory.values[j % 5])


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_city_dashboard_on_a_phone_and_a_desktop(page, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    some_progress(world)
    base = live_server.url
    log_in(page, base, "city_admin")

    # Phone: one card per county, the cells as a compact grid.
    page.get_by_role("link", name="进度", exact=True).click()
    expect(page.get_by_role("heading", name="榆林市团委 · 建设进度")).to_be_visible()
    expect(page.get_by_test_id("as-of")).to_contain_text("2014年11月30日")
    expect(page.get_by_test_id("countdown")).to_contain_text("已结束")
    county_a = page.locator("table.scorecard tbody tr", has_text="榆阳区")
    expect(county_a.locator('td[data-key="plan"]')).to_have_text("已审核")
    expect(county_a.locator('td[data-key="plan"]')).to_have_class("s-green")
    expect(page.locator("table.scorecard thead")).to_be_hidden()
    no_sideways_scroll(page, 390)
    page.screenshot(path=ARTIFACTS / "dashboard-01-city-390.png", full_page=True)

    # A chart's numbers open as a table.
    page.locator("figure.chart", has_text="发送微信条数").get_by_text("查看数据表").click()
    expect(page.locator("figure.chart", has_text="发送微信条数").locator("table.data")).to_contain_text("合计")
    no_sideways_scroll(page, 390)

    # Drill down: the county's townships, then a township's groups.
    county_a.get_by_role("link", name="榆阳区").click()
    expect(page.get_by_role("heading", name="榆阳区团委 · 建设进度")).to_be_visible()
    expect(page.locator("table.scorecard tbody tr")).to_have_count(31)
    no_sideways_scroll(page, 390)
    page.screenshot(path=ARTIFACTS / "dashboard-02-county-390.png", full_page=True)
    page.locator("table.scorecard tbody tr", has_text="鱼河镇").get_by_role("link", name="鱼河镇").click()
    expect(page).to_have_url(f"{base}/ledger/orgs/{world.township_a.pk}/groups/")

    # Another date: the countdown and the cells as of 9月15日.
    page.goto(f"{base}/campaign/dashboard/{world.city.pk}/")
    page.get_by_label("截至日期").fill("2014-09-15")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("as-of")).to_contain_text("2014年9月15日")
    expect(page.get_by_test_id("countdown")).to_contain_text("9月30日")

    # Desktop: a full table with a totals row.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/campaign/dashboard/{world.city.pk}/")
    expect(page.locator("table.scorecard thead")).to_be_visible()
    expect(page.locator("table.scorecard tfoot")).to_contain_text("合计")
    no_sideways_scroll(page, 1280)
    page.screenshot(path=ARTIFACTS / "dashboard-03-city-1280.png", full_page=True)
    page.goto(f"{base}/campaign/dashboard/{world.county_a.pk}/")
    no_sideways_scroll(page, 1280)
    page.screenshot(path=ARTIFACTS / "dashboard-04-county-1280.png", full_page=True)


def test_township_reporter_sees_only_their_township(page, live_server, transactional_db, world):
    log_in(page, live_server.url, "township_a_reporter")
    page.get_by_role("link", name="进度", exact=True).click()
    expect(page.get_by_role("heading", name="鱼河镇团委 · 建设进度")).to_be_visible()
    expect(page.locator("table.scorecard tbody tr")).to_have_count(1)
    no_sideways_scroll(page, 390)
    page.screenshot(path=ARTIFACTS / "dashboard-05-township-390.png", full_page=True)
