"""A new plan starts from the ledger and the campaign's targets; beside each planned number
the page shows what the ledger has now, with a warning where they disagree."""
from datetime import date

import pytest

from qingnong.campaign.models import Campaign
from qingnong.campaign.selectors import plan_ledger_figures
from qingnong.campaign.services import campaign_update, plan_prefill
from qingnong.ledger.models import AccountStatus, GroupKind, GroupStatus, OfficialAccount, WechatGroup
from qingnong.org.models import Org, OrgLevel

AS_OF = date(2014, 11, 30)


@pytest.fixture
def campaign(world):
    return Campaign.objects.get(org=world.city, year=2014)


def townships(county):
    return Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).count()


def initial(client, county):
    return client.get(f"/campaign/plans/{county.pk}/").context["form"].initial


def test_prefill_with_the_2014_targets(client_for, world, campaign):
    n = townships(world.county_b)
    values = initial(client_for(world.county_b_admin), world.county_b)

    assert n > 5
    assert values["county_name"] == "横山区" and values["township_count"] == n
    assert values["planned_township_youth_groups"] == 10 * n  # 方案：每个乡镇不少于10个
    assert values["planned_county_work_groups"] == 1  # 至少创建青农微信群1个
    assert values["account_name"] == "青农横山" and values["account_type"] == "" and values["version"] == 0
    assert values["planned_village_groups"] == 0


def test_prefill_takes_the_ledger_account(world, campaign):
    OfficialAccount.objects.filter(org=world.county_a).update(status=AccountStatus.OPENED, account_type="service")
    values = plan_prefill(campaign=campaign, county=world.county_a)
    assert values["account_name"] == "青农甲县测试公众号" and values["account_opened"] and values["account_type"] == "service"


def test_edited_targets_change_the_prefill(client_for, world, campaign):
    campaign_update(user=world.city_admin, campaign=campaign, expected_version=campaign.version, phases={},
                    deadlines={}, targets={"youth_groups_per_township": 12, "work_groups_per_county": 2})
    values = initial(client_for(world.county_b_admin), world.county_b)
    assert values["planned_township_youth_groups"] == 12 * townships(world.county_b)
    assert values["planned_county_work_groups"] == 2


def test_ledger_figures_count_built_groups_per_level(world, campaign):
    a = world.county_a

    def group(org, kind, **extra):
        WechatGroup.objects.create(org=org, name=f"{org.name}{kind}{WechatGroup.objects.count()}", kind=kind, **extra)

    group(a, GroupKind.WORK)
    group(a, GroupKind.YOUTH, founded_on=date(2014, 9, 1))
    group(a, GroupKind.YOUTH, founded_on=date(2014, 12, 1))  # after the campaign: not counted as of 2014-11-30
    group(world.township_a, GroupKind.WORK)
    group(world.township_a, GroupKind.YOUTH, status=GroupStatus.PLANNED)  # planned is not built
    group(world.township_a, GroupKind.YOUTH, status=GroupStatus.DORMANT)  # built, if quiet
    group(world.village_a, GroupKind.YOUTH)
    group(world.village_a, GroupKind.WORK, status=GroupStatus.CLOSED)
    group(world.township_b, GroupKind.YOUTH)  # another county

    figures = plan_ledger_figures(world.city_admin, a, as_of=AS_OF)

    assert figures == {
        "n_townships": townships(a), "county_youth": 1, "county_work": 1,
        "township_youth": 2,  # conftest's 甲村测试青年群 (at 鱼河镇) and the dormant one
        "township_work": 1, "direct_groups": 0, "village_groups": 1,
        "account_name": "青农甲县测试公众号", "account_type": "subscription", "account_opened": False, "account_admins": 1,
    }
    assert plan_ledger_figures(world.county_b_admin, a, as_of=AS_OF) is None  # out of scope


def test_page_shows_the_ledger_beside_each_number_and_warns(client_for, world, campaign):
    n = townships(world.county_a)
    client = client_for(world.county_a_admin)
    client.post(f"/campaign/plans/{world.county_a.pk}/", {
        "account_type": "service", "account_name": "榆阳团县委", "wechat_lead": "张书记", "admins_contact": "",
        "planned_county_youth_groups": 0, "planned_county_work_groups": 0, "township_count": n + 1,
        "planned_township_youth_groups": 10 * n - 1, "planned_township_work_groups": 0, "planned_direct_groups": 0,
        "planned_village_groups": 0, "filled_by": "", "contact": "", "version": 0, "action": "save",
    })

    body = client.get(f"/campaign/plans/{world.county_a.pk}/").content.decode()

    assert f"组织树：{n} 个乡镇" in body and f"与组织树不一致：组织树中有 {n} 个乡镇。" in body
    assert "台账已建团青群 1 个" in body  # the township level: 甲村测试青年群
    assert "台账：尚未开通（计划开通）" in body and "台账中公众号尚未登记为已开通" in body
    assert "按方案，团县委公众号名称统一为“青农XX”。" in body
    assert "方案要求每个团县委至少建青农微信群 1 个。" in body
    assert f"{n} 个乡镇共应不少于 {10 * n} 个" in body
    assert "台账数字截至 2014-11-30" in body


def test_matching_figures_give_no_warning(client_for, world, campaign):
    n = townships(world.county_a)
    client = client_for(world.county_a_admin)
    client.post(f"/campaign/plans/{world.county_a.pk}/", {
        "account_type": "", "account_name": "青农榆阳", "wechat_lead": "张书记", "admins_contact": "",
        "planned_county_youth_groups": 0, "planned_county_work_groups": 1, "township_count": n,
        "planned_township_youth_groups": 10 * n, "planned_township_work_groups": 0, "planned_direct_groups": 0,
        "planned_village_groups": 0, "filled_by": "", "contact": "", "version": 0, "action": "save",
    })
    body = client.get(f"/campaign/plans/{world.county_a.pk}/").content.decode()
    assert 'class="warn"' not in body


def test_admin_contacts_come_from_the_accounts_admin_team(world, campaign):
    from conftest import A_CADRE
    from qingnong.ledger.models import AccountAdmin, AdminRole, Cadre

    assert plan_prefill(campaign=campaign, county=world.county_a)["admins_contact"] == f"{A_CADRE} 13700000001"
    helper = Cadre.objects.create(org=world.county_a, name="乙兼职", mobile="13700000009")
    AccountAdmin.objects.create(account=OfficialAccount.objects.get(org=world.county_a), cadre=helper, role=AdminRole.PART_TIME)
    lines = plan_prefill(campaign=campaign, county=world.county_a)["admins_contact"].splitlines()
    assert lines == [f"{A_CADRE} 13700000001", "乙兼职 13700000009"]  # 专职 first
    assert plan_prefill(campaign=campaign, county=world.county_b)["admins_contact"] == ""  # no account yet


def test_next_years_plan_starts_from_last_years_as_a_draft(client_for, world, campaign):
    """Issue 18: a county's 附件1 for a copied campaign starts from what it wrote last year (the
    lead, the filler, the planned numbers); the ledger's figures still come from the ledger."""
    from qingnong.campaign.models import CountyPlan
    from qingnong.campaign.services import campaign_copy

    values = plan_prefill(campaign=campaign, county=world.county_a)
    values.update(wechat_lead="张书记", filled_by="王填表", contact="0912-3447161", planned_village_groups=30,
                  planned_direct_groups=4)
    CountyPlan.objects.create(campaign=campaign, org=world.county_a, **values)
    copy = campaign_copy(user=world.city_admin, campaign=campaign, year=2015)
    carried = plan_prefill(campaign=copy, county=world.county_a)
    assert (carried["wechat_lead"], carried["filled_by"], carried["contact"]) == ("张书记", "王填表", "0912-3447161")
    assert (carried["planned_village_groups"], carried["planned_direct_groups"]) == (30, 4)
    assert carried["township_count"] == townships(world.county_a)  # from the ledger, as every year
    assert "wechat_lead" not in plan_prefill(campaign=copy, county=world.county_b)  # B wrote none last year
    form = client_for(world.county_a_admin).get(f"/campaign/plans/{world.county_a.pk}/?year=2015").context["form"]
    assert form.initial["wechat_lead"] == "张书记"
