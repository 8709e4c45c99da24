"""A county office worker on a phone: Debian's chromium against the live server.

Screenshots of every step go to test-artifacts/ (gitignored) for a human to look at.
"""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import A_USER_NAME, A_VILLAGE, PASSWORD, log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A long name, so the 360px pages show how wrapping copes with real 直属 names.
LONG_NAME = "榆林市榆阳区鱼河镇人民政府直属青年志愿者服务队团支部"


@pytest.fixture
def shot(page):
    """shot("01-login") saves a full-page screenshot to test-artifacts/01-login.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(name):
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return save


def test_township_reporter_walkthrough(page, live_server, transactional_db, world, shot):
    base = live_server.url
    page.goto(f"{base}/login/")
    expect(page.get_by_role("heading", name="登录青农台帐")).to_be_visible()
    shot("walk-01-login")

    # The mobile number works as the username.
    page.get_by_label("用户名或手机号").fill("13900000002")
    page.get_by_label("密码").fill(PASSWORD)
    shot("walk-02-login-filled")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{base}/")
    who = page.get_by_test_id("who")
    expect(who).to_contain_text(A_USER_NAME)
    expect(who).to_contain_text("鱼河镇")
    expect(who).to_contain_text("填报员")
    expect(page.get_by_role("heading", name="鱼河镇团委")).to_be_visible()
    expect(page.get_by_role("link", name=A_VILLAGE)).to_be_visible()
    shot("walk-03-home")

    # 组织 tab: the tree's root loads its children by htmx as soon as the page is shown.
    with page.expect_response(re.compile(rf"/orgs/{world.township_a.pk}/children/$")) as children:
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="组织").click()
    assert children.value.status == 200
    assert children.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(f"{base}/orgs/")
    expect(page.get_by_role("link", name="组织", exact=True)).to_have_attribute("aria-current", "page")
    tree = page.locator("#results")
    root = tree.locator("details").first
    expect(root.locator(":scope > .subtree > ul.tree")).to_have_count(1)  # "加载中…" was replaced
    expect(root.get_by_role("link", name=A_VILLAGE)).to_be_visible()
    shot("walk-04-tree")

    # Collapse and expand the root node by its summary: the loaded subtree hides and comes back.
    root.locator(":scope > summary").click(position={"x": 5, "y": 5})
    expect(tree.get_by_role("link", name=A_VILLAGE)).to_be_hidden()
    root.locator(":scope > summary").click(position={"x": 5, "y": 5})
    expect(tree.get_by_role("link", name=A_VILLAGE)).to_be_visible()

    # Search by htmx: the results replace the tree without a page load, the URL is pushed.
    page.evaluate("window.sameDocument = true")
    with page.expect_response(lambda r: "/orgs/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("searchbox", name="搜索组织").fill("甲村")
    expect(tree).to_contain_text("找到 1 个组织")
    expect(tree.get_by_role("link", name=A_VILLAGE)).to_be_visible()
    expect(tree).to_contain_text("鱼河镇")  # the breadcrumb of the result
    expect(page).to_have_url(re.compile(r"/orgs/\?q=%E7%94%B2%E6%9D%91"))
    assert page.evaluate("window.sameDocument === true"), "the search reloaded the page"
    shot("walk-05-search")

    tree.get_by_role("link", name=A_VILLAGE).click()
    expect(page).to_have_url(f"{base}/orgs/{world.village_a.pk}/")
    expect(page.get_by_role("heading", name=A_VILLAGE)).to_be_visible()
    expect(page.get_by_role("navigation", name="上级组织")).to_contain_text("鱼河镇")
    expect(page.get_by_role("link", name="编辑")).to_be_visible()  # a reporter may edit
    shot("walk-06-org-detail")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/login/"))
    expect(page.get_by_role("heading", name="登录青农台帐")).to_be_visible()
    expect(page.get_by_test_id("who")).to_have_count(0)
    shot("walk-07-logged-out")

    # Logged out for real: the home page sends us back to the login form.
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_tree_node_expands_by_htmx(page, live_server, transactional_db, world, shot):
    """A township node in the county admin's tree loads its villages only when opened."""
    base = live_server.url
    log_in(page, base, "county_a_admin")
    expect(page).to_have_url(f"{base}/")
    with page.expect_response(re.compile(rf"/orgs/{world.county_a.pk}/children/$")):
        page.goto(f"{base}/orgs/")
    township = page.get_by_role("link", name="鱼河镇", exact=True).locator("xpath=following-sibling::details[1]")
    expect(township).not_to_have_attribute("open", "")
    expect(township.locator(":scope > .subtree")).to_have_text("加载中…")
    expect(page.get_by_role("link", name=A_VILLAGE)).to_have_count(0)
    shot("tree-01-county-collapsed")

    with page.expect_response(re.compile(rf"/orgs/{world.township_a.pk}/children/$")) as children:
        township.locator(":scope > summary").click(position={"x": 5, "y": 5})
    assert children.value.request.headers.get("hx-request") == "true"
    expect(township).to_have_attribute("open", "")
    expect(township.get_by_role("link", name=A_VILLAGE)).to_be_visible()
    expect(township.locator(":scope > .subtree > ul.tree")).to_have_count(1)
    shot("tree-02-township-expanded")


def test_village_is_a_leaf_in_the_tree(page, live_server, transactional_db, world):
    """A village has nothing below it: no expand arrow, no '1 个下级' (its own count must not include itself)."""
    base = live_server.url
    log_in(page, base, "township_a_reporter")
    with page.expect_response(re.compile(rf"/orgs/{world.township_a.pk}/children/$")):
        page.goto(f"{base}/orgs/")
    village = page.get_by_role("link", name=A_VILLAGE).locator("xpath=ancestor::li[1]")
    expect(village).to_be_visible()
    expect(village.locator("details"), "a village has no children to expand").to_have_count(0)
    expect(village).not_to_contain_text("个下级")


def no_horizontal_scroll(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: page is {scroll_width}px wide at a {width}px screen"


def test_no_horizontal_scrolling_at_360(page, live_server, transactional_db, world, shot):
    width = 360
    page.set_viewport_size({"width": width, "height": 780})
    base = live_server.url
    county = world.county_a.pk

    def check(name, path=None):
        if path is not None:
            page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")  # htmx fragments are in before we measure
        assert page.locator("h1").count() >= 1, f"{page.url}: no heading, not a normal page"
        no_horizontal_scroll(page, width)
        shot(f"360-{name}")

    check("01-login", "/login/")
    log_in(page, base, "county_a_admin")
    expect(page).to_have_url(f"{base}/")
    check("02-home")
    check("03-tree", "/orgs/")

    # Real records for the history and the trash: add an org with a long name, edit it, delete it.
    check("04-add-child", f"/orgs/{county}/add/")
    page.get_by_label("名称").fill(LONG_NAME)
    page.get_by_label("备注").fill("由手机浏览器测试添加")
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_role("heading", name=LONG_NAME)).to_be_visible()
    check("05-org-detail-long-name")
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("备注").fill("备注已修改：联系人张三，电话 0912-1234567")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg-success")).to_have_text("已保存。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="删除").click()
    expect(page.locator(".msg-success")).to_contain_text("可在回收站恢复")

    check("06-org-detail-county", f"/orgs/{county}/")
    check("07-org-detail-township", f"/orgs/{world.township_a.pk}/")
    check("08-users", "/users/")
    check("09-user-edit", f"/users/{world.township_a_reporter.pk}/")
    check("10-history", f"/orgs/{county}/history/")
    expect(page.locator("table.diff").first).to_be_visible()  # the edit shows its before/after
    check("11-trash", "/trash/")
    expect(page.get_by_text(LONG_NAME)).to_be_visible()
    check("12-password-change", "/account/password/")


def test_no_request_leaves_the_live_server(page, live_server, transactional_db, world):
    base = live_server.url
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{base}/login/")
    log_in(page, base, "county_a_admin")
    expect(page).to_have_url(f"{base}/")
    for path in ["/orgs/", "/orgs/?q=甲村", f"/orgs/{world.county_a.pk}/", f"/orgs/{world.village_a.pk}/",
                 "/users/", f"/users/{world.township_a_reporter.pk}/", f"/orgs/{world.county_a.pk}/history/",
                 "/trash/", f"/orgs/{world.county_a.pk}/add/", "/account/password/"]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.wait_for_load_state("networkidle")

    assert any(url.endswith(".css") for url in requests), "the stylesheet was never requested"
    assert any("htmx" in url for url in requests), "htmx was never requested"
    assert any("/children/" in url for url in requests), "the tree made no htmx request"
    outside = [url for url in requests if not url.startswith(f"{base}/")]
    assert not outside, f"requests to other hosts: {outside}"


def test_wrong_passwords_lock_the_account(page, live_server, transactional_db, world, shot):
    from django.conf import settings

    base = live_server.url
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for attempt in range(1, limit):
        log_in(page, base, "13900000002", password=f"wrong-password-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("用户名/手机号或密码不正确")
        expect(page.get_by_role("heading", name="登录青农台帐")).to_be_visible()
    shot("lock-01-wrong-password")

    # The limit-th failure locks the account: axes answers with the Chinese lock-out page.
    with page.expect_response(lambda r: r.url.startswith(f"{base}/login/") and r.request.method == "POST") as answer:
        log_in(page, base, "13900000002", password="wrong-password-last")
    assert answer.value.status == 429
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(page.get_by_text("已被锁定 30 分钟")).to_be_visible()
    expect(page).to_have_title(re.compile("账号已锁定"))
    shot("lock-02-locked-out")

    # Even the right password no longer gets in.
    log_in(page, base, "13900000002")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(page.get_by_test_id("who")).to_have_count(0)

    page.get_by_role("link", name="返回登录页").click()
    expect(page.get_by_role("heading", name="登录青农台帐")).to_be_visible()

    # Another account from the same address is not locked (offices share one NAT address).
    log_in(page, base, "county_a_admin")
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_test_id("who")).to_contain_text("管理员")


def test_lock_by_mobile_number_also_locks_the_username(page, live_server, transactional_db, world):
    from django.conf import settings

    base = live_server.url
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, base, "13900000002", password=f"wrong-password-{attempt}")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    log_in(page, base, "township_a_reporter")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible(timeout=2000)
