"""Issue 15: under the Content-Security-Policy (no inline script) the pages still behave: a
dismissed delete confirmation keeps the record, the week picker switches weeks by itself, and
no page reports a policy violation."""
import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser


def test_pages_behave_under_the_policy(page, live_server, transactional_db, world):
    from qingnong.ledger.models import OfficialAccount

    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    base = live_server.url
    log_in(page, base, "county_a_admin")
    oa = OfficialAccount.objects.get(org=world.county_a)
    for path in ("/", f"/campaign/dashboard/{world.county_a.pk}/", f"/ledger/orgs/{world.township_a.pk}/weekly/",
                 f"/ledger/accounts/{oa.pk}/", f"/reports/orgs/{world.county_a.pk}/import/", "/trash/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")

    page.goto(f"{base}/ledger/accounts/{oa.pk}/")
    page.once("dialog", lambda d: d.dismiss())  # 取消: nothing is deleted
    page.get_by_role("button", name="删除公众号").click()
    page.wait_for_timeout(300)
    assert not OfficialAccount.all_objects.get(pk=oa.pk).is_deleted

    page.goto(f"{base}/ledger/orgs/{world.township_a.pk}/weekly/")
    picker = page.get_by_test_id("week-picker")
    second = picker.locator("option").nth(1).get_attribute("value")
    picker.select_option(second)  # no button: the page follows the choice
    expect(page).to_have_url(f"{base}/ledger/orgs/{world.township_a.pk}/weekly/?week={second}")
    assert violations == []
