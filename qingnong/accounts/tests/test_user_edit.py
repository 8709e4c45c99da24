"""Editing an account (/users/<id>/): disable, enable, role — never one's own role or status."""
from django.test import Client

from qingnong.accounts.models import Role, User

PASSWORD = "test-password-2014"
OWN = "不能修改自己的角色或停用自己的账号，请联系上级管理员。"


def edit_url(user):
    return f"/users/{user.pk}/"


def form_data(user, **overrides):
    user = User.objects.get(pk=user.pk)
    data = {"full_name": user.full_name, "mobile": user.mobile or "", "role": user.role,
            "is_active": "on" if user.is_active else "", "version": user.version}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def can_log_in(username, password=PASSWORD):
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_admin_disables_a_user_who_then_cannot_log_in(client_for, world):
    response = client_for(world.county_a_admin).post(edit_url(world.township_a_reporter), form_data(world.township_a_reporter, is_active=""))

    assert response.status_code == 302 and response["Location"] == "/users/"
    assert not User.objects.get(pk=world.township_a_reporter.pk).is_active
    assert not can_log_in("township_a_reporter")


def test_disabling_ends_the_users_open_session(client_for, world):
    user_client = Client()
    user_client.force_login(world.township_a_reporter)
    assert user_client.get("/").status_code == 200

    client_for(world.county_a_admin).post(edit_url(world.township_a_reporter), form_data(world.township_a_reporter, is_active=""))

    response = user_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_admin_enables_a_disabled_user_again(client_for, world):
    client = client_for(world.county_a_admin)
    client.post(edit_url(world.township_a_reporter), form_data(world.township_a_reporter, is_active=""))

    client.post(edit_url(world.township_a_reporter), form_data(world.township_a_reporter, is_active="on"))

    assert User.objects.get(pk=world.township_a_reporter.pk).is_active
    assert can_log_in("township_a_reporter")


def test_admin_changes_a_users_role(client_for, world):
    client_for(world.county_a_admin).post(edit_url(world.county_a_viewer), form_data(world.county_a_viewer, role=Role.REPORTER))

    assert User.objects.get(pk=world.county_a_viewer.pk).role == Role.REPORTER


def test_admin_cannot_change_own_role(client_for, world):
    response = client_for(world.county_a_admin).post(edit_url(world.county_a_admin), form_data(world.county_a_admin, role=Role.VIEWER))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OWN]
    assert OWN in response.content.decode()
    assert User.objects.get(pk=world.county_a_admin.pk).role == Role.ADMIN


def test_admin_cannot_disable_themselves(client_for, world):
    response = client_for(world.county_a_admin).post(edit_url(world.county_a_admin), form_data(world.county_a_admin, is_active=""))

    assert response.context["form"].non_field_errors() == [OWN]
    assert User.objects.get(pk=world.county_a_admin.pk).is_active


def test_admin_may_change_own_name(client_for, world):
    client_for(world.county_a_admin).post(edit_url(world.county_a_admin), form_data(world.county_a_admin, full_name="王书记"))

    assert User.objects.get(pk=world.county_a_admin.pk).full_name == "王书记"


def test_stale_user_edit_is_refused(client_for, world):
    client = client_for(world.county_a_admin)
    stale = form_data(world.township_a_reporter, full_name="旧页面的姓名")
    client.post(edit_url(world.township_a_reporter), form_data(world.township_a_reporter, full_name="新姓名"))

    response = client.post(edit_url(world.township_a_reporter), stale)

    assert "该记录已被他人修改" in response.content.decode()
    assert User.objects.get(pk=world.township_a_reporter.pk).full_name == "新姓名"


def test_county_admin_cannot_edit_user_in_other_county(client_for, world):
    client = client_for(world.county_a_admin)

    assert client.get(edit_url(world.county_b_reporter)).status_code == 404
    response = client.post(edit_url(world.county_b_reporter), form_data(world.county_b_reporter, is_active=""))

    assert response.status_code == 404
    assert User.objects.get(pk=world.county_b_reporter.pk).is_active


def test_county_admin_cannot_edit_the_city_admin(client_for, world):
    response = client_for(world.county_a_admin).post(edit_url(world.city_admin), form_data(world.city_admin, is_active=""))

    assert response.status_code == 404
    assert User.objects.get(pk=world.city_admin.pk).is_active


def test_reporter_cannot_edit_users(client_for, world):
    response = client_for(world.county_a_reporter).post(edit_url(world.county_a_viewer), form_data(world.county_a_viewer, is_active=""))

    assert response.status_code == 403
    assert User.objects.get(pk=world.county_a_viewer.pk).is_active
