"""附件3 on screen: the merged header from the layout, township rows and footers, the
period in the header, imported rows marked and differences flagged, scope, and a query
count that does not grow with the number of townships."""
import io
from datetime import date

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingnong.ledger.models import GroupKind, WechatGroup
from qingnong.org.models import Org, OrgLevel
from conftest import report_for
from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun


def url(org, **query):
    base = reverse("reports:progress", kwargs={"org_id": org.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_county_form(client_for, world):
    body = client_for(world.county_a_admin).get(url(world.county_a, as_of="2014-11-30")).content.decode()
    assert "农村共青团微信体系建设工作推进情况跟踪摸底表" in body
    assert 'rowspan="3" class="first">乡镇名称</th>' in body
    assert 'colspan="9">微信群内成员数(人)</th>' in body and 'colspan="5">在乡</th>' in body and 'colspan="4">外出</th>' in body
    assert 'rowspan="2">政策法规</th>' in body
    assert body.count("<tr>") >= 3
    for text in ("鱼河镇", "合计", "县级直属微信群数量", "市级直属微信群数量", "总计", "截至2014年11月30日累计", "2014年11月30日"):
        assert text in body
    assert "甲县测试填报员" not in body


def test_the_filler_is_the_countys_own_whoever_produces_the_form(client_for, world):
    """Issue 18: 填表人 and 联系方式 are the county's, as written on its 附件1 (and edited there),
    not the name and mobile of whoever opens or downloads the form; blank lines when none."""
    from qingnong.campaign.models import Campaign, CountyPlan
    from qingnong.campaign.services import plan_prefill

    blank = client_for(world.county_a_admin).get(url(world.county_a, as_of="2014-11-30")).content.decode()
    assert "13900000001" not in blank  # the admin's own mobile is not the county's contact
    campaign = Campaign.objects.get(org=world.city, year=2014)
    CountyPlan.objects.create(campaign=campaign, org=world.county_a,
                              **{**plan_prefill(campaign=campaign, county=world.county_a), "filled_by": "张伟", "contact": "0912-3282345"})
    for user in (world.city_admin, world.county_a_viewer):
        body = client_for(user).get(url(world.county_a, as_of="2014-11-30")).content.decode()
        assert "张伟" in body and "0912-3282345" in body
        response = client_for(user).get(reverse("reports:progress-xlsx", kwargs={"org_id": world.county_a.pk}) + "?as_of=2014-11-30")
        ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert "填表人：张伟" in ws["A3"].value and "联系方式：0912-3282345" in ws["A3"].value
    # The city's workbook: each county's sheet carries that county's own (横山区 wrote none).
    response = client_for(world.city_admin).get(reverse("reports:progress-xlsx", kwargs={"org_id": world.city.pk}) + "?as_of=2014-11-30")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "填表人：张伟" in book["榆阳区"]["A3"].value and "张伟" not in book["横山区"]["A3"].value


def test_period_and_bad_dates(client_for, world):
    client = client_for(world.county_a_admin)
    assert "2014年11月01日至2014年11月30日" in client.get(url(world.county_a, as_of="2014-11-30", **{"from": "2014-11-01"})).content.decode()
    body = client.get(url(world.county_a, as_of="2014-13-45")).content.decode()
    assert "不是有效日期" in body
    body = client.get(url(world.county_a, as_of="2014-11-01", **{"from": "2014-11-30"})).content.decode()
    assert "开始日期晚于填报日期" in body and "截至2014年11月01日累计" in body


def test_imported_row_is_marked_and_differences_flagged(client_for, world):
    run = ImportRun.objects.create(org=world.county_a, form_code="progress", file="imports/x.xlsx", file_name="x.xlsx",
                                   as_of=date(2014, 11, 30))
    ReportedProgress.objects.create(org=world.township_a, as_of=date(2014, 11, 30), report=report_for(run), group_count=4,
                                    figures={"msg_policy": 5})
    body = client_for(world.county_a_admin).get(url(world.county_a, as_of="2014-11-30")).content.decode()
    assert 'class="imported"' in body and "Excel 导入" in body
    assert 'class="num differs" title="台帐：1">4<small class="ledger-figure">台帐 1</small>' in body
    assert "台帐 5" not in body  # 发送微信数 agrees with the ledger


def test_city_summary_links_counties(client_for, world):
    body = client_for(world.city_admin).get(url(world.city, as_of="2014-11-30")).content.decode()
    assert "县区名称" in body and "乡镇名称" not in body
    # In the city's words (issue 18): its committee, and a note about counties, not townships.
    assert "团市委：<u>榆林市</u>" in body and "县(区)团委" not in body and "不属于任何县区" in body
    assert reverse("reports:progress", kwargs={"org_id": world.county_a.pk}) in body
    assert "榆阳区" in body and "横山区" in body


def test_print_view_has_no_menus(client_for, world):
    body = client_for(world.county_a_admin).get(url(world.county_a, as_of="2014-11-30", print=1)).content.decode()
    assert "print.css" in body and 'aria-label="主菜单"' not in body and "form-sheet wide landscape" in body


def test_below_a_county_goes_to_its_county(client_for, world):
    response = client_for(world.county_a_admin).get(url(world.village_a, as_of="2014-11-30"))
    assert response.status_code == 302 and response["Location"] == url(world.county_a, as_of="2014-11-30")


def test_township_reporter_cannot_open_the_county_form(client_for, world):
    assert client_for(world.township_a_reporter).get(url(world.township_a)).status_code == 404


def test_other_county_gets_404(client_for, world):
    client = client_for(world.county_b_admin)
    assert client.get(url(world.county_a)).status_code == 404
    assert client.get(reverse("reports:progress-xlsx", kwargs={"org_id": world.county_a.pk})).status_code == 404
    assert client.get(url(world.county_b)).status_code == 200


def test_download(client_for, world):
    response = client_for(world.county_a_admin).get(reverse("reports:progress-xlsx", kwargs={"org_id": world.county_a.pk}) + "?as_of=2014-11-30")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and "20141130.xlsx" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.title == "榆阳区" and "填表人：" in ws["A3"].value and "county_a_admin" not in ws["A3"].value


def queries(client, org):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(org, as_of="2014-11-30")).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_townships(client_for, world):
    for township in Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP)[:10]:
        WechatGroup.objects.create(org=township, name=f"{township.name}青年群", kind=GroupKind.YOUTH)
    a_townships = Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).count()
    b_townships = Org.objects.filter(parent=world.county_b, level=OrgLevel.TOWNSHIP).count()
    assert a_townships > b_townships + 5
    client = client_for(world.city_admin)
    queries(client, world.county_a)  # warm up the session
    a, b = queries(client, world.county_a), queries(client, world.county_b)
    # Session and user, the org and its crumbs, the townships, the standing reports (the
    # ledger's latest update is read only for townships that have one), one GROUP BY per
    # summary or ledger table (groups with their members from the dated rows, messages,
    # activities, township figures), the cadres (dated rows) and 团组织 the ledger holds
    # (团干部数/团支部数), the 直属 groups; the county's 填表人 from its latest 附件1 (issue 18).
    assert a == b == 16, (a, b)
