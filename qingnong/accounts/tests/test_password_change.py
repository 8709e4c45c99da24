"""Changing one's own password (/account/password/)."""
import pytest
from django.test import Client

PASSWORD = "test-password-2014"
NEW = "Yuhe-tuanwei-2026"


def can_log_in(username, password):
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("persona", ["county_a_viewer", "township_a_reporter", "county_a_admin"])
def test_user_changes_own_password(client_for, world, persona):
    client = client_for(getattr(world, persona))

    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "密码已修改。" in [str(m) for m in response.context["messages"]]
    assert client.get("/").status_code == 200  # still logged in
    assert can_log_in(persona, NEW)
    assert not can_log_in(persona, PASSWORD)


def test_wrong_old_password_is_refused(client_for, world):
    client = client_for(world.county_a_viewer)

    response = client.post("/account/password/", {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert "旧密码" in response.content.decode()
    assert can_log_in("county_a_viewer", PASSWORD)


def test_weak_new_password_is_refused_in_chinese(client_for, world):
    client = client_for(world.county_a_viewer)

    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})

    assert "new_password2" in response.context["form"].errors
    assert "密码" in " ".join(response.context["form"].errors["new_password2"])
    assert can_log_in("county_a_viewer", PASSWORD)
