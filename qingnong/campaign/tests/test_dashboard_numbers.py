"""The dashboard's numbers and colours against a small tree computed by hand.

测试市 → 甲县 (一镇, 二镇), 乙县 (三镇); the 2014 dates; targets edited to 3 团青 groups
per township (targets are data). 甲县 has an approved plan for 5 团青 groups, an account
opened 9月10日, a county 青农 group; 乙县 has nothing.

    团青 group   township  founded  status   members (附件3), recorded on
    Y1           一镇       09-05    active   40 (在乡务农 30, 外出务工 10), 10-12
    Y2           一镇       10-10    active   20 (在乡务农 20), 10-10
    Y3           一镇       —        dormant  10 (外出就学 10), 10-01     no date: counted from the start
    Y4           二镇       10-20    active   15 (在乡务工 15), 10-26
    Y5           二镇       09-01    planned  —                    not built
    Y6           二镇       09-01    closed   —                    not built
"""
from datetime import date, datetime, timezone as tz

import pytest

from qingnong.accounts.models import Role, User
from qingnong.campaign.charts import members_by_category, messages_by_category, youth_groups_by_week
from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus, Reminder
from qingnong.campaign.dashboard import countdown, scorecard_table
from qingnong.campaign.scorecard import scorecard, scorecard_total
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, AccountStatus, Activity, ActivityType, Cadre, GroupKind, GroupStatus, MemberSnapshot, MessageCategory,
    MessageRecord, OfficialAccount, WechatGroup,
)
from qingnong.ledger.totals import rebuild_all
from qingnong.org.models import Org, OrgLevel

BEFORE = date(2014, 9, 15)  # plan deadline passed; 青农 (9-30) and 团青 (10-31) deadlines not yet
AFTER = date(2014, 11, 30)  # every deadline passed


def org(name, level, code, parent=None):
    path = f"{parent.path if parent else ''}{code}/"
    return Org.objects.create(name=name, level=level, code=code, parent=parent, path=path, depth=path.count("/") - 1)


def user(username, at, role=Role.ADMIN):
    return User.objects.create(username=username, org=at, role=role, full_name=username)


def build_tree():
    """The tree of the module docstring; returns a namespace of its orgs, users and campaign."""
    from types import SimpleNamespace

    city = org("测试市", OrgLevel.CITY, "990000")
    a, b = org("甲县", OrgLevel.COUNTY, "990001", city), org("乙县", OrgLevel.COUNTY, "990002", city)
    a1, a2 = org("一镇", OrgLevel.TOWNSHIP, "990001101", a), org("二镇", OrgLevel.TOWNSHIP, "990001102", a)
    b1 = org("三镇", OrgLevel.TOWNSHIP, "990002101", b)
    campaign = campaign_create_default(org=city, year=2014)
    Campaign.objects.filter(pk=campaign.pk).update(youth_groups_per_township=3)
    CountyPlan.objects.create(campaign=campaign, org=a, county_name="甲县", status=PlanStatus.APPROVED,
                              planned_county_youth_groups=0, planned_township_youth_groups=5, township_count=2)
    OfficialAccount.objects.create(org=a, name="青农甲县", status=AccountStatus.OPENED, opened_on=date(2014, 9, 10))

    def group(at, name, kind=GroupKind.YOUTH, founded=None, status=GroupStatus.ACTIVE, **members):
        total = sum(members.values())
        return WechatGroup.objects.create(org=at, name=name, kind=kind, founded_on=founded, status=status,
                                          members_total=total, **members)

    group(a, "青农甲", GroupKind.WORK, date(2014, 8, 25))
    group(a1, "一镇青农群", GroupKind.WORK, date(2014, 9, 5))
    y1 = group(a1, "Y1", founded=date(2014, 9, 5), home_farming=30, away_wage=10)
    y2 = group(a1, "Y2", founded=date(2014, 10, 10), home_farming=20)
    y3 = group(a1, "Y3", status=GroupStatus.DORMANT, away_study=10)
    y4 = group(a2, "Y4", founded=date(2014, 10, 20), home_wage=15)
    group(a2, "Y5", founded=date(2014, 9, 1), status=GroupStatus.PLANNED)
    group(a2, "Y6", founded=date(2014, 9, 1), status=GroupStatus.CLOSED)
    for g, day in ((y1, date(2014, 10, 12)), (y2, date(2014, 10, 10)), (y3, date(2014, 10, 1)), (y4, date(2014, 10, 26))):
        MemberSnapshot.objects.create(group=g, taken_on=day, total=g.members_total,
                                      **{f: getattr(g, f) for f in MEMBER_FIELD_NAMES})
        WechatGroup.objects.filter(pk=g.pk).update(members_as_of=day)
    Cadre.objects.bulk_create([
        Cadre(org=a1, name="甲一", youths_reached=25), Cadre(org=a1, name="甲二", youths_reached=10),
        Cadre(org=a2, name="甲三", youths_reached=30), Cadre(org=a, name="县干部", is_grassroots=False, youths_reached=99),
    ])
    # Recorded before the campaign (a past date counts the cadres as they stood then: issue 13).
    Cadre.objects.update(created_at=datetime(2014, 8, 1, tzinfo=tz.utc))
    MessageRecord.objects.create(org=a1, group=y1, period_start=date(2014, 10, 6), period_end=date(2014, 10, 12),
                                 month=date(2014, 10, 1), count=5, category=MessageCategory.POLICY)
    MessageRecord.objects.create(org=a1, group=y1, period_start=date(2014, 11, 3), period_end=date(2014, 11, 9),
                                 month=date(2014, 11, 1), count=7, category=MessageCategory.NEWS)
    Activity.objects.create(org=a1, held_on=date(2014, 10, 8), activity_type=ActivityType.SKILLS, title="培训")
    reminder = Reminder.objects.create(campaign=campaign, org=b, items=["计划表未提交"], message="…")
    Reminder.objects.filter(pk=reminder.pk).update(at=datetime(2014, 8, 25, 2, 0, tzinfo=tz.utc))
    rebuild_all()  # the bulk writes above send no post_save (the services refresh as they write)
    campaign = Campaign.objects.prefetch_related("phases", "deadlines").get(pk=campaign.pk)
    return SimpleNamespace(city=city, a=a, b=b, a1=a1, a2=a2, b1=b1, campaign=campaign,
                           city_admin=user("t_city", city), a_admin=user("t_a", a), b_admin=user("t_b", b),
                           a1_reporter=user("t_a1", a1, Role.REPORTER))


@pytest.fixture
def tree(db):
    return build_tree()


def cells(tree, parent, as_of):
    """{org name: {column: (shown, colour)}} plus "合计" for the totals row."""
    rows = scorecard(tree.city_admin, parent, campaign=tree.campaign, as_of=as_of)
    total = scorecard_total(parent, campaign=tree.campaign, as_of=as_of)
    _, body, foot = scorecard_table(rows, total, campaign=tree.campaign, as_of=as_of,
                                    townships=parent.level == OrgLevel.COUNTY)
    table = {r.org.name: {col.key: (str(shown).replace("\u2009", ""), cell.status) for col, cell, shown in r.cells} for r in body}
    table["合计"] = {col.key: (str(shown).replace("\u2009", ""), cell.status) for col, cell, shown in foot.cells}
    return table


def test_county_cells_before_the_build_deadlines(tree):
    a, b = (cells(tree, tree.city, BEFORE)[name] for name in ("甲县", "乙县"))
    # 团青 by 9-15: Y1 and the undated Y3. Expected share: 14 of the 60 days from 9-1 to 10-31.
    assert a["youth_vs_plan"] == ("2/5", "green")  # 40% ≥ 90% × 14/60 = 21%
    assert a["goal"] == ("44%", "green")  # 2 of 90% × 5 = 4.5
    assert a["youth_vs_min"] == ("2/6", "green")  # 3 per township × 2
    assert a["plan"] == ("已审核", "green")
    assert a["account"] == ("已开通", "green")
    assert a["work_groups"] == ("1", "green")  # the county's own 青农 group
    assert a["youths_reached"] == ("0", "")  # Y1 and Y3 stood, but no member count was recorded by 9-15
    assert a["cadres"] == ("2/3", "green")  # grassroots only: 25 and 30 reach ≥20, 10 does not
    assert a["messages"] == ("0", "red") and a["activities"] == ("0", "red")  # nothing in September
    assert a["last_update"] == ("从未", "red")  # the first snapshot is 10-12, after 9-15
    # 乙县: the plan deadline (8-20) has passed; the account and groups are not due yet.
    assert b["plan"] == ("未填报", "red")
    assert b["account"] == ("未开通", "amber")
    assert b["work_groups"] == ("0", "amber")
    assert b["youth_vs_plan"] == ("0/—", "") and b["goal"] == ("—", "")
    assert b["youth_vs_min"] == ("0/3", "amber")


def test_county_cells_after_the_deadlines(tree):
    table = cells(tree, tree.city, AFTER)
    a, b, total = table["甲县"], table["乙县"], table["合计"]
    assert a["youth_vs_plan"] == ("4/5", "amber")  # 80%: under 90%, over 75% of it
    assert a["goal"] == ("89%", "amber")
    assert a["youth_vs_min"] == ("4/6", "red")  # 67% < 75% of 100%, deadline passed
    assert a["youths_reached"] == ("85", "")
    assert a["messages"] == ("7", "green")  # 7 in November ≥ one per group (4 团青 + 2 青农)
    assert a["activities"] == ("0", "red")
    assert a["last_update"] == ("10-26", "red")  # 35 days before 11-30 > 14
    assert b["account"] == ("未开通", "red") and b["work_groups"] == ("0", "red") and b["youth_vs_min"] == ("0/3", "red")
    # The city's totals: 乙县 has no plan, so its minimum (3) stands in: 4 of 5 + 3.
    assert total["youth_vs_plan"] == ("4/8", "red")
    assert total["youth_vs_min"] == ("4/9", "red")
    assert total["plan"] == ("1/2", "red") and total["account"] == ("1/2", "red") and total["work_groups"] == ("1/2", "red")
    assert total["youths_reached"] == ("85", "")
    assert total["cadres"] == ("2/3", "red")  # 67% < 75% of all grassroots cadres


def test_township_cells_and_the_county_row(tree):
    table = cells(tree, tree.a, AFTER)
    assert set(table) == {"一镇", "二镇", "合计"}
    one, two = table["一镇"], table["二镇"]
    assert "plan" not in one and "youth_vs_plan" not in one
    assert one["youth_vs_min"] == ("3/3", "green") and one["goal"] == ("111%", "green")
    assert two["youth_vs_min"] == ("1/3", "red") and two["goal"] == ("37%", "red")
    assert one["work_groups"] == ("1", "green") and two["work_groups"] == ("0", "red")
    assert one["cadres"] == ("1/2", "red") and two["cadres"] == ("1/1", "green")
    assert two["last_update"] == ("10-26", "red") and one["last_update"] == ("10-12", "red")
    assert table["合计"]["youth_vs_min"] == ("4/6", "red")


def test_countdown_before_and_after(tree, monkeypatch):
    before = countdown(tree.campaign, as_of=BEFORE)
    assert (before.due_on, before.days, before.items) == (date(2014, 9, 30), 15, ["青农微信群建成"])
    assert before.phase.kind == "build"
    assert before.over  # it is long past 2014
    for module in ("selectors", "scorecard", "dashboard"):
        monkeypatch.setattr(f"qingnong.campaign.{module}.today", lambda: date(2014, 9, 15))
    assert not countdown(tree.campaign, as_of=BEFORE).over
    last = countdown(tree.campaign, as_of=date(2014, 10, 31))
    assert last.days == 0 and set(last.items) == {"团青微信群建成 90% 以上", "团县委微信公众号开通", "全面建设阶段结束"}
    end = countdown(tree.campaign, as_of=date(2014, 12, 5))
    assert end.due_on is None and end.phase is None


def test_chart_series(tree):
    weekly = youth_groups_by_week(tree.city_admin, tree.a, start=date(2014, 7, 1), as_of=AFTER)
    assert len(weekly) == 22 and weekly[0] == (date(2014, 7, 6), 1)  # Y3 (no date) from the first week
    assert weekly[-1] == (AFTER, 4)
    by_day = dict(weekly)
    assert by_day[date(2014, 9, 7)] == 2 and by_day[date(2014, 10, 12)] == 3 and by_day[date(2014, 10, 26)] == 4
    assert by_day[date(2014, 10, 19)] == 3
    members = dict(members_by_category(tree.city_admin, tree.city, as_of=AFTER))
    assert members == {"在乡·务农": 50, "在乡·务工": 15, "在乡·经商": 0, "在乡·行政事业单位": 0, "在乡·其他": 0,
                       "外出·务工": 10, "外出·就学": 10, "外出·创业": 0, "外出·其他": 0}
    # On 9-15 no group had a member record yet (Y1's first is 10-12): the page's 联系青年 is 0, so is the chart.
    assert members_by_category(tree.city_admin, tree.city, as_of=BEFORE)[0] == ("在乡·务农", 0)
    assert members_by_category(tree.city_admin, tree.city, as_of=date(2014, 10, 12))[0] == ("在乡·务农", 50)
    messages = {label: (m, t) for label, m, t in messages_by_category(tree.city_admin, tree.city, since=date(2014, 7, 1), as_of=AFTER)}
    assert messages["政策法规"] == (0, 5) and messages["新闻娱乐"] == (7, 7) and messages["致富信息"] == (0, 0)


def test_chart_series_stay_in_the_accounts_scope(tree):
    # A county admin asking about the city gets only its own subtree's groups.
    assert youth_groups_by_week(tree.b_admin, tree.city, start=date(2014, 7, 1), as_of=AFTER)[-1][1] == 0
    assert youth_groups_by_week(tree.a_admin, tree.city, start=date(2014, 7, 1), as_of=AFTER)[-1][1] == 4


def test_page_shows_the_cells_colours_and_notes(client_for, tree):
    response = client_for(tree.city_admin).get(f"/campaign/dashboard/{tree.city.pk}/?as_of=2014-11-30")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="youth_vs_min" data-label="团青/每镇3" title="4/6，67%，应达 100%">4\u2009/\u20096</td>' in html
    assert 'class="s-red" data-key="plan"' in html  # 乙县 未填报
    assert "2014年11月30日" in html and tree.campaign.name in html
    # 乙县 owes its plan, account, groups; it was last reminded on 8-25 (10:00 Beijing time).
    owing = dict((o.name, items) for o, items in response.context["owing"])
    assert "计划表：未填报（截止 2014-08-20）" in owing["乙县"]
    assert "团青群（每乡镇≥3）：0/3，0%，应达 100%" in owing["乙县"]  # the edited target, not the default 10
    assert "上次提醒：2014-08-25 10:00" in html


def test_a_townships_debts_name_its_minimum_once(client_for, tree):
    response = client_for(tree.a_admin).get(f"/campaign/dashboard/{tree.a.pk}/?as_of=2014-11-30")
    owing = dict((o.name, items) for o, items in response.context["owing"])
    assert owing["二镇"] == ["青农微信群：0（0%，应达 100%）", "团青群（每乡镇≥3）：1/3，33%，应达 100%",
                            "本月发送微信：0", "本月线下活动：0", "最近更新：2014-10-26（35 天前）"]
    assert "一镇" in owing and not any("对计划" in item for items in owing.values() for item in items)


def test_completeness_counts_townships_with_a_recent_snapshot(client_for, tree):
    response = client_for(tree.city_admin).get(f"/campaign/dashboard/{tree.city.pk}/?as_of=2014-10-30")
    # 一镇 on 10-12 (within 30 days, not 7), 二镇 on 10-26 (within 7); 三镇 never.
    assert response.context["completeness"] == [(7, 1, 3), (30, 2, 3)]


@pytest.mark.parametrize("as_of", [BEFORE, date(2014, 9, 7), date(2014, 10, 12), date(2014, 10, 19), AFTER])
def test_the_charts_from_the_total_row_are_the_charts_from_the_rows_standing_then(tree, as_of):
    """The dashboard starts the weekly series from its total row's built groups less the
    weeks' changes; that must be what the rows standing before the first week give."""
    from qingnong.campaign.scorecard import scorecard_total
    for org in (tree.a, tree.city):
        total = scorecard_total(org, campaign=tree.campaign, as_of=as_of)
        built = total.youth_groups - sum(s.groups for s in total.reported_shares.values())
        from_rows = youth_groups_by_week(tree.city_admin, org, start=date(2014, 7, 1), as_of=as_of)
        assert youth_groups_by_week(tree.city_admin, org, start=date(2014, 7, 1), as_of=as_of, built=built) == from_rows
        assert from_rows[-1][1] == total.youth_groups
        # The members chart likewise from the total row's columns.
        assert members_by_category(tree.city_admin, org, as_of=as_of, columns=total.youth_member_columns) == \
            members_by_category(tree.city_admin, org, as_of=as_of)


@pytest.mark.parametrize("parent", ["city", "a", "b", "a1"])
def test_completeness_counts_the_same_townships_as_the_total_row(tree, parent):
    """The dashboard gives completeness its total row's township count instead of counting again."""
    from qingnong.campaign.scorecard import completeness_windows
    org = getattr(tree, parent)
    total = scorecard_total(org, campaign=tree.campaign, as_of=AFTER)
    assert completeness_windows(org, as_of=AFTER, n_townships=total.n_townships) == completeness_windows(org, as_of=AFTER)
