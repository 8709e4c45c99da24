"""Message pages: list with filters and SQL totals, create, edit with conflict, delete/restore; scope."""
from datetime import date, timedelta

import pytest

from conftest import A_GROUP, A_MESSAGE
from qingnong.ledger.models import MessageRecord, WechatGroup
from qingnong.ledger.services.messages import message_create, message_update
from qingnong.lib.dates import today


def list_url(org, query=""):
    return f"/ledger/orgs/{org.pk}/messages/{query}"


def create_url(org):
    return f"/ledger/orgs/{org.pk}/messages/new/"


def post_data(target, **overrides):
    return {"target": target, "period_start": "2014-10-08", "period_end": "", "count": "3", "category": "policy",
            "theme": "", "title": "", "link": "", **overrides}


def test_list_shows_subtree_records_with_totals_by_category(client_for, world, group, official_account):
    message_create(user=world.county_a_admin, official_account=official_account, period_start=date(2014, 10, 9), count=4,
                   category="news", theme="league_news", title="县里的一篇推送")
    response = client_for(world.county_a_viewer).get(list_url(world.county_a))
    body = response.content.decode()

    assert A_MESSAGE in body and "县里的一篇推送" in body
    totals = response.context["totals"]
    assert (totals["messages"], totals["records"], totals["policy"], totals["news"], totals["other"]) == (9, 2, 5, 4, 0)
    assert "记录发送微信" not in body  # viewers do not get the button


def test_township_page_shows_only_its_subtree(client_for, world, official_account):
    message_create(user=world.county_a_admin, official_account=official_account, period_start=date(2014, 10, 9), count=4,
                   category="news", theme="league_news", title="县里的一篇推送")
    body = client_for(world.township_a_reporter).get(list_url(world.township_a)).content.decode()
    assert A_MESSAGE in body and "县里的一篇推送" not in body


def test_filters_by_category_target_and_dates(client_for, world, group, official_account):
    message_create(user=world.county_a_admin, official_account=official_account, period_start=date(2014, 11, 2), count=4,
                   category="news", theme="league_news", title="十一月推送")
    client = client_for(world.county_a_admin)

    def titles(query):
        return {m.title for m in client.get(list_url(world.county_a, query)).context["page"]}

    assert titles("?category=news") == {"十一月推送"}
    assert titles(f"?target=g{group.pk}") == {A_MESSAGE}
    assert titles(f"?target=a{official_account.pk}") == {"十一月推送"}
    assert titles("?start=2014-11-01") == {"十一月推送"}
    assert titles("?end=2014-10-31") == {A_MESSAGE}
    assert titles("?start=not-a-date&category=bogus") == {A_MESSAGE, "十一月推送"}  # bad filters are ignored
    totals = client.get(list_url(world.county_a, "?start=2014-11-01")).context["totals"]
    assert totals["messages"] == 4


def test_htmx_request_gets_only_the_rows(client_for, world):
    body = client_for(world.county_a_admin).get(list_url(world.county_a), HTTP_HX_REQUEST="true").content.decode()
    assert A_MESSAGE in body and "<html" not in body


def test_reporter_records_a_period_for_a_group(client_for, world, group):
    client = client_for(world.township_a_reporter)
    assert A_GROUP in client.get(create_url(world.township_a)).content.decode()

    response = client.post(create_url(world.township_a), post_data(f"g{group.pk}", period_start="2014-11-03",
                                                                    period_end="2014-11-09", count="14", category="prosperity"))
    assert response.status_code == 302
    message = MessageRecord.objects.get(period_start=date(2014, 11, 3))
    assert (message.group, message.count, message.period_end, message.entered_by) == (group, 14, date(2014, 11, 9), world.township_a_reporter)


def test_an_account_record_needs_a_theme(client_for, world, official_account):
    client = client_for(world.county_a_reporter)
    response = client.post(create_url(world.county_a), post_data(f"a{official_account.pk}"))
    assert response.status_code == 200
    assert "公众号发送的请选择栏目。" in response.content.decode()

    response = client.post(create_url(world.county_a), post_data(f"a{official_account.pk}", theme="role_model", title="榜样"))
    assert response.status_code == 302
    assert MessageRecord.objects.get(title="榜样").account == official_account


@pytest.mark.parametrize("count,error", [("-2", "至少为 1。"), ("2.5", "请输入整数。"), ("abc", "请输入整数。"), ("0", "至少为 1。")])
def test_bad_counts_are_shown_next_to_the_field(client_for, world, group, count, error):
    response = client_for(world.township_a_reporter).post(create_url(world.township_a), post_data(f"g{group.pk}", count=count))
    assert response.status_code == 200
    assert f"条数：{error}" in response.content.decode()


def test_rule_errors_from_the_service_land_on_the_fields(client_for, world, group):
    client = client_for(world.township_a_reporter)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    body = client.post(create_url(world.township_a), post_data(f"g{group.pk}", period_start=tomorrow)).content.decode()
    assert "日期：开始日期不能晚于今天。" in body
    body = client.post(create_url(world.township_a), post_data(f"g{group.pk}", period_end="2014-10-01")).content.decode()
    assert "结束日期：结束日期不能早于开始日期。" in body
    assert MessageRecord.objects.count() == 1


def test_a_group_of_another_county_cannot_be_smuggled_in(client_for, world):
    other = WechatGroup.objects.create(org=world.township_b, name="乙县的群", kind="youth", bases=",place,")
    response = client_for(world.county_a_admin).post(create_url(world.county_a), post_data(f"g{other.pk}"))
    assert response.status_code == 200
    assert "请选择本组织及下级的微信群或公众号。" in response.content.decode()
    assert not MessageRecord.objects.filter(group=other).exists()


def test_edit_conflict_shows_both_versions(client_for, world, group):
    message = MessageRecord.objects.get(title=A_MESSAGE)
    client = client_for(world.township_a_reporter)
    url = f"/ledger/messages/{message.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["version"] == 1

    message_update(user=world.county_a_admin, message=message, expected_version=1, count=8, category="news")
    mine = post_data(f"g{group.pk}", period_start="2014-10-06", period_end="2014-10-12", count="6", title=A_MESSAGE, version="1")
    response = client.post(url, mine)
    body = response.content.decode()

    assert response.status_code == 200
    assert "其他人已修改了这条记录" in body
    conflict = response.context["conflict"]
    assert ("条数", "6", 8) in conflict and ("内容类别", "政策法规", "新闻娱乐") in conflict
    assert MessageRecord.objects.get(pk=message.pk).count == 8

    response = client.post(url, {**mine, "version": "2"})  # saving again keeps what you typed
    assert response.status_code == 302
    assert MessageRecord.objects.get(pk=message.pk).count == 6


def test_delete_then_restore_from_the_trash(client_for, world):
    message = MessageRecord.objects.get(title=A_MESSAGE)
    client = client_for(world.township_a_reporter)
    assert client.post(f"/ledger/messages/{message.pk}/delete/").status_code == 302
    assert A_MESSAGE not in client.get(list_url(world.township_a)).content.decode()
    assert f"{A_GROUP} 2014-10-06 政策法规 5 条" in client.get("/trash/").content.decode()

    assert client.post(f"/trash/message/{message.pk}/restore/").status_code == 302
    assert MessageRecord.objects.filter(pk=message.pk).exists()


def test_viewer_cannot_open_the_forms(client_for, world):
    client = client_for(world.county_a_viewer)
    message = MessageRecord.objects.get(title=A_MESSAGE)
    assert client.get(create_url(world.county_a)).status_code == 403
    assert client.get(f"/ledger/messages/{message.pk}/edit/").status_code == 403
    assert client.post(f"/ledger/messages/{message.pk}/delete/").status_code == 403


def test_other_county_gets_404(client_for, world):
    client = client_for(world.county_b_admin)
    message = MessageRecord.objects.get(title=A_MESSAGE)
    assert client.get(list_url(world.township_a)).status_code == 404
    assert client.get(f"/ledger/messages/{message.pk}/edit/").status_code == 404
    assert client.post(f"/ledger/messages/{message.pk}/delete/").status_code == 404
    assert A_MESSAGE not in client.get(list_url(world.county_b)).content.decode()


def test_restoring_a_record_that_overlaps_a_newer_one_warns_and_restores(client_for, world, group):
    """Deleted, then the same week entered again: bringing the old one back is allowed (a
    delete can always be undone) and the page names the record entered since."""
    message = MessageRecord.objects.get(title=A_MESSAGE)  # 10-06–10-12, policy, 5
    client = client_for(world.township_a_reporter)
    client.post(f"/ledger/messages/{message.pk}/delete/")
    message_create(user=world.township_a_reporter, group=group, period_start=date(2014, 10, 8), count=4, category="policy")

    body = client.post(f"/trash/message/{message.pk}/restore/", follow=True).content.decode()

    assert "已恢复" in body
    assert "这段时间已有同类别的发送记录：10月08日 政策法规 4 条（逐条记录）" in body and "以免重复计数" in body
    assert MessageRecord.objects.filter(pk=message.pk).exists()


def test_restoring_without_overlap_says_nothing_more(client_for, world):
    message = MessageRecord.objects.get(title=A_MESSAGE)
    client = client_for(world.township_a_reporter)
    client.post(f"/ledger/messages/{message.pk}/delete/")
    body = client.post(f"/trash/message/{message.pk}/restore/", follow=True).content.decode()
    assert "已恢复" in body and "以免重复计数" not in body
