"""The platform's pushes (issue 14): the URL check, signature, plain and AES safe mode, and a
subscriber attributed to the township whose code they scanned, once however often pushed."""
import time

from django.urls import reverse
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from qingnong.wechat.models import Follower, PlatformEvent, TownshipCode
from qingnong.wechat.selectors import followers_by_township

from .fake_platform import APP_ID


def signed(link, **extra):
    timestamp, nonce = str(int(time.time())), "123456"
    signer = WeChatSigner()
    signer.add_data(link.callback_token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, **extra}


def event_xml(openid, event, key="", created=1765000000):
    return (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>"
            f"<EventKey><![CDATA[{key}]]></EventKey></xml>")


def push(client, link, xml, **query):
    path = reverse("wechat:callback", kwargs={"link_id": link.pk})
    params = "&".join(f"{k}={v}" for k, v in signed(link, **query).items())
    return client.post(f"{path}?{params}", data=xml, content_type="text/xml")


def code_for(link, township):
    return TownshipCode.objects.create(link=link, org=township, scene=township.code, ticket="t", url="http://weixin.qq.com/q/x")


def test_the_platform_checks_the_url(client, linked):
    path = reverse("wechat:callback", kwargs={"link_id": linked.pk})
    response = client.get(path, signed(linked, echostr="hello"))
    assert response.status_code == 200 and response.content == b"hello"
    forged = client.get(path, {**signed(linked, echostr="hello"), "signature": "0" * 40})
    assert forged.status_code == 403


def test_subscribers_are_counted_by_township_once(client, world, linked):
    code_for(linked, world.township_a)
    xml = event_xml("o-1", "subscribe", f"qrscene_{world.township_a.code}")
    assert push(client, linked, xml).content == b"success"
    assert push(client, linked, xml).content == b"success"  # the platform retries: the same event
    push(client, linked, event_xml("o-2", "subscribe", f"qrscene_{world.township_a.code}", created=1765000100))
    push(client, linked, event_xml("o-3", "subscribe", "", created=1765000200))  # found the account by search
    assert PlatformEvent.objects.count() == 3
    rows, other, total = followers_by_township(linked)
    assert dict((t.name, n) for t, n in rows)[world.township_a.name] == 2 and other == 1 and total == 3
    # One leaves; one scans a code later (already following): the first township they came through stays.
    push(client, linked, event_xml("o-2", "unsubscribe", "", created=1765000300))
    push(client, linked, event_xml("o-3", "SCAN", world.township_a.code, created=1765000400))
    rows, other, total = followers_by_township(linked)
    assert dict((t.name, n) for t, n in rows)[world.township_a.name] == 1 and other == 1 and total == 2


def test_safe_mode_messages_are_decrypted(client, world, linked):
    code_for(linked, world.township_a)
    crypto = WeChatCrypto(linked.callback_token, "a" * 43, APP_ID)
    query = signed(linked)
    encrypted = crypto.encrypt_message(event_xml("o-9", "subscribe", f"qrscene_{world.township_a.code}"), query["nonce"], query["timestamp"])
    msg_signature = encrypted.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    path = reverse("wechat:callback", kwargs={"link_id": linked.pk})
    params = "&".join(f"{k}={v}" for k, v in {**query, "encrypt_type": "aes", "msg_signature": msg_signature}.items())
    assert client.post(f"{path}?{params}", data=encrypted, content_type="text/xml").content == b"success"
    assert Follower.objects.get(openid="o-9").township == world.township_a
    tampered = client.post(f"{path}?{params.replace(msg_signature, '0' * 40)}", data=encrypted, content_type="text/xml")
    assert tampered.status_code == 403 and Follower.objects.count() == 1


def test_a_forged_push_records_nothing(client, linked):
    path = reverse("wechat:callback", kwargs={"link_id": linked.pk})
    response = client.post(f"{path}?signature={'0' * 40}&timestamp=1&nonce=2", data=event_xml("o-1", "subscribe"),
                           content_type="text/xml")
    assert response.status_code == 403 and not PlatformEvent.objects.exists()
    assert client.post(reverse("wechat:callback", kwargs={"link_id": 999999})).status_code == 404


def test_other_pushes_are_answered_and_not_counted(client, linked):
    text = ("<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o-5]]></FromUserName>"
            "<CreateTime>1765000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>"
            "<MsgId>1</MsgId></xml>")
    assert push(client, linked, text).content == b"success"
    assert push(client, linked, event_xml("o-5", "CLICK", "menu")).content == b"success"
    assert not PlatformEvent.objects.exists() and not Follower.objects.exists()


def test_the_link_page_shows_subscribers_per_township(client, client_for, world, linked):
    code_for(linked, world.township_a)
    push(client, linked, event_xml("o-1", "subscribe", f"qrscene_{world.township_a.code}"))
    body = client_for(world.county_a_admin).get(reverse("wechat:link", kwargs={"account_id": linked.account_id})).content.decode()
    assert 'data-testid="followers"' in body and f"<td>{world.township_a.name}</td><td class=\"num\">1</td>" in body
