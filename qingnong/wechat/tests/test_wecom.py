"""WeCom 客户群 (issue 14): a county links its app; a fake corp with 3 groups gives each
group's members per day and its owner's daily statistics; a silent owner's group is flagged
dormant; groups are matched to the ledger by name, confirmed by a person; a fault keeps
nothing of the run and says what to do."""
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import A_GROUP
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import WechatGroup
from qingnong.lib.secrets import unseal
from qingnong.wechat.models import WecomGroup, WecomGroupDay, WecomLink, WecomOwnerDay
from qingnong.wechat.selectors import wecom_health
from qingnong.wechat.services import sync_wecom

from .fake_platform import CORP_ID, CORP_SECRET

NOW = timezone.make_aware(datetime(2025, 12, 6, 9, 0))  # the fake's join times are early December 2025


def page(org):
    return reverse("wechat:wecom", kwargs={"org_id": org.pk})


def test_linking_checks_and_seals_the_secret(client_for, world, platform):
    client = client_for(world.county_a_admin)
    bad = client.post(page(world.county_a), {"corp_id": CORP_ID, "secret": "x" * 30}).content.decode()
    assert "Secret 不正确或已重置（40001）" in bad and not WecomLink.objects.exists()
    assert client.post(page(world.county_a), {"corp_id": CORP_ID, "secret": CORP_SECRET}).status_code == 302
    link = WecomLink.objects.get(org=world.county_a)
    assert CORP_SECRET not in link.secret_sealed and unseal(link.secret_sealed) == CORP_SECRET
    body = client.get(page(world.county_a)).content.decode()
    assert "已加密保存（不再显示）" in body and CORP_SECRET not in body
    assert not any(CORP_SECRET in f"{e.note}{e.changes}" for e in AuditEntry.objects.all())


def test_three_groups_give_daily_members_owner_figures_and_a_dormant_flag(platform, wecom):
    assert sync_wecom(wecom, now=NOW) == ""
    groups = {g.chat_id: g for g in WecomGroup.objects.all()}
    assert {c: g.members for c, g in groups.items()} == {"c1": 5, "c2": 3, "c3": 4}
    day = WecomGroupDay.objects.get(wecom_group=groups["c1"], day=date(2025, 12, 6))
    assert (day.members, day.joined) == (5, 3)  # three joined after midnight (Beijing time)
    assert WecomOwnerDay.objects.filter(owner="li").count() == 30 == WecomOwnerDay.objects.filter(owner="zhang").count()
    assert len(platform.data_calls("statistic_group_by_day")) == 2  # one owner a call, ≤ 30 days each
    assert [(r.days_fetched, r.error) for r in wecom.runs.all()] == [(30, "")]

    rows = {r["group"].chat_id: r for r in wecom_health(wecom, as_of=date(2025, 12, 5))}
    assert rows["c3"]["dormant"] and rows["c3"]["exact"] and rows["c3"]["messages"] == 0
    assert not rows["c1"]["dormant"] and not rows["c1"]["exact"] and rows["c1"]["owner_groups"] == 2
    assert rows["c1"]["spoke_share"] == 25  # 2 of zhang's 8 members spoke each day

    # Again the same day: nothing doubles; the owners' days are not asked again.
    assert sync_wecom(wecom, now=NOW) == ""
    assert WecomGroupDay.objects.count() == 3 and WecomOwnerDay.objects.count() == 60
    assert len(platform.data_calls("statistic_group_by_day")) == 2


def test_groups_are_matched_by_name_and_confirmed_by_a_person(client_for, world, platform, wecom):
    sync_wecom(wecom, now=NOW)
    ledger = WechatGroup.objects.get(name=A_GROUP)
    c2 = WecomGroup.objects.get(chat_id="c2")
    assert c2.suggested == ledger and c2.group is None  # a suggestion only
    client = client_for(world.county_a_admin)
    body = client.get(page(world.county_a)).content.decode()
    assert 'data-testid="wecom-groups"' in body and "（按群名建议，保存即确认）" in body and "沉寂" in body
    response = client.post(reverse("wechat:wecom-match", kwargs={"wecom_group_id": c2.pk}), {"group": str(ledger.pk)})
    assert response.status_code == 302
    c2.refresh_from_db()
    assert c2.group == ledger
    # The ledger's typed total far from the platform's is flagged.
    WechatGroup.objects.filter(pk=ledger.pk).update(members_total=40)
    row = next(r for r in wecom_health(wecom, as_of=date(2025, 12, 5)) if r["group"].chat_id == "c2")
    assert row["differs"] and row["typed"] == 40
    # Another county's group cannot be chosen.
    other = WechatGroup.objects.create(org=world.township_b, name="乙县的群", kind="youth")
    client.post(reverse("wechat:wecom-match", kwargs={"wecom_group_id": c2.pk}), {"group": str(other.pk)})
    c2.refresh_from_db()
    assert c2.group == ledger


@pytest.mark.parametrize("fault,words", [(60020, "可信 IP"), (45009, "45009"), ("timeout", "超时")])
def test_a_fault_keeps_nothing_of_the_run(platform, wecom, fault, words):
    """The fault comes after two calls: the group list and the first group are read, the rest is not."""
    platform.fault, platform.fault_after = fault, 2
    message = sync_wecom(wecom, now=NOW)
    assert words in message and not WecomGroup.objects.exists() and not WecomOwnerDay.objects.exists()
    wecom.refresh_from_db()
    assert wecom.last_error == message and wecom.synced_through is None
    assert [(r.error, r.days_fetched) for r in wecom.runs.all()] == [(message, 0)]  # the run's row says why
    platform.fault = None
    assert sync_wecom(wecom, now=NOW) == "" and WecomGroup.objects.count() == 3


def test_only_the_countys_admins_and_the_city(client_for, world, wecom):
    assert client_for(world.city_admin).get(page(world.county_a)).status_code == 200
    assert client_for(world.county_a_reporter).get(page(world.county_a)).status_code == 403
    assert client_for(world.county_b_admin).get(page(world.county_a)).status_code == 404


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_save_writes_a_constant_number_of_statements_however_many_groups(platform, wecom):
    """Three groups of two owners over 30 days, then twelve groups of three owners: the same
    statements are written (bulk upserts), not one per group, group-day or owner-day. (SQLite
    takes at most 999 parameters a statement, so Django splits an upsert past ≈ 110 owner-days:
    one statement more per batch, never one per row.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sync_wecom(wecom, now=NOW)  # the token is fetched and kept once

    def writes_of_a_fresh_sync():
        WecomLink.objects.filter(pk=wecom.pk).update(synced_through=None)
        wecom.synced_through = None
        with CaptureQueriesContext(connection) as captured:
            assert sync_wecom(wecom, now=NOW) == ""
        return _writes(captured.captured_queries)

    few = writes_of_a_fresh_sync()
    for n in range(9):
        platform.chats[f"x{n}"] = (f"新群{n}", "wang", [1764900000] * (n + 1))
    many = writes_of_a_fresh_sync()
    assert WecomGroup.objects.count() == 12 and WecomOwnerDay.objects.count() == 3 * 30
    assert len(few) == len(many) == 6, many
