"""Official-account evaluation against hand-computed figures.

The campaign runs 2014-07-01 … 2014-11-30: 22 weeks (Mondays 06-30 … 11-24).

| account | start subs | end subs | growth | articles (themes)        | weeks posted | admins |
| 青农测试一 | 1000       | 3000     | 2000   | 60 (政策解读 30, 团内要讯 30) | 2            | 3      |
| 青农测试二 | 0          | 600      | 600    | 12 (青年榜样)              | 4            | 1      |

Default score (weight × min(1, value / full marks)):
一: 30×3000/5000=18.00 + 20×1=20.00 + 20×60/60=20.00 + 10×2/6=3.33 + 10×2/22=0.91 + 10×3/3=10.00 = 72.24
二: 30×600/5000=3.60 + 20×600/2000=6.00 + 20×12/60=4.00 + 10×1/6=1.67 + 10×4/22=1.82 + 10×1/3=3.33 = 20.42
"""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingnong.ledger.models import (
    AccountAdmin, AccountStatus, AccountTheme, Cadre, MessageCategory, MessageRecord, OfficialAccount, SubscriberSnapshot,
)
from qingnong.org.models import Org

from ..selectors.assessment import account_evaluation, campaign_period
from .test_assessment_scores import build_tiny


def build_accounts(campaign):
    c1, c2 = Org.objects.filter(code__in=["619901", "619902"]).order_by("code")
    one = OfficialAccount.objects.create(org=c1, name="青农测试一", status=AccountStatus.OPENED, opened_on=date(2014, 6, 1))
    two = OfficialAccount.objects.create(org=c2, name="青农测试二", status=AccountStatus.OPENED, opened_on=date(2014, 10, 1),
                                         subscribers=600, subscribers_as_of=date(2014, 11, 1))
    SubscriberSnapshot.objects.create(account=one, taken_on=date(2014, 6, 20), subscribers=1000)
    SubscriberSnapshot.objects.create(account=one, taken_on=date(2014, 11, 20), subscribers=3000)
    SubscriberSnapshot.objects.create(account=one, taken_on=date(2014, 12, 20), subscribers=9000)  # after the period
    for theme, start, end, count in [(AccountTheme.POLICY_EXPLAINER, date(2014, 9, 1), date(2014, 9, 7), 30),
                                     (AccountTheme.LEAGUE_NEWS, date(2014, 10, 6), date(2014, 10, 12), 30)]:
        MessageRecord.objects.create(org=c1, account=one, period_start=start, period_end=end, month=start.replace(day=1),
                                     count=count, category=MessageCategory.POLICY, theme=theme)
    MessageRecord.objects.create(org=c2, account=two, period_start=date(2014, 11, 3), period_end=date(2014, 11, 30),
                                 month=date(2014, 11, 1), count=12, category=MessageCategory.OTHER, theme=AccountTheme.ROLE_MODEL)
    for official_account, n in [(one, 3), (two, 1)]:
        for i in range(n):
            cadre = Cadre.objects.create(org=official_account.org, name=f"{official_account.name}管理员{i}")
            AccountAdmin.objects.create(account=official_account, cadre=cadre)
    return one, two


@pytest.fixture
def tiny(world):
    from qingnong.accounts.models import Role, User

    city, campaign = build_tiny()
    one, two = build_accounts(campaign)
    users = {
        "city": User.objects.create(username="tiny_city_admin", org=city, role=Role.ADMIN),
        "c1": User.objects.create(username="tiny_c1_admin", org=one.org, role=Role.ADMIN),
        "c2": User.objects.create(username="tiny_c2_viewer", org=two.org, role=Role.VIEWER),
    }
    return campaign, one, two, users


def test_campaign_period_is_the_campaign_dates(tiny):
    campaign, *_ = tiny
    assert campaign_period(campaign) == (date(2014, 7, 1), date(2014, 11, 30))


def test_figures_and_scores_by_hand(tiny):
    campaign, one, two, users = tiny
    rows = account_evaluation(users["city"], campaign=campaign, start=date(2014, 7, 1), end=date(2014, 11, 30))
    first, second = rows
    assert (first.account, first.rank, second.account, second.rank) == (one, 1, two, 2)
    assert (first.subscribers_start, first.subscribers_end, first.growth) == (1000, 3000, 2000)
    assert (second.subscribers_start, second.subscribers_end, second.growth) == (0, 600, 600)
    assert first.themes["政策解读"] == 30 and first.themes["团内要讯"] == 30 and first.articles == 60 and first.theme_count == 2
    assert second.themes["青年榜样"] == 12 and second.articles == 12
    assert (first.weeks_total, first.weeks_without_post, second.weeks_without_post) == (22, 20, 18)
    assert (first.admins, second.admins) == (3, 1)
    assert first.scores == {"subscribers": Decimal("18.00"), "growth": Decimal("20.00"), "articles": Decimal("20.00"),
                            "themes": Decimal("3.33"), "weeks_posted": Decimal("0.91"), "admins": Decimal("10.00")}
    assert first.total == Decimal("72.24") and second.total == Decimal("20.42")


def test_weights_change_the_score(tiny):
    campaign, one, two, users = tiny
    weights = {"subscribers": 0, "growth": 0, "articles": 0, "themes": 0, "weeks_posted": 100, "admins": 0}
    rows = account_evaluation(users["city"], campaign=campaign, start=date(2014, 7, 1), end=date(2014, 11, 30), weights=weights)
    # 100 × 4/22 = 18.18 beats 100 × 2/22 = 9.09
    assert [(r.account, r.total) for r in rows] == [(two, Decimal("18.18")), (one, Decimal("9.09"))]


def test_a_shorter_period(tiny):
    campaign, one, two, users = tiny
    rows = account_evaluation(users["city"], campaign=campaign, start=date(2014, 11, 1), end=date(2014, 11, 30))
    one_row = next(r for r in rows if r.account == one)
    assert (one_row.subscribers_start, one_row.subscribers_end, one_row.articles) == (1000, 3000, 0)
    assert one_row.weeks_total == 5 and one_row.weeks_without_post == 5  # Mondays 10-27 … 11-24


def test_a_county_sees_only_its_own_account(tiny):
    campaign, one, two, users = tiny
    rows = account_evaluation(users["c2"], campaign=campaign, start=date(2014, 7, 1), end=date(2014, 11, 30))
    assert [(r.account, r.rank) for r in rows] == [(two, 2)]


def test_statements_are_constant(tiny):
    campaign, one, two, users = tiny
    with CaptureQueriesContext(connection) as queries:
        account_evaluation(users["city"], campaign=campaign, start=date(2014, 7, 1), end=date(2014, 11, 30))
    assert len(queries) == 4  # accounts, snapshots, records, admins; a county adds the rubric and its scope


def test_a_county_sees_every_account_once_the_city_publishes_the_ranking(tiny):
    from ..services.assessment import rubric_create_default, rubric_update

    campaign, one, two, users = tiny
    rubric = rubric_create_default(campaign, user=users["city"])
    rubric_update(user=users["city"], rubric=rubric, expected_version=rubric.version, counties_see_ranking=True,
                  items=[{"label": "建群情况", "weight": 100, "source": "youth_groups_share"}])
    rows = account_evaluation(users["c2"], campaign=campaign, start=date(2014, 7, 1), end=date(2014, 11, 30))
    assert [(r.account, r.rank) for r in rows] == [(one, 1), (two, 2)]


def test_page_shows_the_ranking_formula_and_the_weights_form(client_for, tiny):
    campaign, one, two, users = tiny
    url = reverse("inspection:award-evaluation", kwargs={"campaign_id": campaign.pk})
    body = client_for(users["city"]).get(url).content.decode()
    assert "青农测试一" in body and "青农测试二" in body and "72.24" in body and "权重 × min(1, 实际值 ÷ 满分标准)" in body
    assert "记录奖项" in body
    body = client_for(users["city"]).get(url, {"w_subscribers": 50, "w_growth": 50, "w_articles": 0, "w_themes": 0,
                                                "w_weeks_posted": 0, "w_admins": 0}).content.decode()
    assert "80.00" in body  # 一: 50×0.6 + 50×1
    body = client_for(users["city"]).get(url, {"w_subscribers": 50}).content.decode()
    assert "各项权重之和应为 100 分" in body


def test_county_page_shows_only_its_account_and_no_award_form(client_for, tiny):
    campaign, one, two, users = tiny
    body = client_for(users["c2"]).get(reverse("inspection:award-evaluation", kwargs={"campaign_id": campaign.pk})).content.decode()
    assert "青农测试二" in body and "青农测试一" not in body and "记录奖项" not in body
    assert 'data-testid="rank"' not in body and "第 2 名" not in body
