"""An inspector completes a county's checklist on a phone (390×844) with a photo, the
network cut once while typing a comment, and a reload while saves are failing: nothing
typed is lost (checked in the database). Screenshots: test-artifacts/inspection-*.png."""
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OFFLINE_COMMENT = "离线时写的意见：鱼河镇有3名团干部联系青年不足20名，需补齐"


def tiny_png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 40)).save(out, "PNG")
    return out.getvalue()


def assigned_inspection(world):
    from qingnong.accounts.models import Role, User
    from qingnong.campaign.models import Campaign
    from qingnong.inspection.models import Inspection
    from qingnong.inspection.services.inspections import round_create

    inspector = User.objects.create(username="city_inspector", org=world.city, role=Role.REPORTER, full_name="王检查")
    inspector.set_password("test-password-2014")
    inspector.save()
    campaign = Campaign.objects.get(org=world.city, year=2014)
    round = round_create(user=world.city_admin, campaign=campaign, name="2014年检查验收", starts_on=date(2014, 11, 20),
                         ends_on=date(2014, 11, 30), inspectors={world.county_a.pk: inspector})
    return Inspection.objects.get(round=round, org=world.county_a)


def test_inspector_completes_a_checklist_through_a_network_cut(page, context, live_server, transactional_db, world):
    from qingnong.inspection.models import Finding, Inspection, InspectionStatus, SpotCheck
    from qingnong.inspection.services.inspections import inspection_publish

    ARTIFACTS.mkdir(exist_ok=True)
    inspection = assigned_inspection(world)
    findings = {f.item: f for f in inspection.findings.all()}
    base = live_server.url
    log_in(page, base, "city_inspector")
    page.get_by_role("link", name="检查", exact=True).click()
    page.get_by_test_id("my-inspections").get_by_role("link", name="榆阳区").click()
    status = page.get_by_test_id("save-status")
    expect(status).to_have_text("已保存")

    def item(key):
        return page.locator(f"#finding-{findings[key].pk}")

    # Online: a verdict and a comment are saved as the inspector goes.
    expect(item("groups")).to_contain_text("团青微信群（已建 / 计划）")
    item("groups").get_by_text("达标", exact=True).click()
    item("groups").get_by_label("检查意见").press_sequentially("团青群建设基本到位")
    expect(status).to_have_text("已保存")

    # The network goes while a comment is being typed: the edit waits in the draft.
    comment = item("youths").get_by_label("检查意见")
    comment.press_sequentially(OFFLINE_COMMENT[:12])
    context.set_offline(True)
    comment.press_sequentially(OFFLINE_COMMENT[12:])
    item("youths").get_by_text("基本达标", exact=True).click()
    expect(status).to_have_text("未保存（离线，将自动重试）")
    draft = page.evaluate(f"localStorage.getItem('qingnong-checklist-{inspection.pk}')")
    assert OFFLINE_COMMENT in draft
    # A spot check added offline waits in the queue too (the form is open while there is none).
    page.get_by_label("抽查的微信群").select_option(label="鱼河镇 · 甲村测试青年群")
    page.locator("#spot-form").get_by_label("是", exact=True).check()
    page.get_by_role("button", name="添加抽查").click()
    expect(page.get_by_test_id("spot-queue")).to_have_text("待上传：鱼河镇 · 甲村测试青年群 · 该群存在且活跃（是）")
    page.screenshot(path=str(ARTIFACTS / "inspection-checklist-offline.png"))
    context.set_offline(False)
    expect(page.locator(".spot")).to_have_count(1, timeout=20_000)  # posted, and the page reloaded to show it
    expect(status).to_have_text("已保存", timeout=20_000)
    assert Finding.objects.get(pk=findings["youths"].pk).comment == OFFLINE_COMMENT

    # Saves failing and the page reloaded: the draft comes back and is sent once saves work.
    page.route("**/autosave/", lambda route: route.abort())
    page.get_by_label("总体评价").press_sequentially("总体较好，发送频次偏低")
    expect(status).to_have_text("未保存（离线，将自动重试）")
    page.reload()
    expect(page.get_by_label("总体评价")).to_have_value("总体较好，发送频次偏低")
    page.unroute("**/autosave/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_have_text("已保存", timeout=20_000)

    item("messages").get_by_text("未达标", exact=True).click()
    item("messages").get_by_label("检查意见").fill("每群每周发送不足 2 条")
    item("activities").get_by_text("达标", exact=True).click()
    expect(status).to_have_text("已保存")

    # The spot check's note, autosaved like the rest.
    spot = SpotCheck.objects.get(inspection=inspection)
    expect(page.locator(f"#spot-{spot.pk}").get_by_label("是", exact=True)).to_be_checked()
    page.locator(f"#spot-{spot.pk}").get_by_label("备注").fill("群内本周有 3 条致富信息")
    expect(status).to_have_text("已保存")

    # A photo for 建群情况.
    item("groups").locator("input[type=file]").set_input_files(
        files=[{"name": "qun.png", "mimeType": "image/png", "buffer": tiny_png()}])
    item("groups").get_by_role("button", name="上传照片").click()
    expect(page.get_by_text("已上传 1 张照片。")).to_be_visible()
    expect(item("groups").locator("ul.photos img")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "inspection-checklist.png"), full_page=True)

    expect(status).to_have_text("已保存")
    page.get_by_role("button", name="提交检查（已完成）").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")

    # Nothing typed was lost.
    saved = {f.item: f for f in Finding.objects.filter(inspection=inspection)}
    assert {k: f.verdict for k, f in saved.items()} == {"groups": "met", "youths": "mostly", "messages": "not_met", "activities": "met"}
    assert saved["groups"].comment == "团青群建设基本到位"
    assert saved["youths"].comment == OFFLINE_COMMENT
    assert saved["messages"].comment == "每群每周发送不足 2 条"
    inspection = Inspection.objects.get(pk=inspection.pk)
    assert inspection.status == InspectionStatus.SUBMITTED and inspection.summary == "总体较好，发送频次偏低"
    spot.refresh_from_db()
    assert spot.passed is True and spot.note == "群内本周有 3 条致富信息"
    assert inspection.photos.filter(finding=saved["groups"]).count() == 1

    # Published, the county reads the report with the photo and can answer.
    inspection_publish(user=world.city_admin, inspection=inspection)
    context.clear_cookies()
    log_in(page, base, "county_a_admin")
    page.goto(f"{base}/inspection/{inspection.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("已发布")
    expect(page.get_by_role("img", name="建群情况照片 1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "inspection-report.png"), full_page=True)
    page.goto(f"{base}/inspection/{inspection.pk}/?print=1")
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "inspection-report-print.png"), full_page=True)


def test_city_admin_round_pages_on_a_phone(page, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    inspection = assigned_inspection(world)
    log_in(page, live_server.url, "city_admin")
    page.get_by_role("link", name="检查", exact=True).click()
    page.get_by_role("link", name="2014年检查验收").click()
    row = page.get_by_test_id("round-inspections").locator(f"#inspection-{inspection.pk}")
    expect(row.get_by_label("检查人")).to_have_value(str(inspection.inspector_id))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "inspection-round.png"), full_page=True)
