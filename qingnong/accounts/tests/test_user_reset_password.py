"""Resetting a password (/users/<id>/reset-password/): shown once, old one dead, lock lifted."""
from django.test import Client

from qingnong.accounts.models import User

PASSWORD = "test-password-2014"


def reset_url(user):
    return f"/users/{user.pk}/reset-password/"


def login(username, password):
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session, response


def lock_out(username, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": username, "password": "wrong-guess"})


def test_reset_shows_a_new_password_once_and_the_old_one_stops_working(client_for, world):
    response = client_for(world.county_a_admin).post(reset_url(world.township_a_reporter))

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode() and "密码已重置" in response.content.decode()
    assert login("township_a_reporter", password)[0]
    assert not login("township_a_reporter", PASSWORD)[0]


def test_reset_password_is_not_shown_on_later_pages(client_for, world):
    client = client_for(world.county_a_admin)
    password = client.post(reset_url(world.township_a_reporter)).context["password"]

    assert password not in client.get(f"/users/{world.township_a_reporter.pk}/").content.decode()
    assert password not in User.objects.get(pk=world.township_a_reporter.pk).password


def test_reset_lifts_the_login_lock(client_for, world, settings):
    lock_out("township_a_reporter", settings)
    assert "登录已暂时锁定" in login("township_a_reporter", PASSWORD)[1].content.decode()

    password = client_for(world.county_a_admin).post(reset_url(world.township_a_reporter)).context["password"]

    assert login("township_a_reporter", password)[0]


def test_reset_lifts_a_lock_made_with_the_mobile_number(client_for, world, settings):
    lock_out("13900000002", settings)
    assert not login("13900000002", PASSWORD)[0]

    password = client_for(world.county_a_admin).post(reset_url(world.township_a_reporter)).context["password"]

    assert login("13900000002", password)[0]


def test_reset_needs_post(client_for, world):
    client = client_for(world.county_a_admin)

    assert client.get(reset_url(world.township_a_reporter)).status_code == 405
    assert login("township_a_reporter", PASSWORD)[0]


def test_county_admin_cannot_reset_password_in_other_county(client_for, world):
    response = client_for(world.county_a_admin).post(reset_url(world.county_b_reporter))

    assert response.status_code == 404
    assert login("county_b_reporter", PASSWORD)[0]


def test_reporter_cannot_reset_passwords(client_for, world):
    response = client_for(world.county_a_reporter).post(reset_url(world.county_a_viewer))

    assert response.status_code == 403
    assert login("county_a_viewer", PASSWORD)[0]
