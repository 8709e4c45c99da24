"""Issue 18: axe-core (shipped by axe-playwright-python, run inside Chromium) finds no critical
or serious violation on any page family, as each role, on a phone (360 px) and on a desktop.
A page family is one URL pattern: a list, a detail, a form, a dashboard, a report. Each page
is also kept as a screenshot (test-artifacts/pages-<phone|desktop>-<role>-<n>.png) to look at."""
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import A_ACCOUNT, A_ACTIVITY, A_CADRE, A_GROUP, A_MESSAGE, log_in

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _pages(world):
    from qingnong.campaign.models import Campaign
    from qingnong.ledger.models import Activity, Cadre, MessageRecord, OfficialAccount, WechatGroup

    group = WechatGroup.objects.get(name=A_GROUP)
    campaign = Campaign.objects.get(org=world.city, year=2014)
    t, c = world.township_a.pk, world.county_a.pk
    return {
        "county_a_admin": [
            "/", "/orgs/", f"/orgs/{c}/", f"/campaign/dashboard/{c}/", "/campaign/plans/", f"/campaign/plans/{c}/",
            f"/ledger/orgs/{t}/groups/", f"/ledger/groups/{group.pk}/", f"/ledger/groups/{group.pk}/edit/",
            f"/ledger/orgs/{t}/groups/new/", f"/ledger/orgs/{t}/weekly/", f"/ledger/orgs/{c}/weekly/",
            f"/ledger/orgs/{t}/cadres/", f"/ledger/cadres/{Cadre.objects.get(name=A_CADRE).pk}/",
            f"/ledger/orgs/{c}/accounts/", f"/ledger/accounts/{OfficialAccount.objects.get(name=A_ACCOUNT).pk}/",
            f"/ledger/orgs/{t}/messages/", f"/ledger/messages/{MessageRecord.objects.get(title=A_MESSAGE).pk}/edit/",
            f"/ledger/orgs/{t}/activities/", f"/ledger/activities/{Activity.objects.get(title=A_ACTIVITY).pk}/",
            f"/ledger/orgs/{t}/activities/new/", f"/reports/orgs/{c}/", f"/reports/orgs/{c}/progress/",
            f"/reports/orgs/{c}/plan/", f"/reports/orgs/{c}/import/", "/inspection/", "/inspection/assessment/",
            "/users/", f"/orgs/{c}/history/", "/trash/", "/account/password/",
        ],
        "township_a_reporter": ["/", f"/ledger/orgs/{t}/weekly/", f"/ledger/orgs/{t}/groups/", f"/campaign/dashboard/{t}/",
                                f"/ledger/orgs/{t}/messages/new/"],
        "county_a_viewer": ["/", f"/ledger/cadres/{Cadre.objects.get(name=A_CADRE).pk}/", f"/reports/orgs/{c}/roster/",
                            f"/campaign/dashboard/{c}/"],
        "city_admin": [f"/campaign/dashboard/{world.city.pk}/", f"/campaign/settings/{campaign.pk}/", "/inspection/",
                       f"/reports/orgs/{world.city.pk}/progress/"],
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_critical_or_serious_violation_on_any_page_family(page, live_server, transactional_db, world, viewport):
    axe = Axe()
    page.set_viewport_size(viewport)
    found = []
    ARTIFACTS.mkdir(exist_ok=True)
    size = "phone" if viewport == PHONE else "desktop"
    for persona, paths in _pages(world).items():
        log_in(page, live_server.url, persona)
        for n, path in enumerate(paths):
            response = page.goto(live_server.url + path)
            assert response.status < 400, (persona, path, response.status)
            slug = re.sub(r"[^a-z]+", "-", re.sub(r"\d+", "", path)).strip("-") or "home"
            page.screenshot(path=ARTIFACTS / f"pages-{size}-{persona}-{n:02d}-{slug}.png", full_page=True)
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("critical", "serious"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    found.append(f"{persona} {path}: {violation['id']} ({violation['impact']}) {targets}")
        page.context.clear_cookies()
    assert found == [], "\n".join(found)
