"""`qingnong wechat-sync` (issue 14): a month of daily subscriber figures, 7 days a call, each
day whole with the ledger's snapshot (source 公众号接口); safe to re-run; each fault switch
gives a clear message and no partial day, and the next run catches up."""
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qingnong.ledger.models import OfficialAccount, Source, SubscriberSnapshot
from qingnong.wechat.models import DailyUserFigures, SyncRun
from qingnong.wechat.services import days_to_fetch, sync_account

NOW = timezone.make_aware(datetime(2026, 12, 6, 9, 30))  # after 08:00: yesterday is ready
YESTERDAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def pinned_today(settings):
    settings.PINNED_TODAY = "2026-12-06"


def test_a_month_is_fetched_whole_and_kept_in_the_ledger(platform, linked):
    run = sync_account(linked, now=NOW, back=30)
    assert (run.error, run.days_fetched) == ("", 30) and run.finished_at
    days = {d.day: d for d in DailyUserFigures.objects.all()}
    assert min(days) == YESTERDAY - timedelta(days=29) and max(days) == YESTERDAY
    new, cancel, cumulate = platform.figures(YESTERDAY)
    assert (days[YESTERDAY].new_users, days[YESTERDAY].cancelled_users, days[YESTERDAY].cumulated_users) == (new, cancel, cumulate)
    snapshots = SubscriberSnapshot.objects.filter(account=linked.account)
    assert snapshots.count() == 30 and set(snapshots.values_list("source", flat=True)) == {Source.API}
    assert OfficialAccount.objects.get(pk=linked.account_id).subscribers == cumulate
    windows = platform.data_calls("getusersummary")
    assert len(windows) == 5 and all((date.fromisoformat(w["end_date"]) - date.fromisoformat(w["begin_date"])).days < 7 for w in windows)
    # Re-run: nothing left to fetch, nothing asked of the platform.
    again = sync_account(linked, now=NOW)
    assert again.days_fetched == 0 and len(platform.data_calls("getusersummary")) == 5


def test_a_typed_figure_far_from_the_platforms_is_kept_and_flagged(client_for, world, platform, linked):
    from django.urls import reverse

    from qingnong.ledger.services.accounts import subscriber_record

    subscriber_record(user=world.county_a_admin, official_account=linked.account, taken_on=YESTERDAY, subscribers=50)
    sync_account(linked, now=NOW, back=2)
    day = DailyUserFigures.objects.get(day=YESTERDAY)
    assert day.typed == 50 and SubscriberSnapshot.objects.get(account=linked.account, taken_on=YESTERDAY).source == Source.API
    body = client_for(world.county_a_admin).get(reverse("wechat:link", kwargs={"account_id": linked.account_id})).content.decode()
    assert "台帐填报 50，相差较大" in body


def test_before_eight_yesterday_is_not_ready(linked):
    first, last = days_to_fetch(linked, now=timezone.make_aware(datetime(2026, 12, 6, 7, 59)))
    assert last == date(2026, 12, 4)


@pytest.mark.parametrize("fault,words", [
    (45009, "次数已用完（45009）"), (48001, "微信认证"), (40164, "IP白名单"), ("timeout", "超时"), (40001, "AppSecret"),
])
def test_each_fault_says_what_to_do_and_leaves_no_partial_day(platform, linked, fault, words):
    platform.fault, platform.fault_after = fault, 2  # the first window (7 days) goes through, then the fault
    run = sync_account(linked, now=NOW, back=30)
    assert words in run.error and run.days_fetched == 7
    assert DailyUserFigures.objects.count() == 7 == SubscriberSnapshot.objects.filter(account=linked.account).count()
    linked.refresh_from_db()
    assert linked.synced_through == YESTERDAY - timedelta(days=29 - 6)
    # The platform recovers: the next run fetches the rest, whole.
    platform.fault = None
    run = sync_account(linked, now=NOW)
    assert run.error == "" and run.days_fetched == 23 and DailyUserFigures.objects.count() == 30


def test_a_stale_token_is_renewed_once_and_the_call_retried(platform, linked):
    platform.fault = "stale_once"
    run = sync_account(linked, now=NOW, back=3)
    assert run.error == "" and run.days_fetched == 3
    forced = [b for p, b in platform.calls if p.endswith("stable_token") and b["force_refresh"]]
    assert len(forced) == 1  # one new token, forced: the old one was still "valid" by its clock


def test_a_token_refused_for_good_is_not_a_loop(platform, linked):
    platform.fault = 40001
    run = sync_account(linked, now=NOW, back=3)
    assert "40001" in run.error and len(platform.data_calls("getusersummary")) == 2  # the call and one retry


def test_the_command_reports_each_account_and_fails_when_one_did(platform, linked):
    out = StringIO()
    call_command("wechat_sync", "--days", "10", stdout=out)
    assert "取得 10 天" in out.getvalue() and SyncRun.objects.count() == 1
    platform.fault = 45009
    linked.synced_through = None
    linked.save()
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("wechat_sync", stdout=StringIO(), stderr=err)
    assert "45009" in err.getvalue()
