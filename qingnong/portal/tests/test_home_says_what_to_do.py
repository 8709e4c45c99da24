"""Issue 18: the home's first line says where the campaign stands today (its phase and the
next date something is due, or that it has ended), and a township's menu has no 检查 or 考核
(the city inspects counties; a township has neither of its own)."""
from datetime import timedelta

from qingnong.campaign.models import Deadline, DeadlineKind, Phase, PhaseKind
from qingnong.campaign.services import campaign_create_default
from qingnong.lib.dates import today


def test_the_home_says_the_phase_and_the_next_deadline(client_for, world):
    client = client_for(world.township_a_reporter)
    page = client.get("/").content.decode()
    assert "2014年农村共青团微信体系建设" in page and "已结束" in page  # the only campaign: over
    day = today()
    campaign = campaign_create_default(org=world.city, year=day.year + 1)
    Phase.objects.filter(campaign=campaign).delete()
    Phase.objects.bulk_create([Phase(campaign=campaign, kind=PhaseKind.SURVEY, starts_on=day - timedelta(days=40), ends_on=day - timedelta(days=10)),
                               Phase(campaign=campaign, kind=PhaseKind.BUILD, starts_on=day - timedelta(days=9), ends_on=day + timedelta(days=30))])
    Deadline.objects.filter(campaign=campaign).delete()
    Deadline.objects.create(campaign=campaign, kind=DeadlineKind.WORK_GROUPS, due_on=day + timedelta(days=6))
    page = client.get("/").content.decode()
    assert 'data-testid="phase-line"' in page and "全面建设阶段" in page
    assert "还有 <strong>6</strong> 天" in page and "青农微信群" in page


def test_a_townships_menu_has_no_inspection_or_ranking(client_for, world):
    township = client_for(world.township_a_reporter).get("/").content.decode()
    assert ">检查</a>" not in township and ">考核</a>" not in township
    county = client_for(world.county_a_viewer).get("/").content.decode()
    assert ">检查</a>" in county and ">考核</a>" in county


def test_a_countys_home_says_who_has_entered_this_week(client_for, world):
    from qingnong.ledger.models import GroupKind, WechatGroup
    from qingnong.ledger.services.groups import snapshot_record

    group = WechatGroup.objects.create(org=world.township_a, name="本周群", kind=GroupKind.YOUTH)
    snapshot_record(user=world.county_a_admin, group=group, taken_on=today(), counts={"home_farming": 3})
    page = client_for(world.county_a_admin).get("/").content.decode()
    n = WechatGroup.objects.filter(org__path__startswith=world.township_a.path).count()
    card = page[page.index(f'href="/orgs/{world.township_a.pk}/"'):]
    card = card[:card.index("</li>")]
    assert f"本周已填 1 / {n} 个群" in card
