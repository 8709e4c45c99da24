"""A long note (a reminder naming many townships) is cut to the column, never refused."""
from qingnong.audit.models import AuditAction, AuditEntry
from qingnong.audit.services import audit_log, audit_log_bulk


def test_a_long_note_is_cut_with_an_ellipsis(world):
    entry = audit_log(obj=world.county_a, action=AuditAction.UPDATE, user=world.city_admin, note="镇" * 800)
    entry.refresh_from_db()
    assert len(entry.note) == 500 and entry.note.endswith("…")
    audit_log_bulk([{"obj": world.county_b, "action": AuditAction.UPDATE, "note": "乡" * 600}], user=world.city_admin)
    assert len(AuditEntry.objects.get(object_id=world.county_b.pk, note__startswith="乡").note) == 500
