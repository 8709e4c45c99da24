"""Issue 15: the database goes away for a few seconds under a running gunicorn (production
settings: DEBUG off). Requests meanwhile get a Chinese 503 page that says nothing was saved
(no traceback), the weekly save posted during the outage wrote nothing, and the same worker
serves again by itself when the database is back, without a restart.

"Goes away" is a TCP relay between gunicorn and PostgreSQL that the test cuts (every open
connection reset, new ones refused) and restores: the app sees exactly what a stopped server
gives it, while the server this suite runs on keeps running. PostgreSQL only: it is the
production database (the SQLite pass deselects this module, conftest.py)."""
import http.cookiejar
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import PASSWORD
from tests.childdb import databases, digest, child

pytestmark = pytest.mark.postgresql


class Relay:
    """127.0.0.1:port → upstream, until cut()."""

    def __init__(self, upstream):
        self.upstream, self.pairs, self.listener = upstream, [], None
        self.port = self._listen(0)

    def _listen(self, port):
        self.listener = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self.listener.getsockname()[1]

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); else the port would keep accepting
        except OSError:
            pass
        self.listener.close()
        for pair in self.pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)  # wakes the pumps blocked in recv(); a bare close() would not
                    s.close()
                except OSError:
                    pass
        self.pairs = []

    def restore(self):
        self._listen(self.port)


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers), timeout=30) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def form(self, path):
        status, html, _ = self.request(path)
        assert status == 200, (path, status, html[:500])
        data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
        data.update({name: "" for name in re.findall(r'<input type="number" name="([^"]+)"(?![^>]*value=)', html)})
        return data


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server(tmp_path):
    """gunicorn on a database of its own, reached through a Relay; yields (browser, relay, db URL)."""
    import dj_database_url
    import os

    postgresql = dj_database_url.parse(os.environ["QINGNONG_PG_URL"]) if "QINGNONG_PG_URL" in os.environ else None
    media = tmp_path / "media"
    with databases(tmp_path, postgresql=postgresql) as (base, copy):
        child(base, media, "setup", str(tmp_path))
        url = urllib.parse.urlsplit(base)
        relay = Relay((url.hostname, url.port or 5432))
        env = dict(os.environ, DATABASE_URL=url._replace(netloc=f"{url.username}:{url.password}@127.0.0.1:{relay.port}").geturl(),
                   MEDIA_ROOT=str(media), QINGNONG_TESTING="1", DEBUG="0", CONN_MAX_AGE="60")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        gunicorn = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "qingnong.wsgi", "-b", f"127.0.0.1:{port}",
                                     "-w", "1", "--timeout", "60"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            browser = Browser(f"http://127.0.0.1:{port}")
            for _ in range(100):
                try:
                    if browser.request("/login/")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            yield browser, relay, base, media
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
            relay.cut()


def test_while_the_database_is_down_pages_say_so_in_chinese_nothing_is_written_and_it_recovers_by_itself(server):
    browser, relay, base, media = server
    login = browser.form("/login/")
    status, _, headers = browser.request("/login/", {**login, "username": "township_a_reporter", "password": PASSWORD})
    assert status == 302, "signed in"
    township = json.loads((media.parent / "input.json").read_text())["township"]
    path = f"/ledger/orgs/{township}/weekly/"
    data = browser.form(path)
    data.update({k: "7" for k in data if k.endswith("-home_farming")})
    before = digest(base, media)

    relay.cut()
    status, html, headers = browser.request(path, data)  # the save, posted while the database is away
    assert status == 503 and "暂时无法连接数据库" in html and "没有保存" in html and headers.get("Retry-After") == "30"
    assert "Traceback" not in html and "OperationalError" not in html
    status, html, _ = browser.request("/campaign/dashboard/")
    assert status == 503 and "暂时无法连接数据库" in html

    relay.restore()
    assert digest(base, media) == before, "the save posted during the outage wrote nothing"
    assert browser.request(path)[0] == 200, "the same worker serves again, not restarted"
    status, _, _ = browser.request(path, data)
    assert status == 302
    after = digest(base, media)
    assert after["ledger_membersnapshot"][0] >= before["ledger_membersnapshot"][0] + 40
