"""Issue 18: a county's 附件3 print view (?print=1) is one A4 landscape page in Chromium's PDF,
its 合计/直属/总计 rows with the townships, as LibreOffice prints the .xlsx (榆阳区: 31 townships)."""
import re

import pytest

from conftest import log_in

pytestmark = pytest.mark.browser


def test_a_countys_progress_form_prints_on_one_landscape_page(page, live_server, transactional_db, world):
    from qingnong.org.models import Org, OrgLevel

    townships = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).count()
    assert townships >= 30  # the real 榆阳区: what makes the page full
    log_in(page, live_server.url, "county_a_admin")
    page.goto(f"{live_server.url}/reports/orgs/{world.county_a.pk}/progress/?print=1")
    assert page.get_by_text("总计", exact=True).count() >= 1
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    width, height = map(float, boxes[0])
    assert width > height  # landscape


def test_on_a_phone_the_form_keeps_its_header_and_township_column_in_view(page, live_server, transactional_db, world):
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "county_a_admin")
    page.goto(f"{live_server.url}/reports/orgs/{world.county_a.pk}/progress/")
    box = page.locator(".form-scroll").first
    box.scroll_into_view_if_needed()
    box.evaluate("e => { e.scrollTop = 300; e.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    top = box.evaluate("e => e.getBoundingClientRect().top")
    left = box.evaluate("e => e.getBoundingClientRect().left")
    head = page.locator(".form-table thead").first.evaluate("e => e.getBoundingClientRect().top")
    name = page.locator(".form-table tbody .first").nth(12).evaluate("e => e.getBoundingClientRect().left")
    assert abs(head - top) < 2 and abs(name - left) < 2
