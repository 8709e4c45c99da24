"""Admins create accounts only inside their own subtree (/orgs/<id>/users/new/)."""
from django.test import Client

from qingnong.accounts.models import Role, User


def create_url(org):
    return f"/orgs/{org.pk}/users/new/"


def new_user(**overrides):
    return {"username": "xinyao_tw", "full_name": "新窑村团支部书记", "mobile": "13700000009", "role": Role.REPORTER, **overrides}


def can_log_in(username, password):
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_county_admin_creates_user_in_a_township_of_the_county(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user())

    assert response.status_code == 200
    user = User.objects.get(username="xinyao_tw")
    assert (user.org, user.role, user.full_name, user.mobile, user.is_active) == (
        world.township_a, Role.REPORTER, "新窑村团支部书记", "13700000009", True)
    password = response.context["password"]
    assert password in response.content.decode() and "此密码只显示这一次" in response.content.decode()
    assert user.check_password(password) and password not in user.password


def test_created_user_logs_in_with_the_temporary_password(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user())
    password = response.context["password"]

    assert can_log_in("xinyao_tw", password)
    assert can_log_in("13700000009", password)


def test_temporary_password_is_not_shown_again(client_for, world):
    client = client_for(world.county_a_admin)
    password = client.post(create_url(world.township_a), new_user()).context["password"]
    user = User.objects.get(username="xinyao_tw")

    for url in (f"/users/{user.pk}/", "/users/", f"/orgs/{world.township_a.pk}/", f"/history/user/{user.pk}/"):
        assert password not in client.get(url).content.decode(), url


def test_temporary_passwords_differ(client_for, world):
    client = client_for(world.county_a_admin)
    first = client.post(create_url(world.township_a), new_user()).context["password"]
    second = client.post(create_url(world.township_a), new_user(username="second_tw", mobile="")).context["password"]

    assert first != second and len(first) >= 8


def test_county_admin_cannot_create_user_in_other_county(client_for, world):
    client = client_for(world.county_a_admin)

    get = client.get(create_url(world.county_b))
    post = client.post(create_url(world.county_b), new_user())
    into_township = client.post(create_url(world.township_b), new_user(username="other_tw", mobile=""))

    assert (get.status_code, post.status_code, into_township.status_code) == (404, 404, 404)
    assert not User.objects.filter(username__in=["xinyao_tw", "other_tw"]).exists()


def test_county_admin_cannot_create_user_at_the_city(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.city), new_user(role=Role.ADMIN))

    assert response.status_code == 404
    assert not User.objects.filter(username="xinyao_tw").exists()


def test_city_admin_creates_user_in_any_county(client_for, world):
    response = client_for(world.city_admin).post(create_url(world.county_b), new_user())

    assert response.status_code == 200
    assert User.objects.get(username="xinyao_tw").org == world.county_b


def test_reporter_and_viewer_cannot_create_users(client_for, world):
    for persona in (world.county_a_reporter, world.county_a_viewer):
        response = client_for(persona).post(create_url(world.township_a), new_user())
        assert response.status_code == 403

    assert not User.objects.filter(username="xinyao_tw").exists()


def test_duplicate_username_refused_in_chinese(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user(username="county_b_viewer"))

    assert response.context["form"].errors["username"] == ["该用户名已存在。"]
    assert User.objects.filter(username="county_b_viewer").count() == 1


def test_duplicate_mobile_refused_in_chinese(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user(mobile="13900000002"))

    assert response.context["form"].errors["mobile"] == ["该手机号已被其他账号使用。"]
    assert not User.objects.filter(username="xinyao_tw").exists()


def test_username_that_is_another_users_mobile_is_refused(client_for, world):
    """Login accepts a username or a mobile number, so the two must not collide."""
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user(username="13900000002", mobile=""))

    assert response.context["form"].errors["username"] == ["该用户名是其他账号的手机号，不能使用。"]
    assert not User.objects.filter(username="13900000002").exists()


def test_mobile_that_is_another_users_username_is_refused(client_for, world):
    client = client_for(world.county_a_admin)
    client.post(create_url(world.township_a), new_user(username="13700000001", mobile=""))

    response = client.post(create_url(world.township_a), new_user(username="second_tw", mobile="13700000001"))

    assert response.context["form"].errors["mobile"] == ["该手机号已被其他账号使用。"]
    assert not User.objects.filter(username="second_tw").exists()


def test_bad_mobile_refused_in_chinese(client_for, world):
    response = client_for(world.county_a_admin).post(create_url(world.township_a), new_user(mobile="2390000000"))

    assert response.context["form"].errors["mobile"] == ["手机号应为 11 位数字，以 1 开头。"]
