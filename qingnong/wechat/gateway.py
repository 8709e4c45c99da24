"""The only code that talks to the WeChat platform (issue 14), through wechatpy (pinned).

- Every URL goes to settings.WECHAT_API_BASE (an intranet's relay, or the tests' fake server).
- The access token comes from cgi-bin/stable_token (the plain /token endpoint has a low daily
  cap and a new token there kills the old one in every other worker), is kept in the
  database for all workers, and is renewed a minute before it expires.
- 40001/42001 (a stale token) are retried once with a forced new token, never more.
- Every platform error becomes a PlatformError with a Chinese sentence saying what to do.
"""
import json
import time
from datetime import datetime, timezone as dt_timezone

import requests
from django.conf import settings
from django.utils import timezone
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from qingnong.lib.secrets import SecretUnreadable, unseal

from .models import PlatformToken

PLATFORM = "https://api.weixin.qq.com/"

# What an admin is told for the platform's error codes they can act on.
MESSAGES = {
    40001: "AppSecret 不正确，或已在公众平台重置（40001）。请重新填写 AppSecret。",
    40125: "AppSecret 不正确（40125）。请到公众平台“设置与开发→基本配置”核对后重新填写。",
    40013: "AppID 不正确（40013）。请到公众平台“设置与开发→基本配置”核对。",
    42001: "访问凭证已过期且换新失败（42001），稍后会自动重试。",
    45009: "今天调用该接口的次数已用完（45009），明天 0 点后自动恢复。请不要反复重试。",
    48001: "公众号没有这个接口的权限（48001）：它只对已认证的公众号开放。请在公众平台完成微信认证后再试。",
    40164: "本服务器的 IP 地址不在公众号的白名单中（40164）。请在公众平台“设置与开发→基本配置→IP白名单”中加入：{ip}。",
    61500: "日期格式不对（61500）。",
    61501: "日期超出了平台允许的范围（61501）：统计数据只能查最近一段时间，每次最多 7 天。",
}


class PlatformError(Exception):
    def __init__(self, message, code=None):
        super().__init__(message)
        self.message, self.code = message, code


def rebase(url):
    base = settings.WECHAT_API_BASE.rstrip("/") + "/"
    return base + url[len(PLATFORM):] if url.startswith(PLATFORM) else url


def platform_error(error):
    """A PlatformError for what wechatpy or requests raised."""
    if isinstance(error, WeChatClientException) and error.errcode:
        code = int(error.errcode)
        text = MESSAGES.get(code)
        if code == 40164:
            ip = next((w for w in str(error.errmsg).replace(",", " ").split() if w.count(".") == 3), "（见错误信息）")
            text = text.format(ip=ip)
        return PlatformError(text or f"微信平台返回错误 {code}：{error.errmsg}", code)
    if isinstance(error, (requests.Timeout, requests.ConnectionError)):
        return PlatformError("连接微信服务器超时或失败，本次没有取得数据；下次同步会自动补上。"
                             "如在内网，请确认到微信平台的中转地址（WECHAT_API_BASE）可用。")
    if isinstance(error, WeChatClientException):  # an HTTP error from the platform or the relay
        status = getattr(error.response, "status_code", "")
        return PlatformError(f"微信平台（或中转服务器）返回了错误的应答 {status}，本次没有取得数据。")
    if isinstance(error, SecretUnreadable):
        return PlatformError(str(error))
    raise error


class DatabaseTokenStore(SessionStorage):
    """wechatpy's session storage kept in PlatformToken rows, shared by every worker."""

    def get(self, key, default=None):
        row = PlatformToken.objects.filter(key=key).first()
        if row is None or (row.expires_at and row.expires_at <= timezone.now()):
            return default
        return json.loads(row.value)  # as set: the token a str, its expiry an int

    def set(self, key, value, ttl=None):
        expires = timezone.now() + timezone.timedelta(seconds=ttl) if ttl else None
        PlatformToken.objects.update_or_create(key=key, defaults={"value": json.dumps(value), "expires_at": expires})

    def delete(self, key):
        PlatformToken.objects.filter(key=key).delete()


class Client(WeChatClient):
    """wechatpy's client, sent to our base URL, with stable_token and one retry at most."""

    def __init__(self, app_id, secret):
        super().__init__(app_id, secret, session=DatabaseTokenStore(), timeout=settings.WECHAT_TIMEOUT)
        self._in_request = False

    def _request(self, method, url_or_endpoint, **kwargs):
        if not url_or_endpoint.startswith(("http://", "https://")):
            url_or_endpoint = kwargs.pop("api_base_url", self.API_BASE_URL) + url_or_endpoint
        nested, retry = self._in_request, self.auto_retry
        self._in_request = True
        if nested:  # wechatpy's retry after a new token: a second 40001 is an answer, not a loop
            self.auto_retry = False
        try:
            return super()._request(method, rebase(url_or_endpoint), **kwargs)
        finally:
            self._in_request, self.auto_retry = nested, retry

    def fetch_access_token(self):
        # Asked while the stored token still looks valid: the platform refused it, force a new one.
        stored = self.session.get(self.access_token_key)
        force = bool(stored) and (self.expires_at or 0) - time.time() > 60
        response = self._http.post(rebase(f"{PLATFORM}cgi-bin/stable_token"), timeout=self.timeout, json={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret, "force_refresh": force})
        try:
            response.raise_for_status()
        except requests.RequestException as error:
            raise WeChatClientException(errcode=None, errmsg=None, client=self, request=error.request, response=error.response)
        result = response.json()
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""), client=self, request=response.request, response=response)
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], expires_in)
        self.expires_at = int(time.time()) + expires_in
        return result


def client_for(link):
    try:
        return Client(link.app_id, unseal(link.secret_sealed))
    except SecretUnreadable as error:
        raise platform_error(error)


def call(link, operation):
    """operation(client) → its result, or PlatformError in Chinese."""
    try:
        return operation(client_for(link))
    except (WeChatClientException, requests.RequestException, SecretUnreadable) as error:
        raise platform_error(error)


def check_credentials(app_id, secret):
    """Fetch a token with these credentials (the link page checks them before keeping them)."""
    try:
        Client(app_id, secret).fetch_access_token()
    except (WeChatClientException, requests.RequestException) as error:
        raise platform_error(error)


def township_code(link, scene):
    """A permanent QR code with a string scene (verified 服务号 only): {"ticket", "url"}."""
    return call(link, lambda c: c.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                                 "action_info": {"scene": {"scene_str": scene}}}))


def user_figures(link, first, last):
    """{day: {"new", "cancel", "cumulate"}} for first..last (≤ 7 days: one call of each API)."""
    def fetch(client):
        days = {}
        for row in client.datacube.get_user_summary(first, last):
            day = days.setdefault(_day(row["ref_date"]), {"new": 0, "cancel": 0, "cumulate": None})
            day["new"] += int(row.get("new_user", 0))  # one row per source (search, QR code, …)
            day["cancel"] += int(row.get("cancel_user", 0))
        for row in client.datacube.get_user_cumulate(first, last):
            days.setdefault(_day(row["ref_date"]), {"new": 0, "cancel": 0, "cumulate": None})["cumulate"] = int(row["cumulate_user"])
        return days
    return call(link, fetch)


def published(link, offset):
    """One page (≤ 20) of the account's published articles, newest first: (items, total)."""
    answer = call(link, lambda c: c.freepublish.batchget(offset, 20, no_content=1))
    return answer.get("item", []), int(answer.get("total_count", 0))


def _day(text):
    return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt_timezone.utc).date()
