"""Logging in through the real /login/ form (django-axes needs the request, so no client.login)."""
import pytest

from qingnong.accounts.models import User

PASSWORD = "test-password-2014"
WRONG = "用户名/手机号或密码不正确。连续输错多次，账号将被暂时锁定。"


def login(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_login_by_username(client, world):
    response = login(client, "county_a_admin")

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_as(client) == str(world.county_a_admin.pk)
    assert client.get("/").context["user"] == world.county_a_admin


@pytest.mark.parametrize("mobile", ["13900000002", " 13900000002 "])
def test_login_by_mobile_number(client, world, mobile):
    response = login(client, mobile)

    assert response.status_code == 302
    assert logged_in_as(client) == str(world.township_a_reporter.pk)


def test_login_follows_next(client, world):
    response = login(client, "county_a_admin", next="/users/")

    assert response["Location"] == "/users/"


def test_wrong_password_shows_chinese_error(client, world):
    response = login(client, "county_a_admin", "not-the-password")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_as(client) is None


def test_unknown_user_shows_the_same_error(client, world):
    response = login(client, "nobody_here")

    assert WRONG in response.content.decode()
    assert logged_in_as(client) is None


def test_inactive_account_cannot_log_in(client, world):
    User.objects.filter(pk=world.county_a_reporter.pk).update(is_active=False)

    by_name = login(client, "county_a_reporter")

    assert by_name.status_code == 200 and logged_in_as(client) is None
    assert "不正确" in by_name.content.decode() or "已停用" in by_name.content.decode()


def test_inactive_account_cannot_log_in_by_mobile(client, world):
    User.objects.filter(pk=world.township_a_reporter.pk).update(is_active=False)

    login(client, "13900000002")

    assert logged_in_as(client) is None


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "county_a_admin", "wrong-guess")

    response = login(client, "county_a_admin")

    assert logged_in_as(client) is None
    assert "登录已暂时锁定" in response.content.decode()


def test_lock_is_per_username_not_per_office(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "county_a_admin", "wrong-guess")

    response = login(client, "county_a_reporter")  # same address, another account

    assert response.status_code == 302
    assert logged_in_as(client) == str(world.county_a_reporter.pk)


def test_anonymous_pages_redirect_to_login(client, world):
    response = client.get("/users/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_failures_by_mobile_also_lock_the_username_login(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "13900000002", "wrong-guess")

    login(client, "township_a_reporter")

    assert logged_in_as(client) is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/path", "http:/\\evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, world, target):
    """Issue 15: ?next= goes to our own paths only (Django's url_has_allowed_host_and_scheme)."""
    response = login(client, "county_a_admin", next=target)
    assert response.status_code == 302 and logged_in_as(client) == str(world.county_a_admin.pk)
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]
