"""Issue 17: a group in the 回收站 counted its message records in 附件3's 发送微信数 while 微信群数
dropped, and its activity stayed linked. What is in the trash counts nowhere; restoring the
group brings all of it back, and a record deleted on its own before stays in the trash."""
from datetime import timedelta

from django.core.exceptions import ValidationError

import pytest

from qingnong.campaign.scorecard import with_progress
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import Activity, ActivityType, GroupKind, GroupStatus, MessageCategory, MessageRecord, WechatGroup
from qingnong.ledger.services.activities import activity_create, activity_restore
from qingnong.ledger.services.groups import group_create, group_delete, group_restore
from qingnong.ledger.services.messages import message_create, message_delete
from qingnong.lib.dates import today
from qingnong.reports.progress import township_sums
from tests.test_totals import assert_fresh


def figures(world, campaign):
    sums = township_sums(world.county_a, as_of=today(), start=today().replace(day=1))[world.township_a.path]
    sent = sum(v for k, v in sums.items() if k.startswith("msg_"))
    acts = sum(v for k, v in sums.items() if k.startswith("act_"))
    (township,) = with_progress([world.township_a], campaign=campaign, as_of=today())
    return {"groups": sums["group_count"], "sent": sent, "activities": acts,
            "dashboard": (township.youth_groups, township.messages_month, township.activities_month)}


def test_a_deleted_group_takes_its_records_along_and_brings_them_back(world):
    admin, day = world.county_a_admin, today()
    campaign = campaign_create_default(org=world.city, year=day.year)
    before = figures(world, campaign)
    group, _ = group_create(user=admin, org=world.township_a, name="回收站测试群", kind=GroupKind.YOUTH,
                            founded_on=day - timedelta(days=30), status=GroupStatus.ACTIVE)
    message_create(user=admin, group=group, period_start=day, count=4, category=MessageCategory.POLICY)
    earlier = message_create(user=admin, group=group, period_start=day, count=2, category=MessageCategory.NEWS)
    message_delete(user=admin, message=earlier)  # deleted on its own: stays in the trash
    activity = activity_create(user=admin, org=world.township_a, held_on=day, activity_type=ActivityType.CULTURE,
                               title="群里办的活动", group=group)
    live = figures(world, campaign)
    assert (live["groups"], live["sent"], live["activities"]) == (before["groups"] + 1, before["sent"] + 4, before["activities"] + 1)

    group.refresh_from_db()
    assert group_delete(user=admin, group=group) == (1, 1)
    gone = figures(world, campaign)
    assert gone == before, (gone, before)  # counts nowhere: 附件3 and the dashboard
    assert not MessageRecord.objects.filter(group_id=group.pk).exists()
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert_fresh()
    with pytest.raises(ValidationError, match="请先恢复该微信群"):  # not on its own, with the group
        activity_restore(user=admin, activity=Activity.all_objects.get(pk=activity.pk))

    warnings = group_restore(user=admin, group=WechatGroup.all_objects.get(pk=group.pk))
    assert warnings == ["一并恢复了该群的发送记录 1 条、关联活动 1 项。"]
    assert figures(world, campaign) == live
    assert MessageRecord.all_objects.get(pk=earlier.pk).is_deleted
    assert Activity.objects.filter(pk=activity.pk, group_id=group.pk).exists()
    assert_fresh()


def test_the_page_says_what_went_along(client_for, world):
    admin = world.county_a_admin
    group, _ = group_create(user=admin, org=world.township_a, name="页面回收站群", kind=GroupKind.YOUTH,
                            founded_on=today(), status=GroupStatus.ACTIVE)
    message_create(user=admin, group=group, period_start=today(), count=3, category=MessageCategory.POLICY)
    client = client_for(world.county_a_admin)
    response = client.post(f"/ledger/groups/{group.pk}/delete/", follow=True)
    assert "已删除微信群“页面回收站群”及其发送记录 1 条、关联活动 0 项，不再计入任何统计" in response.content.decode()
