"""The county ranking against hand-computed figures, rubric edits, tie rules, verdict items,
and the number of statements (constant in the number of counties).

The tiny city (as of 2014-11-28, a Friday: 28 days = 4.0 weeks of November):

| county | townships | youth groups | cadres (≥20) | Nov messages | Nov activities |
| C1     | 2         | 15           | 4 (3)        | 90           | 1              |
| C2     | 1         | 12           | 2 (1)        | 0            | 3              |
| C3     | 1         | 5            | 1 (1)        | 60           | 0              |

No county reported a plan, so the planned youth groups are townships × 10.
"""
from datetime import date

from conftest import recorded_on
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import Activity, ActivityType, Cadre, GroupKind, MessageCategory, MessageRecord, WechatGroup
from qingnong.ledger.totals import refresh
from qingnong.org.models import Org, OrgLevel

from ..models import Finding, FocusItem, Inspection, InspectionRound, InspectionStatus, Rubric, ScoreSource, Verdict
from ..selectors.assessment import county_scores, default_items, rubric_and_items
from ..services.assessment import rubric_create_default, rubric_update

AS_OF = date(2014, 11, 28)

FIGURES = {  # code: (townships, youth groups, cadres, cadres on target, messages, activities)
    "619901": (2, 15, 4, 3, 90, 1),
    "619902": (1, 12, 2, 1, 0, 3),
    "619903": (1, 5, 1, 1, 60, 0),
}


def add_county(city, code, townships, groups, cadres, on_target, messages, activities):
    county = Org.objects.create(name=f"测试县{code[-1]}", level=OrgLevel.COUNTY, code=code, parent=city,
                                path=f"{city.path}{code}/", depth=city.depth + 1)
    towns = [Org.objects.create(name=f"测试镇{code}{i}", level=OrgLevel.TOWNSHIP, code=f"{code}{100 + i}", parent=county,
                                path=f"{county.path}{code}{100 + i}/", depth=county.depth + 1) for i in range(townships)]
    town = towns[0]
    made = WechatGroup.objects.bulk_create([
        WechatGroup(org=town, name=f"{code}群{i}", kind=GroupKind.YOUTH, founded_on=date(2014, 9, 1)) for i in range(groups)])
    recorded_on(Cadre.objects.bulk_create([Cadre(org=town, name=f"{code}干部{i}", youths_reached=25 if i < on_target else 5)
                                           for i in range(cadres)]), date(2014, 8, 1))  # standing in 2014
    refresh([town.pk])  # bulk_create sends no post_save (the services refresh as they write)
    if messages:
        MessageRecord.objects.create(org=town, group=made[0], period_start=date(2014, 11, 3), period_end=date(2014, 11, 9),
                                     month=date(2014, 11, 1), count=messages, category=MessageCategory.POLICY)
    for i in range(activities):
        Activity.objects.create(org=town, held_on=date(2014, 11, 5), activity_type=ActivityType.SKILLS, title=f"活动{i}")
    return county


def build_tiny(admin_org=None):
    """A city of three counties with the figures above, and its 2014 campaign."""
    city = Org.objects.create(name="测试市", level=OrgLevel.CITY, code="619900", path="619900/", depth=1)
    for code, figures in FIGURES.items():
        add_county(city, code, *figures)
    return city, campaign_create_default(org=city, year=2014)


def ranked(campaign, items=None):
    items = items if items is not None else rubric_and_items(campaign)[1]
    return [(r.org.code, r.total, [s.score for s in r.items]) for r in county_scores(campaign=campaign, items=items, as_of=AS_OF)]


def edit(rubric, user, specs, *, see=False):
    items = [{"label": label, "weight": weight, "source": source, "full_marks_at": full} for label, weight, source, full in specs]
    return rubric_update(user=user, rubric=rubric, expected_version=rubric.version, counties_see_ranking=see, items=items)


@pytest.fixture
def tiny(world):
    from qingnong.accounts.models import Role, User

    city, campaign = build_tiny()
    admin = User.objects.create(username="tiny_city_admin", org=city, role=Role.ADMIN)
    return campaign, admin


D = Decimal


def test_default_rubric_scores_by_hand(tiny):
    campaign, _ = tiny
    # C1: 30×15/20=22.50; 25×3/4=18.75; 25×min(1, 90/15/4.0 / 3)=25×0.5=12.50; 20×1/2=10.00 → 63.75
    # C2: 30×min(1,12/10)=30.00; 25×1/2=12.50; 0; 20×min(1,3/1)=20.00 → 62.50
    # C3: 30×5/10=15.00; 25×1/1=25.00; 25×min(1, 60/5/4.0 / 3)=25.00; 0 → 65.00
    assert ranked(campaign) == [
        ("619903", D("65.00"), [D("15.00"), D("25.00"), D("25.00"), D("0.00")]),
        ("619901", D("63.75"), [D("22.50"), D("18.75"), D("12.50"), D("10.00")]),
        ("619902", D("62.50"), [D("30.00"), D("12.50"), D("0.00"), D("20.00")]),
    ]


def test_default_rubric_is_the_plans_four_items_summing_to_100(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    assert [i.label for i in rubric.items.all()] == ["建群情况", "联系团员青年数量", "发送内容及频次", "线上线下活动情况"]
    assert sum(i.weight for i in rubric.items.all()) == 100
    assert rubric_create_default(campaign) == rubric  # idempotent
    assert [i.label for i in default_items()] == [i.label for i in rubric.items.all()]


def test_rubric_edit_changes_the_ranking(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    edit(rubric, admin, [("建群情况", 60, ScoreSource.YOUTH_GROUPS_SHARE, 1), ("联系团员青年数量", 20, ScoreSource.CADRES_ON_TARGET, 1),
                         ("发送内容及频次", 10, ScoreSource.MESSAGES_PER_GROUP_WEEK, 3), ("线上线下活动情况", 10, ScoreSource.ACTIVITIES_PER_TOWNSHIP, 1)])
    # C1: 45+15+5+5=70; C2: 60+10+0+10=80; C3: 30+20+10+0=60
    assert [(code, total) for code, total, _ in ranked(campaign)] == [("619902", D("80.00")), ("619901", D("70.00")), ("619903", D("60.00"))]


def test_full_marks_at_changes_the_score(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    edit(rubric, admin, [("发送内容及频次", 100, ScoreSource.MESSAGES_PER_GROUP_WEEK, 1.5)])
    # C1 sends 1.5 per group-week: full marks at 1.5; C3 (3.0) is capped at 100
    assert [(code, total) for code, total, _ in ranked(campaign)] == [("619901", D("100.00")), ("619903", D("100.00")), ("619902", D("0.00"))]


def test_weights_must_sum_to_100(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    with pytest.raises(ValidationError, match="权重之和应为 100 分，现为 90 分"):
        edit(rubric, admin, [("建群情况", 90, ScoreSource.YOUTH_GROUPS_SHARE, 1)])


def test_an_edit_on_an_old_version_is_refused(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    stale = Rubric.objects.get(pk=rubric.pk)
    edit(rubric, admin, [("建群情况", 100, ScoreSource.YOUTH_GROUPS_SHARE, 1)])
    with pytest.raises(ValidationError, match="已被他人修改"):
        edit(stale, admin, [("联系团员青年数量", 100, ScoreSource.CADRES_ON_TARGET, 1)])


def test_ties_are_broken_by_item_scores_in_rubric_order_then_code(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    # 50 × groups share + 50 × cadres share: C1 37.5+37.5, C2 50+25, C3 25+50 → all 75.00
    edit(rubric, admin, [("建群情况", 50, ScoreSource.YOUTH_GROUPS_SHARE, 1), ("联系团员青年数量", 50, ScoreSource.CADRES_ON_TARGET, 1)])
    assert [(c, t) for c, t, _ in ranked(campaign)] == [("619902", D("75.00")), ("619901", D("75.00")), ("619903", D("75.00"))]
    rubric.refresh_from_db()
    edit(rubric, admin, [("联系团员青年数量", 50, ScoreSource.CADRES_ON_TARGET, 1), ("建群情况", 50, ScoreSource.YOUTH_GROUPS_SHARE, 1)])
    assert [c for c, _, _ in ranked(campaign)] == ["619903", "619901", "619902"]
    rubric.refresh_from_db()
    edit(rubric, admin, [("公众号开通", 100, ScoreSource.ACCOUNT_OPENED, 1)])  # nobody opened one: all 0, by code
    assert [c for c, _, _ in ranked(campaign)] == ["619901", "619902", "619903"]


def test_the_same_inputs_give_the_same_ranking(tiny):
    campaign, _ = tiny
    assert ranked(campaign) == ranked(campaign)


def test_verdict_items_read_the_latest_published_inspection(tiny):
    campaign, admin = tiny
    c1, c2, c3 = Org.objects.filter(code__in=FIGURES).order_by("code")
    round_ = InspectionRound.objects.create(campaign=campaign, org=campaign.org, name="11月检查",
                                            starts_on=date(2014, 11, 1), ends_on=date(2014, 11, 30))
    for county, status, verdict in [(c1, InspectionStatus.PUBLISHED, Verdict.MOSTLY), (c2, InspectionStatus.SUBMITTED, Verdict.MET),
                                    (c3, InspectionStatus.PUBLISHED, Verdict.NOT_MET)]:
        inspection = Inspection.objects.create(round=round_, org=county, status=status)
        Finding.objects.create(inspection=inspection, item=FocusItem.GROUPS, verdict=verdict)
    rubric = rubric_create_default(campaign, user=admin)
    rubric_update(user=admin, rubric=rubric, expected_version=rubric.version, counties_see_ranking=False, items=[
        {"label": "建群情况（检查结论）", "weight": 100, "source": ScoreSource.VERDICT, "focus_item": FocusItem.GROUPS}])
    # C1 基本达标 70; C3 未达标 30; C2's result is not published: 0
    assert [(c, t) for c, t, _ in ranked(campaign)] == [("619901", D("70.00")), ("619903", D("30.00")), ("619902", D("0.00"))]


def test_statements_do_not_grow_with_the_counties(tiny):
    campaign, admin = tiny
    rubric = rubric_create_default(campaign, user=admin)
    items = list(rubric.items.all()) + []
    items[0].source = ScoreSource.VERDICT  # the verdict lookup counts too
    items[0].focus_item = FocusItem.GROUPS
    with CaptureQueriesContext(connection) as three:
        county_scores(campaign=campaign, items=items, as_of=AS_OF)
    for code in ("619904", "619905", "619906"):
        add_county(campaign.org, code, 1, 2, 1, 1, 5, 1)
    with CaptureQueriesContext(connection) as six:
        rows = county_scores(campaign=campaign, items=items, as_of=AS_OF)
    assert len(rows) == 6
    assert len(three) == len(six) == 12  # with_progress: + 1 for 附件3 imports counted as updates, + 1 for standing reports; the edge days of messages and activities from the day totals in one
