"""Issue 17, one date for the whole page: with 截至 a past date the tile said 联系青年 668 while
the chart 团青微信群成员构成 summed to 661, today's ledger. Every dashboard (city, county,
township), rendered at a past date with a standing report and figures changed since, shows
in each chart's data table the numbers of its tiles."""
import re
from datetime import timedelta

from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import REPORTED_FIGURE_KEYS, GroupKind, GroupStatus, MessageCategory, ReportSource
from qingnong.ledger.services.groups import group_create, snapshot_record
from qingnong.ledger.services.messages import message_create
from qingnong.ledger.services.reports import progress_report_record
from qingnong.lib.dates import today


def seed(world):
    """Two township groups whose members changed after the page's date, and a report that
    stands on it for a township with no member record after it."""
    admin, day = world.city_admin, today()
    campaign_create_default(org=world.city, year=(day - timedelta(days=5)).year)
    then = day - timedelta(days=5)
    for org, name, before, after in ((world.township_a, "甲镇青年群", 30, 55), (world.township_b, "乙镇青年群", 12, 40)):
        group, _ = group_create(user=admin, org=org, name=name, kind=GroupKind.YOUTH, founded_on=day - timedelta(days=20),
                                status=GroupStatus.ACTIVE)
        snapshot_record(user=admin, group=group, taken_on=day - timedelta(days=12), counts={"home_farming": before, "away_wage": 3})
        snapshot_record(user=admin, group=group, taken_on=day, counts={"home_farming": after, "away_wage": 3})
        message_create(user=admin, group=group, period_start=then - timedelta(days=1), count=4, category=MessageCategory.POLICY)
    reported = {k: 0 for k in REPORTED_FIGURE_KEYS}
    reported.update(home_farming=70, home_business=11, away_wage=6, branch_count=3, cadre_count=4, youth_count=200, group_count=5)
    progress_report_record(user=None, county=world.county_a, as_of=day - timedelta(days=8), source=ReportSource.EXCEL,
                           rows={world.township_a.pk: reported})
    return then


def number(text):
    return int(re.sub(r"[^\d]", "", str(text)) or 0)


def test_every_chart_table_matches_the_tiles_at_a_past_date(client_for, world):
    then = seed(world)
    client = client_for(world.city_admin)
    for org in (world.city, world.county_a, world.township_a, world.county_b):
        response = client.get(f"/campaign/dashboard/{org.pk}/?as_of={then:%Y-%m-%d}")
        assert response.status_code == 200
        ctx = response.context
        assert ctx["as_of"] == then
        tiles = ctx["total"]
        charts = {c.context["title"]: c.context for c in ctx["charts"]}
        weekly = charts["团青微信群建成数（按周累计）"]["chart"].table
        assert number(weekly[-1][1]) == tiles.youth_groups, org
        members = charts["团青微信群成员构成"]["table"]
        assert members[-1][0] == "合计" and members[-1][1] == tiles.youths_reached, (org, members, tiles.youths_reached)
        assert sum(n for _, n in members[:-1]) == tiles.youths_reached
        messages = charts["发送微信条数（按内容类别）"]["table"]
        assert messages[-1][1] == tiles.messages_month, org
        bars = charts.get(f"各{'乡镇' if org.level != 'city' else '县区'}团青微信群")
        if bars:
            figures = {r.org.name: r.figures.youth_groups for r in ctx["body"]}
            assert {name: n for name, n, _ in bars["table"]} == figures
        assert f"截至{then.year}年{then.month}月{then.day}日" in response.content.decode()


def test_the_members_chart_reads_the_past_not_today(client_for, world):
    """The numbers themselves: 甲镇 reported 70+11+6 (its group's 33 replaced), 乙镇's group had 12+3 then."""
    then = seed(world)
    response = client_for(world.city_admin).get(f"/campaign/dashboard/{world.city.pk}/?as_of={then:%Y-%m-%d}")
    members = dict(next(c.context for c in response.context["charts"] if c.context["title"] == "团青微信群成员构成")["table"])
    assert members["合计"] - response.context["total"].youths_reached == 0
    assert members["在乡·务农"] >= 70 + 12 and members["在乡·经商"] >= 11
    today_members = dict(next(c.context for c in client_for(world.city_admin).get(f"/campaign/dashboard/{world.city.pk}/?as_of={today():%Y-%m-%d}")
                              .context["charts"] if c.context["title"] == "团青微信群成员构成")["table"])
    assert today_members["在乡·务农"] - members["在乡·务农"] == (55 + 40) - (70 + 12)
