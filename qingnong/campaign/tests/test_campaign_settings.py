"""Campaign settings: everyone governed reads the phases, deadlines and targets; the city
admin edits them (version-checked, audited) and copies the campaign to a new year."""
from datetime import date

import pytest

from qingnong.audit.models import AuditEntry
from qingnong.campaign.models import Campaign, DeadlineKind, PhaseKind
from qingnong.campaign.services import campaign_update


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def edit_data(campaign, **changes):
    data = {"version": campaign.version, "youth_groups_per_township": 10, "work_groups_per_county": 1,
            "youths_per_cadre": 20, "youth_groups_goal_percent": 90, "stale_after_days": 14}
    for p in campaign.phases.all():
        data[f"phase_{p.kind}_start"], data[f"phase_{p.kind}_end"] = p.starts_on.isoformat(), p.ends_on.isoformat()
    for d in campaign.deadlines.all():
        data[f"deadline_{d.kind}"] = d.due_on.isoformat()
    return {**data, **changes}


@pytest.mark.parametrize("persona", ["city_admin", "county_a_viewer", "county_b_admin", "township_a_reporter"])
def test_everyone_governed_reads_the_current_campaign(client_for, world, campaign, persona):
    response = client_for(getattr(world, persona)).get("/campaign/settings/")

    body = response.content.decode()
    assert response.status_code == 200 and "2014年农村共青团微信体系建设" in body
    assert "联系摸底" in body and "2014年7月1日 – 2014年8月31日" in body
    assert "报送计划表（附件1）" in body and "2014年8月20日" in body
    assert "每个乡镇团青微信群不少于（个）" in body
    can_change = persona == "city_admin"
    assert ("修改阶段、日期和目标" in body) is can_change and ("复制为新年度" in body) is can_change
    assert client_for(getattr(world, persona)).get(f"/campaign/settings/{campaign.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["county_a_admin", "county_b_admin", "county_a_reporter"])
def test_a_county_cannot_edit_or_copy_the_city_campaign(client_for, world, campaign, persona):
    client = client_for(getattr(world, persona))
    assert client.get(f"/campaign/settings/{campaign.pk}/edit/").status_code == 403
    assert client.post(f"/campaign/settings/{campaign.pk}/edit/", edit_data(campaign, youths_per_cadre=5)).status_code == 403
    assert client.post(f"/campaign/settings/{campaign.pk}/copy/", {"year": 2015}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.youths_per_cadre == 20 and Campaign.objects.count() == 1


def test_city_admin_edits_targets_and_dates(client_for, world, campaign):
    client = client_for(world.city_admin)
    assert client.get(f"/campaign/settings/{campaign.pk}/edit/").context["form"].initial["deadline_plan_due"] == date(2014, 8, 20)

    response = client.post(f"/campaign/settings/{campaign.pk}/edit/", edit_data(
        campaign, youth_groups_per_township=12, deadline_plan_due="2014-08-25", phase_build_end="2014-10-25"), follow=True)

    assert "已保存建设计划的目标和日期" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.youth_groups_per_township == 12 and campaign.version == 2
    assert campaign.deadlines.get(kind=DeadlineKind.PLAN_DUE).due_on == date(2014, 8, 25)
    assert campaign.phases.get(kind=PhaseKind.BUILD).ends_on == date(2014, 10, 25)
    # Targets through the history, dates through the service: both in the audit log.
    changes = {}
    for entry in AuditEntry.objects.filter(content_type__model="campaign", object_id=campaign.pk, action="update"):
        changes.update(entry.changes)
    assert changes == {
        "每个乡镇团青微信群不少于（个）": ["10", "12"],
        "全面建设": ["2014-09-01–2014-10-31", "2014-09-01–2014-10-25"],
        "报送计划表（附件1）截止": ["2014-08-20", "2014-08-25"],
    }
    history = client.get(f"/history/campaign/{campaign.pk}/").content.decode()
    assert "报送计划表（附件1）截止" in history and "修改阶段和截止日期" in history


def test_a_dates_only_edit_is_audited(world, campaign):
    campaign_update(user=world.city_admin, campaign=campaign, expected_version=campaign.version, targets={},
                    phases={}, deadlines={DeadlineKind.WORK_GROUPS: date(2014, 9, 28)})
    entry = AuditEntry.objects.filter(content_type__model="campaign", action="update").get()
    assert entry.changes == {"青农微信群建成截止": ["2014-09-30", "2014-09-28"]} and entry.user == world.city_admin


def test_phase_that_ends_before_it_starts_is_a_field_error(client_for, world, campaign):
    response = client_for(world.city_admin).post(f"/campaign/settings/{campaign.pk}/edit/",
                                                 edit_data(campaign, phase_survey_end="2014-06-30"))
    assert "联系摸底阶段结束：联系摸底阶段的结束日期不能早于开始日期。" in response.content.decode()
    assert campaign.phases.get(kind=PhaseKind.SURVEY).ends_on == date(2014, 8, 31)


def test_edit_on_an_old_copy_is_refused(client_for, world, campaign):
    client = client_for(world.city_admin)
    stale = edit_data(campaign, youths_per_cadre=25)
    campaign_update(user=world.city_admin, campaign=campaign, expected_version=campaign.version,
                    targets={"youths_per_cadre": 30}, phases={}, deadlines={})

    response = client.post(f"/campaign/settings/{campaign.pk}/edit/", stale)

    assert response.status_code == 200 and "该记录已被他人修改" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.youths_per_cadre == 30


def test_list_of_campaigns_in_scope(client_for, world, campaign):
    from qingnong.campaign.services import campaign_copy

    campaign_copy(user=world.city_admin, campaign=campaign, year=2015)
    body = client_for(world.county_b_viewer).get("/campaign/settings/").content.decode()
    assert "2015年农村共青团微信体系建设" in body and f'href="/campaign/settings/{campaign.pk}/"' in body
    assert "全部建设计划" in body


def test_another_city_campaign_is_a_404(client_for, world, campaign):
    other_city = world.city.__class__.objects.create(name="测试市", level="city", path="999900/", depth=0)
    other = Campaign.objects.create(org=other_city, year=2014, name="测试市计划")
    client = client_for(world.county_a_admin)
    assert client.get(f"/campaign/settings/{other.pk}/").status_code == 404
    assert client_for(world.city_admin).post(f"/campaign/settings/{other.pk}/copy/", {"year": 2015}).status_code == 404


def test_without_a_campaign_the_page_says_so(client_for, world):
    Campaign.objects.all().delete()
    assert "尚未设置建设计划" in client_for(world.city_admin).get("/campaign/settings/").content.decode()
