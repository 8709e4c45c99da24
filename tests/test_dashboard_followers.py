"""Issue 14's "the dashboard shows subscribers per township": a county whose verified 服务号
is linked sees, on its dashboard, who came through each township's QR code, in the same
number of statements however many subscribers; a county without a link sees no section."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingnong.ledger.models import OfficialAccount
from qingnong.lib.secrets import seal
from qingnong.wechat.models import AccountLink, Follower


def url(org):
    return f"/campaign/dashboard/{org.pk}/?as_of=2014-10-31"


def link_with_followers(world, n):
    account = OfficialAccount.objects.get(org=world.county_a)
    link, _ = AccountLink.objects.get_or_create(account=account, defaults={
        "app_id": "wx00000000000000ab", "secret_sealed": seal("s" * 32), "callback_token": "t" * 32, "verified_service": True})
    start = Follower.objects.count()
    Follower.objects.bulk_create([Follower(link=link, openid=f"o{start + i}", township=world.township_a if i % 2 else None,
                                           since=timezone.now()) for i in range(n)])
    return link


def test_the_county_dashboard_shows_subscribers_per_township(client_for, world):
    client = client_for(world.county_a_viewer)
    assert 'data-testid="dashboard-followers"' not in client.get(url(world.county_a)).content.decode()
    link_with_followers(world, 3)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url(world.county_a)).content.decode()
    assert 'data-testid="dashboard-followers"' in body and "共 3 人" in body
    assert f"<td>{world.township_a.name}</td><td class=\"num\">1</td>" in body
    link_with_followers(world, 40)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url(world.county_a)).content.decode()
    assert "共 43 人" in body and len(few) == len(many)


def test_an_unverified_account_shows_nothing_per_township(client_for, world):
    link = link_with_followers(world, 3)
    AccountLink.objects.filter(pk=link.pk).update(verified_service=False)
    assert 'data-testid="dashboard-followers"' not in client_for(world.county_a_viewer).get(url(world.county_a)).content.decode()
