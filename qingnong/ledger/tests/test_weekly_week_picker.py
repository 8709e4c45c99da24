"""The weekly grid for last week too (issue 12): a week picker, default this week; a past
week's members are recorded as of its Sunday and its messages in that week. More groups
than one page holds is said, with the townships to enter one by one, never cut silently."""
from datetime import timedelta

from qingnong.ledger.models import MemberSnapshot, MessageRecord, WechatGroup
from qingnong.ledger.views import groups as views
from qingnong.lib.dates import today, week_of

from .test_weekly_entry import form_data, make_groups, row_index


def test_last_week_is_saved_as_of_its_sunday(client_for, world):
    (group,) = make_groups(world.township_a, 1)
    monday, _ = week_of(today())
    last_monday = monday - timedelta(days=7)
    client = client_for(world.township_a_reporter)
    url = f"/ledger/orgs/{world.township_a.pk}/weekly/?week={last_monday:%Y-%m-%d}"
    page = client.get(url).content.decode()
    assert f'value="{last_monday:%Y-%m-%d}" selected' in page
    data = form_data(page)
    i = row_index(data, group)
    data[f"form-{i}-home_farming"], data[f"form-{i}-msg_policy"] = "17", "4"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"?week={last_monday:%Y-%m-%d}")
    snapshot = MemberSnapshot.objects.get(group=group)
    assert snapshot.taken_on == last_monday + timedelta(days=6) and snapshot.home_farming == 17
    record = MessageRecord.objects.get(group=group)
    assert (record.period_start, record.count) == (last_monday, 4)


def test_this_week_is_the_default_and_an_unknown_week_falls_back_to_it(client_for, world):
    monday, _ = week_of(today())
    client = client_for(world.township_a_reporter)
    for query in ("", "?week=2014-01-06", "?week=nonsense"):
        page = client.get(f"/ledger/orgs/{world.township_a.pk}/weekly/{query}").content.decode()
        assert f'value="{monday:%Y-%m-%d}" selected' in page


def test_more_groups_than_a_page_holds_is_said(client_for, world, monkeypatch):
    monkeypatch.setattr(views, "WEEKLY_PAGE", 2)
    make_groups(world.village_a, 3)
    page = client_for(world.county_a_admin).get(f"/ledger/orgs/{world.township_a.pk}/weekly/").content.decode()
    total = WechatGroup.objects.filter(org__path__startswith=world.township_a.path).count()
    assert 'data-testid="weekly-capped"' in page and f"共有 {total} 个微信群" in page
    assert f'/ledger/orgs/{world.village_a.pk}/weekly/?week=' in page
    assert page.count('class="week-row') == 2


def test_a_county_picks_a_township_seeing_who_has_entered_this_week(client_for, world):
    """Issue 18: a county's 录入本周数据 is not all its groups on one page: it lists its
    townships with this week's progress; the county's own groups have a page of their own."""
    from qingnong.ledger.models import GroupKind
    from qingnong.ledger.services.groups import snapshot_record
    from qingnong.lib.dates import today

    groups = make_groups(world.township_a, 3)
    snapshot_record(user=world.county_a_admin, group=groups[0], taken_on=today(), counts={"home_farming": 4})
    own = WechatGroup.objects.create(org=world.county_a, name="青农榆阳", kind=GroupKind.WORK)
    client = client_for(world.county_a_admin)
    page = client.get(f"/ledger/orgs/{world.county_a.pk}/weekly/").content.decode()
    assert 'data-testid="weekly-choose"' in page and 'class="week-row' not in page
    n = WechatGroup.objects.filter(org__path__startswith=world.township_a.path).count()
    assert f'href="/ledger/orgs/{world.township_a.pk}/weekly/?week=' in page and f"已填 1 / {n} 个群" in page
    assert "已填 0 / 1 个群" in page and "own=1" in page  # the county's own group
    mine = client.get(f"/ledger/orgs/{world.county_a.pk}/weekly/?own=1").content.decode()
    assert mine.count('class="week-row') == 1 and own.name in mine and 'data-testid="weekly-back"' in mine
    township = client.get(f"/ledger/orgs/{world.township_a.pk}/weekly/").content.decode()
    assert township.count('class="week-row') == n and 'data-testid="weekly-back"' in township
