"""Linking a county's 公众号 (issue 14): the credentials are checked against the platform, the
secret is sealed at rest and never shown or logged again, platform errors say what to do,
and only the county's admin and the city reach the page."""
from django.urls import reverse

from qingnong.audit.models import AuditEntry
from qingnong.lib.secrets import unseal
from qingnong.wechat.models import AccountLink

from .fake_platform import APP_ID, SECRET


def url(account):
    return reverse("wechat:link", kwargs={"account_id": account.pk})


def post(client, account, **overrides):
    return client.post(url(account), {"app_id": APP_ID, "secret": SECRET, "aes_key": "", "verified_service": "on", **overrides})


def test_admin_links_the_account_and_the_secret_is_never_seen_again(client_for, world, platform, account):
    client = client_for(world.county_a_admin)
    response = post(client, account)
    assert response.status_code == 302
    link = AccountLink.objects.get(account=account)
    assert link.app_id == APP_ID and link.verified_service and len(link.callback_token) == 32
    assert SECRET not in link.secret_sealed and unseal(link.secret_sealed) == SECRET
    assert platform.tokens_issued == 1  # checked against the platform before it was kept
    page = client.get(url(account)).content.decode()
    assert "已加密保存（不再显示）" in page and SECRET not in page and APP_ID in page
    assert link.callback_token in page and reverse("wechat:callback", kwargs={"link_id": link.pk}) in page
    assert not any(SECRET in f"{e.note}{e.changes}" for e in AuditEntry.objects.all())
    assert AuditEntry.objects.filter(note__contains="链接公众平台接口").exists()


def test_wrong_secret_is_named_on_its_field_and_nothing_is_kept(client_for, world, platform, account):
    response = post(client_for(world.county_a_admin), account, secret="f" * 32)
    assert "AppSecret（开发者密码）：AppSecret 不正确（40125）" in response.content.decode()
    assert not AccountLink.objects.exists()


def test_server_ip_not_whitelisted_says_which_ip_to_add(client_for, world, platform, account):
    platform.fault = 40164
    body = post(client_for(world.county_a_admin), account).content.decode()
    assert "IP白名单" in body and "203.0.113.7" in body and not AccountLink.objects.exists()


def test_bad_shapes_are_named_before_calling_the_platform(client_for, world, platform, account):
    body = post(client_for(world.county_a_admin), account, app_id="12345", secret="短", aes_key="x").content.decode()
    assert "AppID 是 wx 开头的 18 位" in body and "AppSecret 是 32 位" in body and "EncodingAESKey 是 43 位" in body
    assert platform.calls == []


def test_a_subscription_account_cannot_claim_verified_service(client_for, world, platform, account):
    account.account_type = "subscription"
    account.save()
    body = post(client_for(world.county_a_admin), account).content.decode()
    assert "只有服务号能认证" in body and not AccountLink.objects.exists()


def test_platform_down_is_a_clear_message(client_for, world, settings, account):
    settings.WECHAT_API_BASE = "http://127.0.0.1:9/"  # nothing listens: refused at once
    body = post(client_for(world.county_a_admin), account).content.decode()
    assert "连接微信服务器超时或失败" in body and not AccountLink.objects.exists()


def test_only_admins_of_the_county_and_the_city_see_it(client_for, world, linked, account):
    assert client_for(world.city_admin).get(url(account)).status_code == 200
    assert client_for(world.county_a_reporter).get(url(account)).status_code == 403
    assert client_for(world.county_a_viewer).get(url(account)).status_code == 403
    assert client_for(world.county_b_admin).get(url(account)).status_code == 404


def test_unlink_deletes_the_secret(client_for, world, linked, account):
    client = client_for(world.county_a_admin)
    assert client.post(reverse("wechat:unlink", kwargs={"account_id": account.pk})).status_code == 302
    assert not AccountLink.objects.exists()
    assert AuditEntry.objects.filter(note__contains="解除公众平台接口链接").exists()


def test_the_account_page_links_here_for_admins_only(client_for, world, account):
    detail = reverse("ledger:account-detail", kwargs={"account_id": account.pk})
    assert url(account) in client_for(world.county_a_admin).get(detail).content.decode()
    assert url(account) not in client_for(world.county_a_reporter).get(detail).content.decode()
