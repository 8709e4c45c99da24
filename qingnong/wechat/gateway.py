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
from datetime import date, datetime
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils import timezone
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.work import WeChatClient as WorkClient

from qingnong.lib.secrets import SecretUnreadable, unseal

from .models import PlatformToken

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the platforms' days are Beijing days
PLATFORM = "https://api.weixin.qq.com/"
WECOM = "https://qyapi.weixin.qq.com/"

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


# WeCom's own codes (its 40001/42001/45009 mean what the official accounts' do).
WECOM_MESSAGES = {
    40001: "客户联系 Secret 不正确或已重置（40001）。请在企业微信管理后台“客户与上下游→客户联系→API”中查看后重新填写。",
    40013: "企业ID（CorpID）不正确（40013）。请在企业微信管理后台“我的企业”中查看。",
    48002: "这个 Secret 没有客户联系接口的权限（48002）。请使用“客户联系”的 Secret，并把群主加入可调用接口的成员范围。",
    60011: "没有查看这些群主的权限（60011）。请在“客户联系→权限配置”中把群主加入可调用接口的成员。",
    60020: "本服务器的 IP 地址不在企业微信的可信 IP 中（60020）。请在自建应用的“企业可信IP”中加入：{ip}。",
}


class PlatformError(Exception):
    def __init__(self, message, code=None):
        super().__init__(message)
        self.message, self.code = message, code


def rebase(url):
    """The platform's URL on the base the settings name (an intranet's relay, the tests' fake)."""
    for platform, setting in ((PLATFORM, "WECHAT_API_BASE"), (WECOM, "WECOM_API_BASE")):
        if url.startswith(platform):
            return getattr(settings, setting).rstrip("/") + "/" + url[len(platform):]
    return url


def platform_error(error, messages=None):
    """A PlatformError for what wechatpy or requests raised."""
    if isinstance(error, WeChatClientException) and error.errcode:
        code = int(error.errcode)
        text = (messages or {}).get(code) or MESSAGES.get(code)
        if code in (40164, 60020):
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


class _OurBase:
    """Both clients: every URL on our base, and one retry at most after a new token."""

    _in_request = False

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


class Client(_OurBase, WeChatClient):
    """wechatpy's official-account client with stable_token."""

    def __init__(self, app_id, secret):
        super().__init__(app_id, secret, session=DatabaseTokenStore(), timeout=settings.WECHAT_TIMEOUT)

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


class Wecom(_OurBase, WorkClient):
    """wechatpy's WeCom client; groupchat/statistic_group_by_day, which it lacks, is a plain post."""

    def __init__(self, corp_id, secret):
        super().__init__(corp_id, secret, session=DatabaseTokenStore(), timeout=settings.WECHAT_TIMEOUT)

    def fetch_access_token(self):
        return self._fetch_access_token(url=rebase(f"{WECOM}cgi-bin/gettoken"), params={"corpid": self.corp_id, "corpsecret": self.secret})


def _call(client, messages, operation):
    """operation(client()) → its result; whatever the platform, the relay or the key store
    raised becomes a PlatformError in Chinese (messages: the platform's own table)."""
    try:
        return operation(client())
    except (WeChatClientException, requests.RequestException, SecretUnreadable) as error:
        raise platform_error(error, messages)


def call(link, operation):
    """operation(official-account client) → its result, or PlatformError in Chinese."""
    return _call(lambda: Client(link.app_id, unseal(link.secret_sealed)), None, operation)


def check_credentials(app_id, secret):
    """Fetch a token with these credentials (the link page checks them before keeping them)."""
    _call(lambda: Client(app_id, secret), None, lambda client: client.fetch_access_token())


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


# ---------------------------------------------------------------- WeCom


def wecom_call(link, operation):
    return _call(lambda: Wecom(link.corp_id, unseal(link.secret_sealed)), WECOM_MESSAGES, operation)


def check_wecom(corp_id, secret):
    _call(lambda: Wecom(corp_id, secret), WECOM_MESSAGES, lambda client: client.fetch_access_token())


def wecom_groups(link):
    """Every 客户群 of the corp: [{"chat_id", "name", "owner", "members": [(userid, join_time)]}]."""
    def fetch(client):
        chats, cursor = [], ""
        while True:
            page = client.post("externalcontact/groupchat/list", data={"status_filter": 0, "cursor": cursor, "limit": 1000})
            chats += [c["chat_id"] for c in page.get("group_chat_list", [])]
            cursor = page.get("next_cursor", "")
            if not cursor:
                break
        groups = []
        for chat_id in chats:
            chat = client.post("externalcontact/groupchat/get", data={"chat_id": chat_id, "need_name": 1})["group_chat"]
            groups.append({"chat_id": chat_id, "name": chat.get("name", ""), "owner": chat.get("owner", ""),
                           "members": [(m.get("userid", ""), int(m.get("join_time", 0))) for m in chat.get("member_list", [])]})
        return groups
    return wecom_call(link, fetch)


def wecom_owner_days(link, owners, first, last):
    """{(owner, day): figures} from groupchat/statistic_group_by_day, one owner a call (the
    platform adds up the owners it is given), ≤ 30 days a call."""
    def fetch(client):
        found = {}
        begin = int(datetime(first.year, first.month, first.day, tzinfo=SHANGHAI).timestamp())
        end = int(datetime(last.year, last.month, last.day, tzinfo=SHANGHAI).timestamp())
        for owner in owners:
            answer = client.post("externalcontact/groupchat/statistic_group_by_day", data={
                "day_begin_time": begin, "day_end_time": end, "owner_filter": {"userid_list": [owner]}})
            for item in answer.get("items", []):
                day = datetime.fromtimestamp(int(item["stat_time"]), tz=SHANGHAI).date()
                found[(owner, day)] = item["data"]
        return found
    return wecom_call(link, fetch)


def article_reads(link, day):
    """{title: (readers, as of)} of the articles sent on `day` (getarticletotal: one day a
    call; each article's details run up to 7 days after it was sent, the readers cumulative)."""
    def fetch(client):
        found = {}
        for row in client.datacube.get_article_total(day, day):
            details = sorted(row.get("details", []), key=lambda d: d["stat_date"])
            if details:
                found[row.get("title", "")] = (int(details[-1].get("int_page_read_user", 0)), _day(details[-1]["stat_date"]))
        return found
    return call(link, fetch)


def _day(text):
    return date.fromisoformat(text)
