"""导出 Excel of the four ledger lists: the whole filtered list (every page) of the org's
subtree, read back with openpyxl; scope, masking, the row cap and constant statements."""
import io
from datetime import date, datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import A_ACTIVITY, A_CADRE, A_GROUP, A_MESSAGE
from qingnong.ledger import exports
from qingnong.ledger.models import Activity, Cadre, GroupKind, MessageCategory, MessageRecord, WechatGroup

LISTS = {  # list → (its URL segment, the export's URL segment)
    "groups": "groups", "cadres": "cadres", "messages": "messages", "activities": "activities",
}
HEADER_ROW = 3  # title, then the line of org / filters / date, then the header


def export_url(org, name, query=""):
    return f"/ledger/orgs/{org.pk}/{LISTS[name]}/export/{query}"


def read(response):
    """(header, rows as dicts keyed by header, the title, the line under it) of an export."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    header = list(lines[HEADER_ROW - 1])
    rows = [dict(zip(header, line)) for line in lines[HEADER_ROW:]]
    return header, rows, lines[0][0], lines[1][0]


def by(rows, key, value):
    found = [r for r in rows if r[key] == value]
    assert len(found) == 1, (value, [r[key] for r in rows])
    return found[0]


def test_group_export_has_the_header_and_typed_values(client_for, world):
    group = WechatGroup.objects.get(name=A_GROUP)
    WechatGroup.objects.filter(pk=group.pk).update(founded_on=date(2014, 9, 1), members_total=57, home_farming=40,
                                                   away_wage=17, members_as_of=date(2014, 10, 6))
    response = client_for(world.county_a_admin).get(export_url(world.county_a, "groups"))
    header, rows, title, line = read(response)

    assert header == ["所属组织（乡镇/村）", "群名称", "类型", "建群依据/覆盖层级", "状态", "建群日期", "解散日期", "群主",
                      "当前成员数", "成员数截至", "在乡·务农", "在乡·务工", "在乡·经商", "在乡·行政事业单位", "在乡·其他",
                      "外出·务工", "外出·就学", "外出·创业", "外出·其他"]
    row = by(rows, "群名称", A_GROUP)
    assert (row["所属组织（乡镇/村）"], row["类型"], row["建群依据/覆盖层级"], row["状态"], row["群主"]) == \
        ("鱼河镇", "团青微信群", "地缘", "活跃", A_CADRE)
    assert row["建群日期"] == datetime(2014, 9, 1) and row["成员数截至"] == datetime(2014, 10, 6)  # real dates
    assert row["解散日期"] is None
    assert (row["当前成员数"], row["在乡·务农"], row["外出·务工"], row["外出·就学"]) == (57, 40, 17, 0)
    assert isinstance(row["当前成员数"], int)
    assert title == "榆阳区微信群台帐" and "组织：榆阳区团委" in line and "筛选：全部" in line
    name = f"榆阳区-微信群台帐-{date.today():%Y-%m-%d}.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_group_export_is_every_page_with_the_page_filters(client_for, world):
    WechatGroup.objects.bulk_create([WechatGroup(org=world.village_a, name=f"青农{i:02d}", kind=GroupKind.WORK,
                                                 covers_level="village") for i in range(35)])  # past one page (30)
    response = client_for(world.county_a_viewer).get(export_url(world.county_a, "groups", "?kind=work&page=2"))
    _, rows, _, line = read(response)

    assert len(rows) == 35 and {r["类型"] for r in rows} == {"青农微信群"}
    assert rows[0]["所属组织（乡镇/村）"] == "鱼河镇 / 甲村测试团支部"
    assert rows[0]["建群依据/覆盖层级"] == "覆盖村团组织"
    assert [r["群名称"] for r in rows] == sorted(r["群名称"] for r in rows)  # the page's order
    assert "类型：青农微信群" in line


def test_another_countys_rows_are_absent(client_for, world):
    WechatGroup.objects.create(org=world.township_b, name="乙县的群", kind=GroupKind.YOUTH)
    _, mine, _, _ = read(client_for(world.county_a_admin).get(export_url(world.county_a, "groups")))
    _, theirs, _, _ = read(client_for(world.county_b_admin).get(export_url(world.county_b, "groups")))
    _, city, _, _ = read(client_for(world.city_admin).get(export_url(world.city, "groups")))

    names = lambda rows: {r["群名称"] for r in rows}  # noqa: E731
    assert A_GROUP in names(mine) and "乙县的群" not in names(mine)
    assert names(theirs) == {"乙县的群"}
    assert {A_GROUP, "乙县的群"} <= names(city)


@pytest.mark.parametrize("name", LISTS)
def test_another_countys_org_is_a_404(client_for, world, name):
    assert client_for(world.county_b_admin).get(export_url(world.township_a, name)).status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_export_is_get_only_and_needs_login(client, client_for, world, name):
    assert client.get(export_url(world.county_a, name)).status_code == 302  # to the login page
    assert client_for(world.county_a_admin).post(export_url(world.county_a, name)).status_code == 405


@pytest.mark.parametrize("persona,mobile,wechat", [
    ("county_a_viewer", "137****0001", "zha****ngan"),
    ("county_a_reporter", "13700000001", "zhang_cungan"),
])
def test_cadre_export_masks_contacts_for_viewers_as_the_page(client_for, world, persona, mobile, wechat):
    Cadre.objects.filter(name=A_CADRE).update(wechat_id="zhang_cungan", youths_reached=23)
    Cadre.objects.create(org=world.county_a, name="县团委书记", is_grassroots=False)
    _, rows, _, _ = read(client_for(getattr(world, persona)).get(export_url(world.county_a, "cadres")))

    row = by(rows, "姓名", A_CADRE)
    assert row == {"所属组织": "鱼河镇", "姓名": A_CADRE, "职务": "团委书记", "是否基层团干部": "是",
                   "微信联系农村青年数": 23, "手机号": mobile, "微信号": wechat}
    assert by(rows, "姓名", "县团委书记")["是否基层团干部"] == "否"


def test_cadre_export_honours_the_grassroots_filter(client_for, world):
    Cadre.objects.create(org=world.county_a, name="县团委书记", is_grassroots=False)
    _, rows, _, line = read(client_for(world.county_a_admin).get(export_url(world.county_a, "cadres", "?grassroots=0")))

    assert [r["姓名"] for r in rows] == ["县团委书记"] and "类别：非基层团干部" in line


def test_message_export_rows_and_filters(client_for, world):
    group = WechatGroup.objects.get(name=A_GROUP)
    MessageRecord.objects.create(org=world.township_a, group=group, period_start=date(2014, 10, 20),
                                 period_end=date(2014, 10, 20), month=date(2014, 10, 1), count=3,
                                 category=MessageCategory.PROSPERITY, title="致富一条", entered_by=world.township_a_reporter)
    _, rows, _, _ = read(client_for(world.county_a_viewer).get(export_url(world.county_a, "messages")))
    row = by(rows, "标题", A_MESSAGE)
    assert row == {"日期/期间·起": datetime(2014, 10, 6), "日期/期间·止": datetime(2014, 10, 12), "所属组织": "鱼河镇",
                   "微信群或公众号": f"微信群 {A_GROUP}", "内容类别": "政策法规", "条数": 5, "标题": A_MESSAGE,
                   "来源": "手工填报", "填报人": None}
    assert by(rows, "标题", "致富一条")["填报人"] == "甲县测试填报员"
    assert [r["标题"] for r in rows] == ["致富一条", A_MESSAGE]  # newest first, as the page

    _, rows, _, line = read(client_for(world.county_a_viewer).get(
        export_url(world.county_a, "messages", "?category=prosperity&start=2014-10-01")))
    assert [r["标题"] for r in rows] == ["致富一条"] and "类别：致富信息" in line and "从：2014-10-01" in line


def test_activity_export_rows(client_for, world):
    _, rows, title, _ = read(client_for(world.county_a_admin).get(export_url(world.county_a, "activities")))
    assert rows == [{"活动日期": datetime(2014, 10, 8), "组织": "鱼河镇", "活动类型": "技能培训", "活动名称": A_ACTIVITY,
                     "参加人数": 30, "关联微信群": A_GROUP}]
    assert title == "榆阳区线下活动台帐"
    _, rows, _, _ = read(client_for(world.county_a_admin).get(export_url(world.county_a, "activities", "?activity_type=dating")))
    assert rows == []


@pytest.mark.parametrize("name", LISTS)
def test_over_the_cap_no_file_but_a_message_on_the_list(client_for, world, name, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 0)
    client = client_for(world.county_a_admin)
    response = client.get(export_url(world.county_a, name, "?q=甲"))

    assert response.status_code == 302
    assert response["Location"] == f"/ledger/orgs/{world.county_a.pk}/{LISTS[name]}/?q=%E7%94%B2"
    page = client.get(response["Location"]).content.decode()
    assert "共 1 条，超过 0 条，请按乡镇或条件筛选后再导出。" in page


def test_the_cap_message_names_fifty_thousand():
    assert exports.MAX_ROWS == 50_000
    assert exports.too_many_message(50_001) == "共 50001 条，超过 5 万条，请按乡镇或条件筛选后再导出。"


@pytest.mark.parametrize("name", LISTS)
def test_the_link_keeps_the_page_filters_but_not_the_page(client_for, world, name):
    client = client_for(world.county_a_admin)
    body = client.get(f"/ledger/orgs/{world.county_a.pk}/{LISTS[name]}/?q=x&page=2").content.decode()
    assert f'href="/ledger/orgs/{world.county_a.pk}/{LISTS[name]}/export/?q=x"' in body
    client.defaults["HTTP_HX_REQUEST"] = "true"  # the filters change the rows through htmx: the link comes with them
    rows = client.get(f"/ledger/orgs/{world.county_a.pk}/{LISTS[name]}/?q=y").content.decode()
    assert f'href="/ledger/orgs/{world.county_a.pk}/{LISTS[name]}/export/?q=y"' in rows


def add_rows(world, name, n, start):
    group = WechatGroup.objects.get(name=A_GROUP)
    org = world.village_a
    if name == "groups":
        WechatGroup.objects.bulk_create([WechatGroup(org=org, name=f"群{start + i:03d}", kind=GroupKind.YOUTH,
                                                     owner=group.owner) for i in range(n)])
    elif name == "cadres":
        Cadre.objects.bulk_create([Cadre(org=org, name=f"干部{start + i:03d}", mobile="13800000000") for i in range(n)])
    elif name == "messages":
        MessageRecord.objects.bulk_create([
            MessageRecord(org=org, group=group, period_start=date(2014, 11, 1), period_end=date(2014, 11, 1),
                          month=date(2014, 11, 1), count=1, category="news", entered_by=world.township_a_reporter)
            for _ in range(n)])
    else:
        Activity.objects.bulk_create([Activity(org=org, held_on=date(2014, 11, 1), activity_type="culture",
                                               title=f"活动{start + i}", group=group) for i in range(n)])


# session, user, the user's org (its scope), the org; the count (for the cap), the 操作记录
# entry of the export and the rows in one streamed read. The message list's form also lists
# the groups and accounts of its target picker, as the page does.
STATEMENTS = {"groups": 7, "cadres": 7, "messages": 9, "activities": 7}


@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_viewer"])
@pytest.mark.parametrize("name", LISTS)
def test_export_statements_do_not_grow_with_rows(client_for, world, name, persona):
    client = client_for(getattr(world, persona))
    url = export_url(world.county_a, name)
    add_rows(world, name, 1, 0)  # 2 rows of county A
    read(client.get(url))  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as few:
        _, small, _, _ = read(client.get(url))
    add_rows(world, name, 38, 1)  # 40 rows
    with CaptureQueriesContext(connection) as many:
        _, large, _, _ = read(client.get(url))

    assert (len(small), len(large)) == (2, 40)
    assert len(few) == len(many) == STATEMENTS[name], "\n".join(q["sql"][:120] for q in many.captured_queries)


def test_an_export_is_in_the_orgs_history_for_those_who_see_it(client_for, world):
    """Lists carry names and phone numbers: who downloaded what is in the 操作记录."""
    from qingnong.audit.models import AuditAction, AuditEntry

    client = client_for(world.county_a_viewer)
    assert client.get(f"/ledger/orgs/{world.county_a.pk}/groups/export/?kind=youth").status_code == 200
    (entry,) = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert (entry.user, entry.object_id, entry.org_path) == (world.county_a_viewer, world.county_a.pk, world.county_a.path)
    assert entry.note == "导出微信群台帐（类型：团青微信群，共 1 条）"
    history = client.get(f"/orgs/{world.county_a.pk}/history/?action=export").content.decode()
    assert "导出微信群台帐（类型：团青微信群，共 1 条）" in history
    other = client_for(world.county_b_admin).get(f"/orgs/{world.county_b.pk}/history/?action=export").content.decode()
    assert "导出微信群台帐" not in other
