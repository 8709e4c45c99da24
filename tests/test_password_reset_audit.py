"""A password reset is logged: who reset whose password, from where — never the password."""
from django.contrib.contenttypes.models import ContentType

from qingnong.accounts.models import User
from qingnong.audit.models import AuditAction, AuditEntry


def reset(client, user, ip="10.61.8.30"):
    return client.post(f"/users/{user.pk}/reset-password/", REMOTE_ADDR=ip).context["password"]


def test_password_reset_is_logged(client_for, world):
    reset(client_for(world.county_a_admin), world.township_a_reporter)

    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_RESET)
    assert entry.content_type == ContentType.objects.get_for_model(User)
    assert (entry.object_id, entry.user, entry.ip) == (world.township_a_reporter.pk, world.county_a_admin, "10.61.8.30")
    assert entry.org_path == world.township_a.path
    assert "重置" in entry.note


def test_no_entry_holds_the_password_or_its_hash(client_for, world):
    password = reset(client_for(world.county_a_admin), world.township_a_reporter)
    hashed = User.objects.get(pk=world.township_a_reporter.pk).password

    for entry in AuditEntry.objects.all():
        text = f"{entry.changes} {entry.note} {entry.object_repr}"
        assert password not in text and hashed not in text
    assert "password" not in {f.name for f in User.history.model._meta.fields}  # nor the history table


def test_reset_writes_exactly_one_entry(client_for, world):
    before = AuditEntry.objects.count()

    reset(client_for(world.county_a_admin), world.township_a_reporter)

    assert AuditEntry.objects.count() == before + 1


def test_reset_shows_in_the_users_history_without_the_password(client_for, world):
    client = client_for(world.county_a_admin)
    password = reset(client, world.township_a_reporter)

    body = client.get(f"/history/user/{world.township_a_reporter.pk}/").content.decode()

    assert "重置密码" in body and password not in body


def test_refused_reset_is_not_logged(client_for, world):
    client_for(world.county_a_admin).post(f"/users/{world.county_b_reporter.pk}/reset-password/")

    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET).exists()
