"""Data-quality rules as data (issue 12): each rule fires on a hand-made fixture and not on a
clean one; a threshold the city changes changes the list; a blocking rule refuses the save;
what was done about a figure is kept; the list costs the same whatever the subtree."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import A_GROUP
from qingnong.ledger import quality
from qingnong.ledger.models import (
    Cadre, GroupKind, GroupStatus, MonthlyTotals, QualityFollowUp, TotalsMeasure, TownshipFigures, WechatGroup,
)
from qingnong.ledger.services.groups import snapshot_record
from qingnong.ledger.services.quality import quality_follow_up, quality_rule_set
from qingnong.ledger.totals import refresh
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel


def found(world, org=None, key=None):
    org = org or world.county_a
    rows = quality.violations(org, rules=quality.rules_for(org), today=today())
    return [v for v in rows if key is None or v.rule.key == key]


def members(world, n, group=None, day=None):
    group = group or WechatGroup.objects.get(name=A_GROUP)
    snapshot_record(user=world.county_a_admin, group=group, taken_on=day or today(), counts={"home_farming": n})


def test_a_clean_ledger_breaks_no_rule(world):
    members(world, 30)
    assert found(world) == []


def test_group_over_limit_blocks_at_entry_and_is_listed_when_lowered(world):
    members(world, 300)
    assert found(world, key="group_over_limit") == []
    quality_rule_set(user=world.city_admin, org=world.city, key="group_over_limit", enabled=True, threshold=250, blocking=True)
    (v,) = found(world, key="group_over_limit")
    assert v.group["name"] == A_GROUP and v.township["name"] == "鱼河镇" and "超过 250 人" in v.message
    with pytest.raises(ValidationError, match="超过上限 250 人"):
        members(world, 260)
    quality_rule_set(user=world.city_admin, org=world.city, key="group_over_limit", enabled=True, threshold=250, blocking=False)
    members(world, 260)  # a warning only: saved


def test_members_vs_youth(world):
    members(world, 100)
    TownshipFigures.objects.create(org=world.township_a, as_of=today(), branch_count=1, cadre_count=1, youth_count=30)
    (v,) = found(world, key="members_vs_youth")
    assert v.township["name"] == "鱼河镇" and v.message == "群成员合计 100 人，团员青年数 30，超过 3 倍"
    quality_rule_set(user=world.city_admin, org=world.city, key="members_vs_youth", enabled=True, threshold=4, blocking=False)
    assert found(world, key="members_vs_youth") == []  # the threshold change changes the list


def test_group_members_change(world):
    group = WechatGroup.objects.get(name=A_GROUP)
    members(world, 40, group, today() - timedelta(days=40))
    members(world, 45, group)
    assert found(world, key="group_members_change") == []
    members(world, 90, group)
    (v,) = found(world, key="group_members_change")
    assert v.message == "30 天前 40 人，现在 90 人（+125%）"


def test_township_messages_change(world):
    last = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    for month, n in ((before, 100), (last, 10)):
        MonthlyTotals.objects.create(unit=world.township_a, path=world.township_a.path, measure=TotalsMeasure.MESSAGES,
                                     month=month, category="policy", n=n)
    (v,) = found(world, key="township_messages_change")
    assert v.township["name"] == "鱼河镇" and "100 条" in v.message and "10 条" in v.message


def test_temporary_group_past_its_end(world):
    WechatGroup.objects.filter(name=A_GROUP).update(ends_on=today() - timedelta(days=1), status=GroupStatus.ACTIVE)
    (v,) = found(world, key="temporary_past_end")
    assert v.group["name"] == A_GROUP
    WechatGroup.objects.filter(name=A_GROUP).update(ends_on=today() + timedelta(days=10))  # extended
    assert found(world, key="temporary_past_end") == []


def test_a_dormant_group_with_recent_messages_is_flagged(world):
    """Issue 18: 不活跃 and messages this month contradict each other; old messages do not."""
    from qingnong.ledger.models import MessageCategory, MessageRecord

    group = WechatGroup.objects.get(name=A_GROUP)
    WechatGroup.objects.filter(pk=group.pk).update(status=GroupStatus.DORMANT)
    assert found(world, key="dormant_with_messages") == []  # the world's message is from 2014
    day = today() - timedelta(days=3)
    MessageRecord.objects.create(org=world.township_a, group=group, period_start=day, period_end=day, month=day.replace(day=1),
                                 count=4, category=MessageCategory.POLICY)
    (v,) = found(world, key="dormant_with_messages")
    assert v.group["name"] == A_GROUP and "近 30 天有 4 条" in v.message
    WechatGroup.objects.filter(pk=group.pk).update(status=GroupStatus.ACTIVE)
    assert found(world, key="dormant_with_messages") == []


def test_groups_vs_cadres(world):
    for i in range(6):
        WechatGroup.objects.create(org=world.township_a, name=f"质量群{i}", kind=GroupKind.YOUTH, bases=",place,")
    Cadre.objects.create(org=world.township_a, name="质量干部")  # with the world's cadre: 2 cadres, 7 groups ≤ 10
    refresh([world.township_a.pk])
    assert found(world, key="groups_vs_cadres") == []
    quality_rule_set(user=world.city_admin, org=world.city, key="groups_vs_cadres", enabled=True, threshold=2, blocking=False)
    (v,) = found(world, key="groups_vs_cadres")
    assert v.message.startswith("微信群 7 个，团干部 2 人")


def test_a_rule_switched_off_never_fires(world):
    WechatGroup.objects.filter(name=A_GROUP).update(ends_on=today() - timedelta(days=1))
    quality_rule_set(user=world.city_admin, org=world.city, key="temporary_past_end", enabled=False, threshold=None, blocking=False)
    assert found(world, key="temporary_past_end") == []


def test_only_a_city_admin_sets_rules(world):
    with pytest.raises(ValidationError, match="团市委设置"):
        quality_rule_set(user=world.county_a_admin, org=world.county_a, key="members_vs_youth", enabled=True, threshold=2,
                         blocking=False)
    with pytest.raises(ValidationError, match="阈值应大于 0"):
        quality_rule_set(user=world.city_admin, org=world.city, key="members_vs_youth", enabled=True, threshold=0, blocking=False)


def test_a_verified_figure_is_out_of_the_open_list(client_for, world):
    WechatGroup.objects.filter(name=A_GROUP).update(ends_on=today() - timedelta(days=1))
    group = WechatGroup.objects.get(name=A_GROUP)
    client = client_for(world.county_a_reporter)
    url = reverse("ledger:quality", args=[world.county_a.pk])
    assert 'data-rule="temporary_past_end"' in client.get(url).content.decode()
    client.post(reverse("ledger:quality-follow-up", args=[world.township_a.pk]),
                {"rule": "temporary_past_end", "group": group.pk, "state": "verified", "note": "活动延期", "back": url})
    follow_up = QualityFollowUp.objects.get()
    assert (follow_up.state, follow_up.note, follow_up.by) == ("verified", "活动延期", world.county_a_reporter)
    assert 'data-rule="temporary_past_end"' not in client.get(url).content.decode()
    assert "活动延期" in client.get(url + "?show=all").content.decode()


def test_follow_up_needs_an_editor_in_scope(client_for, world):
    post = {"rule": "temporary_past_end", "state": "verified"}
    url = reverse("ledger:quality-follow-up", args=[world.township_a.pk])
    assert client_for(world.county_a_viewer).post(url, post).status_code == 403
    assert client_for(world.county_b_admin).post(url, post).status_code == 404
    with pytest.raises(ValidationError):
        quality_follow_up(user=world.county_a_admin, township=world.township_a, group=None, rule="nope", state="verified")


def test_the_rules_page(client_for, world):
    url = reverse("ledger:quality-rules", args=[world.city.pk])
    data = {f"{r.key}-enabled": "on" for r in quality.RULES} | {
        f"{r.key}-threshold": str(r.threshold) for r in quality.RULES if r.threshold is not None}
    data["members_vs_youth-threshold"] = "2.5"
    data["group_over_limit-blocking"] = "on"
    client_for(world.city_admin).post(url, data)
    rules = quality.rules_for(world.township_a)
    assert str(rules["members_vs_youth"].threshold) == "2.50" and rules["group_over_limit"].blocking
    assert client_for(world.county_a_reporter).get(url).status_code == 404  # the city is outside a county's scope
    county_url = reverse("ledger:quality-rules", args=[world.county_a.pk])
    assert client_for(world.county_a_reporter).get(county_url).status_code == 403
    assert "只能查看" in client_for(world.county_a_admin).get(county_url).content.decode()


@pytest.mark.parametrize("county", ["county_a", "county_b"])
def test_the_list_costs_the_same_whatever_the_subtree(client_for, world, county):
    org = getattr(world, county)
    for t in Org.objects.filter(parent=org, level=OrgLevel.TOWNSHIP)[:5]:
        WechatGroup.objects.create(org=t, name=f"{t.name}临时群", kind=GroupKind.YOUTH, ends_on=date(2014, 1, 1))
    admin = world.county_a_admin if county == "county_a" else world.county_b_admin
    client = client_for(admin)
    url = reverse("ledger:quality", args=[org.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert html.count('data-rule="temporary_past_end"') == 5
    # session, user, user's org, the org, the rules, townships, one to three per rule (the
    # township figures are read by two rules), the follow-ups. 18 since issue 18's rule for
    # 不活跃 groups with recent messages (one statement).
    assert len(queries) == 18, "\n".join(q["sql"][:90] for q in queries)
