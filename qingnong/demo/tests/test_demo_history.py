"""Issue 17: the first edit of a demo cadre's mobile (已保存) was in neither 修改历史 nor 操作记录:
rows bulk-loaded had no creation in their history, so the first change had no 修改前. The
demo writes the creation up front; any other bulk-loaded row (synth's COPY, a plain
bulk_create) gets it recorded just before its first edit."""
from django.contrib.contenttypes.models import ContentType

from qingnong.audit.models import AuditEntry
from qingnong.demo.yulin import demo_load
from qingnong.ledger.models import Cadre, MessageRecord, OfficialAccount
from qingnong.ledger.services.cadres import cadre_update
from qingnong.org.models import Org


def entries_of(record):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)


def test_a_demo_cadres_first_edit_has_its_before_and_after(world, client_for):
    MessageRecord.all_objects.filter(account__isnull=False).delete()  # the shared world's account; the demo has its own
    OfficialAccount.all_objects.all().delete()
    demo_load()
    cadre = Cadre.objects.filter(org__path__startswith=Org.objects.get(code="610800").path, mobile__gt="").first()
    assert cadre.history.filter(history_type="+").count() == 1  # its creation, from the demo load
    old = cadre.mobile
    cadre_update(user=world.city_admin, cadre=cadre, expected_version=cadre.version, name=cadre.name, mobile="13912345678")
    (entry,) = entries_of(cadre)
    assert entry.changes["手机号"] == [old, "13912345678"]
    page = client_for(world.city_admin).get(f"/history/cadre/{cadre.pk}/").content.decode()
    assert old in page and "13912345678" in page


def test_a_row_bulk_loaded_without_history_gets_its_creation_before_its_first_edit(world):
    (cadre,) = Cadre.objects.bulk_create([Cadre(org=world.township_a, name="批量干部", mobile="13800000000")])
    assert not cadre.history.exists()  # what synth's COPY or any plain bulk write leaves
    cadre_update(user=world.county_a_admin, cadre=cadre, expected_version=cadre.version, name="批量干部", mobile="13800000009")
    assert list(cadre.history.order_by("history_date").values_list("history_type", "mobile")) == [
        ("+", "13800000000"), ("~", "13800000009")]
    (entry,) = entries_of(cadre)
    assert entry.changes == {"手机号": ["13800000000", "13800000009"]}
