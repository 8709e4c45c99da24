"""`qingnong remind`: only what is really owed, a pasteable message per county, recorded."""
import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus, Reminder
from qingnong.campaign.reminders import campaign_debts, reminder_message
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import GroupKind, MemberSnapshot, WechatGroup


@pytest.fixture
def campaign(world):
    return Campaign.objects.filter(org=world.city, year=2014).first() or campaign_create_default(org=world.city, year=2014)


def approve(campaign, county):
    CountyPlan.objects.create(campaign=campaign, org=county, county_name=county.name, status=PlanStatus.APPROVED)


def test_nothing_is_owed_early_in_the_survey_phase(world, campaign):
    assert campaign_debts(campaign=campaign, root=world.city, as_of=date(2014, 7, 15)) == []


def test_plan_debt_appears_two_weeks_before_the_deadline_and_says_when_overdue(world, campaign):
    approve(campaign, world.county_b)
    before = campaign_debts(campaign=campaign, root=world.city, as_of=date(2014, 8, 10))
    assert [d.county for d in before] == [world.county_a]
    assert before[0].items == ["计划表（附件1）未提交（8月20日截止）"]
    after = campaign_debts(campaign=campaign, root=world.city, as_of=date(2014, 8, 25))
    assert after[0].items == ["计划表（附件1）未提交（8月20日截止，已逾期）"]


def test_townships_below_target_are_named_with_what_they_lack(world, campaign):
    approve(campaign, world.county_a)
    assert WechatGroup.objects.filter(org=world.township_a).count() == 1  # the world's sample group
    for i in range(6):
        WechatGroup.objects.create(org=world.township_a, name=f"提醒群{i}", kind=GroupKind.YOUTH, bases=",place,",
                                   founded_on=date(2014, 9, 1))
    (debt,) = [d for d in campaign_debts(campaign=campaign, root=world.county_a, as_of=date(2014, 10, 20))]
    assert debt.townships["鱼河镇"][0] == "团青微信群 7 个，距不少于 10 个还差 3 个"
    # Every other township of 榆阳区 has none at all.
    assert len(debt.townships) == 31
    message = reminder_message(debt, as_of=date(2014, 10, 20))
    assert message.startswith("【青农榆阳】各乡镇团委：截至10月20日")
    assert "鱼河镇：团青微信群 7 个，距不少于 10 个还差 3 个" in message


def test_a_township_whose_ledger_stood_still_is_listed(world, campaign):
    approve(campaign, world.county_a)
    group = WechatGroup.objects.create(org=world.township_a, name="停更群", kind=GroupKind.YOUTH, bases=",place,")
    MemberSnapshot.objects.create(group=group, taken_on=date(2014, 9, 2), total=30, home_farming=30)
    WechatGroup.objects.filter(pk=group.pk).update(members_as_of=date(2014, 9, 2), members_total=30)
    (debt,) = campaign_debts(campaign=campaign, root=world.county_a, as_of=date(2014, 9, 20))
    assert "已 18 天未更新台帐" in debt.townships["鱼河镇"]


def test_command_prints_records_and_writes_contacts(world, campaign, tmp_path):
    out = StringIO()
    path = tmp_path / "contacts.csv"
    call_command("remind", "--as-of", "2014-08-25", "--csv", str(path), stdout=out)
    text = out.getvalue()
    assert "2 个县区有待办事项" in text and "【青农榆阳】" in text and "【青农横山】" in text
    assert Reminder.objects.filter(campaign=campaign).count() == 2
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["县区", "姓名", "职务/角色", "手机号", "待办事项"]
    assert ["榆阳区", "county_a_admin", "管理员", "13900000001"] == rows[1][:4]


def test_dry_run_records_nothing(world, campaign):
    call_command("remind", "--as-of", "2014-08-25", "--dry-run", stdout=StringIO())
    assert not Reminder.objects.exists()
