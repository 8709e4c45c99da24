"""The 提醒 page (issue 12): only the counties that owe are named; the message, the contacts
as CSV and 已提醒 recorded with who and when (the same service as `qingnong remind`)."""
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from qingnong.audit.models import AuditEntry
from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus, ProgressSubmission, Reminder, SubmissionStatus
from qingnong.campaign.reminders import campaign_debts
from qingnong.org.models import Org, OrgLevel


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def url(org):
    return reverse("campaign:remind", args=[org.pk])


def approve(campaign, county):
    CountyPlan.objects.create(campaign=campaign, org=county, county_name=county.name, status=PlanStatus.APPROVED)


def test_a_county_that_submitted_its_plan_is_not_named_for_it(world, campaign):
    approve(campaign, world.county_b)
    debts = campaign_debts(campaign=campaign, root=world.city, as_of=date(2014, 8, 25))
    assert [d.county for d in debts] == [world.county_a]


def test_a_township_that_submitted_its_period_is_never_named(world, campaign):
    october = campaign.periods.get(starts_on=date(2014, 10, 1))
    townships = list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code"))
    ProgressSubmission.objects.create(period=october, org=townships[0], status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    (debt,) = campaign_debts(campaign=campaign, root=world.county_a, as_of=date(2014, 11, 8))
    owing = {name for name, items in debt.townships.items() if any("2014年10月附件3" in i for i in items)}
    assert townships[0].name not in owing and townships[1].name in owing
    assert any("县区2014年10月附件3未提交" in i for i in debt.items)


def test_the_page_names_the_owing_and_records_the_reminder(client_for, world, campaign):
    approve(campaign, world.county_b)
    client = client_for(world.city_admin)
    html = client.get(url(world.city)).content.decode()
    a_block = html.split('data-org="榆阳区"')[1].split("</li>")[0]
    assert "计划表（附件1）未提交" in a_block
    b_block = html.split('data-org="横山区"')[1].split("</li>")[0] if 'data-org="横山区"' in html else ""
    assert "计划表" not in b_block  # B's plan is approved: B is never named for it
    response = client.post(url(world.city), follow=True)
    assert "已提醒" in response.content.decode()
    reminders = Reminder.objects.filter(campaign=campaign)
    assert reminders.filter(org=world.county_a, by=world.city_admin).exists()
    assert AuditEntry.objects.filter(object_id=world.county_a.pk, note__startswith="已提醒", user=world.city_admin).exists()
    assert "尚未提醒" not in client.get(url(world.city)).content.decode().split('data-org="榆阳区"')[1].split("</li>")[0]


def test_contacts_as_csv_are_a_recorded_download(client_for, world, campaign):
    response = client_for(world.city_admin).get(url(world.city) + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "县区,姓名,职务/角色,手机号,待办事项"
    assert "13900000001" in text  # county A's admin's mobile: its county owes
    assert AuditEntry.objects.filter(action="export", note__startswith="导出待提醒联系人", user=world.city_admin).exists()


def test_only_admins_and_only_in_scope(client_for, world):
    assert client_for(world.county_a_reporter).get(url(world.county_a)).status_code == 403
    assert client_for(world.county_b_admin).get(url(world.county_a)).status_code == 404
    assert client_for(world.county_a_admin).get(url(world.county_a)).status_code == 200
