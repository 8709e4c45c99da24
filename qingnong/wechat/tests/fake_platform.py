"""A fake WeChat platform on 127.0.0.1 (pytest-httpserver) speaking the endpoints the gateway
uses, with switches for the faults an admin meets: 40001/42001 (a stale token, once or for
good), 45009 (quota), 48001 (not verified), 40164 (IP not whitelisted) and timeouts."""
import json
import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Response

CORP_ID = "ww0123456789abcdef"
CORP_SECRET = "corp-secret-0123456789abcdefghijklmnop"
SHANGHAI = ZoneInfo("Asia/Shanghai")
APP_ID = "wx0123456789abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
ERRORS = {
    40001: "invalid credential, access_token is invalid or not latest",
    42001: "access_token expired",
    45009: "reach max api daily quota limit",
    48001: "api unauthorized",
    40164: "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist",
    60020: "not allow to access from your ip, from ip: 203.0.113.7",
}


class FakePlatform:
    def __init__(self):
        self.fault = None  # an errcode above, "timeout", or "stale_once"
        self.fault_after = 0  # let this many data calls through before the fault
        self.valid = set()
        self.tokens_issued = 0
        self.calls = []  # (path, body)
        self.base_users = 1000
        # WeCom 客户群: chat id → (name, owner, member join times); zhang has two groups, li one that is silent.
        self.chats = {"c1": ("鱼河镇青年创业群", "zhang", [1764900000, 1764900000, 1764990000, 1765000000, 1765000000]),
                      "c2": (None, "zhang", [1764900000, 1764900000, 1764900000]),  # named by the test (a ledger group)
                      "c3": ("城关青年联谊群", "li", [1764900000] * 4)}
        self.silent = {"li"}
        # Published articles, newest first: (article_id, update_time, [titles])
        self.articles = [(f"ART{n:03d}", 1764000000 + n * 86400, [f"第{n}期 政策解读", f"第{n}期 青年榜样"] if n % 5 == 0 else [f"第{n}期 惠农政策"])
                         for n in range(25, 0, -1)]

    # -- the day's figures: 10 + day-of-month new, 2 cancelled; cumulative from 1000 on 2026-01-01
    def figures(self, day):
        new, cancel = 10 + day.day, 2
        cumulate = self.base_users + sum(10 + d.day - 2 for d in _days(date(2026, 1, 1), day))
        return new, cancel, cumulate

    def handle(self, request):
        path = request.path
        body = json.loads(request.get_data() or b"{}")
        self.calls.append((path, body))
        if path == "/cgi-bin/stable_token":
            if body.get("appid") != APP_ID:
                return _json({"errcode": 40013, "errmsg": "invalid appid"})
            if body.get("secret") != SECRET:
                return _json({"errcode": 40125, "errmsg": "invalid appsecret"})
            if self.fault == 40164:
                return _json({"errcode": 40164, "errmsg": ERRORS[40164]})
            self.tokens_issued += 1
            token = f"TOKEN-{self.tokens_issued}"
            self.valid = {token}
            return _json({"access_token": token, "expires_in": 7200})
        if path == "/cgi-bin/gettoken":
            if request.args.get("corpid") != CORP_ID:
                return _json({"errcode": 40013, "errmsg": "invalid corpid"})
            if request.args.get("corpsecret") != CORP_SECRET:
                return _json({"errcode": 40001, "errmsg": "invalid credential"})
            if self.fault == 60020:
                return _json({"errcode": 60020, "errmsg": "not allow to access from your ip, from ip: 203.0.113.7"})
            self.tokens_issued += 1
            token = f"WTOKEN-{self.tokens_issued}"
            self.valid = {token}
            return _json({"errcode": 0, "access_token": token, "expires_in": 7200})
        if request.args.get("access_token") not in self.valid:
            return _json({"errcode": 40001, "errmsg": ERRORS[40001]})
        data_calls = sum(1 for p, _ in self.calls if not p.endswith("stable_token"))
        if self.fault and data_calls > self.fault_after:
            if self.fault == "timeout":
                time.sleep(0.8)  # past settings.WECHAT_TIMEOUT (0.5 s) in the tests, not long enough to hold the next call
            elif self.fault == "stale_once":
                self.fault = None
                self.valid = set()  # the token dies: the next token request must force a new one
                return _json({"errcode": 40001, "errmsg": ERRORS[40001]})
            elif self.fault in (40001, 42001):
                return _json({"errcode": self.fault, "errmsg": ERRORS[self.fault]})
            else:
                return _json({"errcode": self.fault, "errmsg": ERRORS[self.fault]})
        if path == "/cgi-bin/qrcode/create":
            scene = body["action_info"]["scene"]["scene_str"]
            assert body["action_name"] == "QR_LIMIT_STR_SCENE"
            return _json({"ticket": f"TICKET-{scene}", "url": f"http://weixin.qq.com/q/{scene}"})
        if path == "/cgi-bin/freepublish/batchget":
            offset, count = int(body["offset"]), int(body["count"])
            assert count <= 20 and body.get("no_content") == 1
            page = self.articles[offset:offset + count]
            items = [{"article_id": a, "update_time": t, "content": {"news_item": [
                {"title": title, "url": f"https://mp.weixin.qq.com/s/{a}-{i}"} for i, title in enumerate(titles)]}}
                for a, t, titles in page]
            return _json({"total_count": len(self.articles), "item_count": len(items), "item": items})
        if path == "/cgi-bin/externalcontact/groupchat/list":
            return _json({"errcode": 0, "group_chat_list": [{"chat_id": c, "status": 0} for c in self.chats], "next_cursor": ""})
        if path == "/cgi-bin/externalcontact/groupchat/get":
            name, owner, joins = self.chats[body["chat_id"]]
            return _json({"errcode": 0, "group_chat": {"chat_id": body["chat_id"], "name": name, "owner": owner,
                                                       "member_list": [{"userid": f"m{i}", "type": 2, "join_time": t} for i, t in enumerate(joins)]}})
        if path == "/cgi-bin/externalcontact/groupchat/statistic_group_by_day":
            owners = body["owner_filter"]["userid_list"]
            begin, end = int(body["day_begin_time"]), int(body["day_end_time"])
            if end - begin > 29 * 86400:
                return _json({"errcode": 40058, "errmsg": "range over 30 days"})
            chats = [c for c in self.chats.values() if c[1] in owners]
            spoke = 0 if set(owners) <= self.silent else 2
            items = [{"stat_time": t, "data": {"new_chat_cnt": 0, "chat_total": len(chats), "chat_has_msg": min(spoke, 1),
                                                "new_member_cnt": 0, "member_total": sum(len(c[2]) for c in chats),
                                                "member_has_msg": spoke, "msg_total": 3 * spoke}}
                     for t in range(begin, end + 1, 86400)]
            return _json({"errcode": 0, "items": items})
        if path == "/datacube/getarticletotal":
            day = date.fromisoformat(body["begin_date"])
            assert body["end_date"] == body["begin_date"]  # one day a call
            sent = [(a, t, titles) for a, t, titles in self.articles
                    if datetime.fromtimestamp(t, tz=SHANGHAI).date() == day]
            rows = [{"ref_date": f"{day}", "msgid": f"{a}_{i}", "title": title,
                     "details": [{"stat_date": f"{day + timedelta(days=k)}", "int_page_read_user": 100 * (k + 1) + i}
                                 for k in range(3)]}
                    for a, _, titles in sent for i, title in enumerate(titles)]
            return _json({"list": rows})
        if path in ("/datacube/getusersummary", "/datacube/getusercumulate"):
            first, last = date.fromisoformat(body["begin_date"]), date.fromisoformat(body["end_date"])
            if (last - first).days >= 7 or last < first:
                return _json({"errcode": 61501, "errmsg": "date range error"})
            rows = []
            for day in _days(first, last):
                new, cancel, cumulate = self.figures(day)
                if path.endswith("summary"):  # one row per source, as the platform gives them
                    rows += [{"ref_date": f"{day}", "user_source": 0, "new_user": new - 3, "cancel_user": cancel},
                             {"ref_date": f"{day}", "user_source": 30, "new_user": 3, "cancel_user": 0}]
                else:
                    rows.append({"ref_date": f"{day}", "cumulate_user": cumulate})
            return _json({"list": rows})
        return _json({"errcode": 404, "errmsg": f"no such api {path}"}, status=404)

    def data_calls(self, name):
        return [b for p, b in self.calls if p.endswith(name)]


def _days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _json(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json")


def install(httpserver):
    fake = FakePlatform()
    httpserver.expect_request(re.compile(r".*")).respond_with_handler(fake.handle)
    return fake
