"""Issue 15: a session left idle is signed out (configurable); changing the password signs out
every other session; the session cookie is HttpOnly and SameSite."""
import time

from qingnong.accounts.middleware import SEEN
from qingnong.accounts.tests.test_login import PASSWORD, logged_in_as, login


def test_an_idle_session_is_signed_out_and_told_why(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    login(client, "county_a_admin")
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/", follow=True)
    assert logged_in_as(client) is None
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "超过 30 分钟没有操作，已自动退出，请重新登录。" in response.content.decode()


def test_a_session_in_use_stays(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    login(client, "county_a_admin")
    session = client.session
    session[SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200 and logged_in_as(client) == str(world.county_a_admin.pk)
    assert client.session[SEEN] >= int(time.time()) - 5  # touched again: the clock restarts


def test_changing_the_password_signs_out_the_other_sessions(client, world):
    from django.test import Client

    other = Client()
    login(other, "county_a_admin")
    login(client, "county_a_admin")
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Qn-new-pass-2026!",
                                          "new_password2": "Qn-new-pass-2026!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this one stays signed in
    assert other.get("/").status_code == 302 and logged_in_as(other) is None  # the phone left elsewhere is out


def test_the_session_cookie_is_httponly_and_samesite(client, world):
    response = login(client, "county_a_admin")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_weak_passwords_are_refused_in_chinese(client, world):
    """Django's validators (length, common, all digits, like the username) answer in the UI's language."""
    login(client, "county_a_admin")
    for weak in ("12345678", "password", "qn1"):
        body = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": weak,
                                                  "new_password2": weak}).content.decode()
        assert ("太常见" in body or "只包含数字" in body or "密码太短，至少需要 8 个字符。" in body), weak
        assert "This password" not in body  # Django 5.2's length message had no Chinese
    assert logged_in_as(client) == str(world.county_a_admin.pk)  # the old password still stands
