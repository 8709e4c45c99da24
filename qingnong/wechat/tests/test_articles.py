"""Published articles (issue 14): fetched 20 a page until a known one, kept together or not
at all; a person gives each its 内容类别 and 栏目, and it becomes one message record of the
account (source 公众号接口) counted on its publish day."""
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingnong.ledger.models import MessageRecord, Source
from qingnong.wechat.models import PublishedArticle
from qingnong.wechat.services import sync_account, sync_articles

NOW = timezone.make_aware(datetime(2026, 12, 6, 9, 30))


@pytest.fixture(autouse=True)
def pinned_today(settings):
    settings.PINNED_TODAY = "2026-12-06"


def test_all_published_articles_are_fetched_then_only_new_ones(platform, linked):
    assert sync_articles(linked) == 30  # 25 publishes, 5 of them with two articles
    assert len(platform.data_calls("freepublish/batchget")) == 2  # 20 a page
    assert PublishedArticle.objects.filter(article_id="ART025").count() == 2
    platform.articles.insert(0, ("ART026", 1764000000 + 26 * 86400, ["第26期 技能培训"]))
    assert sync_articles(linked) == 1
    assert len(platform.data_calls("freepublish/batchget")) == 3  # the first page had a known one: stop
    assert not MessageRecord.objects.filter(source=Source.API).exists()  # nothing counts before a person confirms


def test_the_nightly_run_fetches_articles_of_verified_accounts(platform, linked):
    run = sync_account(linked, now=NOW, back=2)
    assert run.error == "" and run.articles == 30


def test_a_fault_while_fetching_keeps_no_article(platform, linked):
    platform.fault, platform.fault_after = 45009, 1  # the first page comes, the second is refused
    run = sync_account(linked, now=NOW, back=0)
    assert "45009" in run.error and not PublishedArticle.objects.exists()


def test_confirming_makes_one_message_record_of_the_account(client_for, world, platform, linked):
    sync_articles(linked)
    article = PublishedArticle.objects.get(article_id="ART025", index=1)
    client = client_for(world.county_a_admin)
    page = client.get(reverse("wechat:link", kwargs={"account_id": linked.account_id})).content.decode()
    assert 'data-testid="articles"' in page and article.title in page
    url = reverse("wechat:article-confirm", kwargs={"article_id": article.pk})
    response = client.post(url, {"category": "policy", "theme": "role_model"}, follow=True)
    assert "已记入发送微信" in response.content.decode()
    record = MessageRecord.objects.get(source=Source.API)
    assert (record.account, record.category, record.theme, record.count, record.title) == (
        linked.account, "policy", "role_model", 1, article.title)
    assert record.period_start == article.published_on and record.link == article.url
    article.refresh_from_db()
    assert article.message == record
    again = client.post(url, {"category": "news"}, follow=True).content.decode()
    assert "已经确认过了" in again and MessageRecord.objects.filter(source=Source.API).count() == 1


def test_a_category_is_required_and_others_cannot_confirm(client_for, world, platform, linked):
    sync_articles(linked)
    article = PublishedArticle.objects.first()
    url = reverse("wechat:article-confirm", kwargs={"article_id": article.pk})
    assert "请选择内容类别" in client_for(world.county_a_admin).post(url, {"category": ""}, follow=True).content.decode()
    assert client_for(world.county_a_reporter).post(url, {"category": "news"}).status_code == 403
    assert client_for(world.county_b_admin).post(url, {"category": "news"}).status_code == 404
    assert not MessageRecord.objects.filter(source=Source.API).exists()


def test_readers_of_the_last_weeks_articles_are_kept(platform, linked, settings):
    settings.PINNED_TODAY = "2025-12-22"
    run = sync_account(linked, now=timezone.make_aware(datetime(2025, 12, 22, 9, 30)), back=3)
    assert run.error == "" and run.articles == 30
    calls = platform.data_calls("getarticletotal")
    assert [c["begin_date"] for c in calls] == [f"2025-12-{d}" for d in range(15, 22)]  # the last 7 days, one a call
    newest = PublishedArticle.objects.get(article_id="ART025", index=1)
    assert (newest.reads, newest.reads_as_of) == (301, date(2025, 12, 22))  # its latest day given
    assert set(PublishedArticle.objects.filter(article_id="ART010").values_list("reads", flat=True)) == {None}  # sent before the window
