"""Issue 17, every change leaves a trace in words the user chose: a member record of an
existing group is logged as an update (新增成员记录), not as 新建 微信群; 建群依据 shows the
labels the user picked (业缘), not the stored ",trade,"."""
from conftest import A_GROUP
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import GroupKind, WechatGroup
from qingnong.ledger.services.groups import group_create, group_update, snapshot_record
from qingnong.lib.dates import today


def test_a_member_record_is_an_update_of_the_group(world):
    group = WechatGroup.objects.get(name=A_GROUP)
    snapshot_record(user=world.county_a_reporter, group=group, taken_on=today(), counts={"home_farming": 5})
    entry = AuditEntry.objects.filter(content_type__model="wechatgroup", object_id=group.pk, note__contains="成员记录").latest("at")
    assert entry.action == "update" and entry.note.startswith("新增成员记录")
    snapshot_record(user=world.county_a_reporter, group=group, taken_on=today(), counts={"home_farming": 6})
    assert AuditEntry.objects.filter(content_type__model="wechatgroup", object_id=group.pk, note__startswith="修改成员记录").exists()


def test_bases_are_shown_as_the_labels_chosen(world):
    group, _ = group_create(user=world.county_a_admin, org=world.township_a, name="业缘测试群", kind=GroupKind.YOUTH,
                            bases=",trade,")
    created = AuditEntry.objects.filter(content_type__model="wechatgroup", object_id=group.pk, action="create").latest("at")
    assert created.changes["建群依据"] == ["", "业缘"]
    group_update(user=world.county_a_admin, group=group, expected_version=group.version, bases=",trade,hobby,")
    updated = AuditEntry.objects.filter(content_type__model="wechatgroup", object_id=group.pk, action="update").latest("at")
    assert updated.changes["建群依据"] == ["业缘", "业缘、趣缘"]
