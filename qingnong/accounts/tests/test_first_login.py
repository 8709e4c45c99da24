"""Issue 18: an account made by an administrator, or whose password an administrator reset,
is sent to 修改密码 from every page until its holder sets their own; then it works as usual."""
from django.test import Client

from conftest import PASSWORD
from qingnong.accounts.models import Role, User
from qingnong.accounts.services import user_create, user_reset_password


def sign_in(username, password):
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def test_a_new_account_must_set_its_own_password_first(world):
    member, temporary = user_create(user=world.county_a_admin, org=world.township_a, username="new_reporter",
                                    full_name="新填报员", role=Role.REPORTER)
    client = sign_in("new_reporter", temporary)
    for path in ("/", "/campaign/dashboard/", f"/ledger/orgs/{world.township_a.pk}/weekly/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/account/password/", path
    page = client.get("/account/password/", follow=True).content.decode()
    assert "临时密码" in page
    response = client.post("/account/password/", {"old_password": temporary, "new_password1": "xin-mima-2026!",
                                                   "new_password2": "xin-mima-2026!"})
    assert response.status_code == 302
    assert not User.objects.get(pk=member.pk).must_change_password
    assert client.get("/").status_code == 200  # the same session goes on
    assert client.post("/logout/").status_code == 302


def test_a_reset_asks_again_and_sign_out_stays_reachable(world):
    client = sign_in("township_a_reporter", PASSWORD)
    assert client.get("/").status_code == 200  # an account with its own password is not asked
    temporary = user_reset_password(user=world.county_a_admin, member=world.township_a_reporter)
    client = sign_in("township_a_reporter", temporary)
    assert client.get("/").status_code == 302
    assert client.get("/static/css/app.css").status_code in (200, 304)
    assert client.post("/logout/").status_code == 302
