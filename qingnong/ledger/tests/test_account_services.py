"""Official account services: one per county, the 青农XX warning, admins, subscriber snapshots."""
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import AccountAdmin, AccountStatus, AdminRole, Cadre, OfficialAccount, SubscriberSnapshot
from qingnong.ledger.services.accounts import (
    account_create, account_update, admin_add, admin_remove, subscriber_record, suggested_name,
)
from qingnong.ledger.services.cadres import cadre_create
from qingnong.lib.dates import today

STALE = "该记录已被他人修改（您看到的是旧版本），请刷新页面后重新填写。"


@pytest.fixture
def account_a(world):
    return OfficialAccount.objects.get(org=world.county_a)


def test_county_b_sets_up_its_account_named_qingnong_xx(world):
    oa, warnings = account_create(user=world.county_b_admin, org=world.county_b, name="青农横山",
                                  account_type="service", wechat_id="qingnong_hs", status=AccountStatus.OPENED,
                                  opened_on=today() - timedelta(days=30))

    assert (oa.org, oa.get_account_type_display(), warnings) == (world.county_b, "服务号", [])
    assert suggested_name(world.county_b) == "青农横山"


def test_a_name_other_than_qingnong_xx_warns_but_saves(world):
    oa, warnings = account_create(user=world.county_b_admin, org=world.county_b, name="横山共青团")

    assert OfficialAccount.objects.filter(pk=oa.pk).exists()
    assert warnings == ["按方案要求，县级青农微信群和公众号名称应统一为“青农XX”，如“青农横山”。"]


def test_the_city_may_have_its_own_without_the_county_naming_rule(world):
    _, warnings = account_create(user=world.city_admin, org=world.city, name="榆林青年")
    assert warnings == []


def test_a_second_account_for_a_county_is_a_chinese_error(world):
    with pytest.raises(ValidationError) as error:
        account_create(user=world.county_a_admin, org=world.county_a, name="青农榆阳二号")

    assert error.value.messages == ["榆阳区团委已有公众号“青农甲县测试公众号”，每个团县委只设一个公众号。"]


def test_the_database_also_refuses_two_live_accounts_per_org(world, account_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialAccount.objects.create(org=world.county_a, name="绕过服务")


def test_a_deleted_account_frees_the_slot(world, account_a):
    OfficialAccount.objects.filter(pk=account_a.pk).update(deleted_at=account_a.created_at)
    oa, _ = account_create(user=world.county_a_admin, org=world.county_a, name="青农榆阳")
    assert oa.pk != account_a.pk


def test_townships_do_not_get_accounts(world):
    with pytest.raises(ValidationError) as error:
        account_create(user=world.county_a_admin, org=world.township_a, name="青农鱼河")
    assert "团县委或团市委" in error.value.messages[0]


def test_opened_date_in_the_future_and_opened_without_date_are_refused(world):
    with pytest.raises(ValidationError) as error:
        account_create(user=world.county_b_admin, org=world.county_b, name="青农横山",
                       opened_on=today() + timedelta(days=1))
    assert error.value.message_dict == {"opened_on": ["开通日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as error:
        account_create(user=world.county_b_admin, org=world.county_b, name="青农横山", status=AccountStatus.OPENED)
    assert error.value.message_dict == {"opened_on": ["已开通的公众号请填写开通日期。"]}


def test_scope_and_role(world, account_a):
    with pytest.raises(Http404):
        account_update(user=world.county_b_admin, official_account=account_a, expected_version=1, name="越界")
    with pytest.raises(PermissionDenied):
        account_update(user=world.county_a_viewer, official_account=account_a, expected_version=1, name="查看员")


def test_stale_update_is_refused(world, account_a):
    account_update(user=world.county_a_admin, official_account=account_a, expected_version=account_a.version,
                   name="青农榆阳")
    with pytest.raises(ValidationError) as error:
        account_update(user=world.county_a_reporter, official_account=account_a,
                       expected_version=account_a.version, name="青农榆阳区")
    assert error.value.messages == [STALE]
    assert OfficialAccount.objects.get(pk=account_a.pk).name == "青农榆阳"


def test_add_and_remove_an_admin(world, account_a):
    cadre = cadre_create(user=world.county_a_admin, org=world.county_a, name="县团委干事", mobile="13911112222")

    admin = admin_add(user=world.county_a_reporter, official_account=account_a, cadre=cadre, role=AdminRole.PART_TIME)
    assert set(AccountAdmin.objects.filter(account=account_a).values_list("cadre__name", "role")) == {
        ("甲县测试团干部", "full_time"), ("县团委干事", "part_time")}
    with pytest.raises(ValidationError) as error:
        admin_add(user=world.county_a_admin, official_account=account_a, cadre=cadre, role=AdminRole.FULL_TIME)
    assert error.value.message_dict == {"cadre": ["县团委干事已是该公众号的管理员。"]}

    admin_remove(user=world.county_a_admin, admin=admin)
    assert AccountAdmin.all_objects.get(pk=admin.pk).is_deleted
    # Removed admins can be added again later.
    admin_add(user=world.county_a_admin, official_account=account_a, cadre=cadre, role=AdminRole.FULL_TIME)


def test_admins_come_from_the_accounts_own_subtree(world, account_a):
    outsider = cadre_create(user=world.city_admin, org=world.township_b, name="乙县干部")

    with pytest.raises(ValidationError) as error:
        admin_add(user=world.city_admin, official_account=account_a, cadre=outsider, role=AdminRole.PART_TIME)
    assert "cadre" in error.value.message_dict


def snapshots(oa):
    return list(SubscriberSnapshot.objects.filter(account=oa).order_by("taken_on").values_list("taken_on", "subscribers"))


def test_subscriber_snapshots_one_per_day_and_the_latest_is_current(world, account_a):
    day1, day2 = today() - timedelta(days=14), today() - timedelta(days=7)
    subscriber_record(user=world.county_a_reporter, official_account=account_a, taken_on=day2, subscribers=800)
    subscriber_record(user=world.county_a_reporter, official_account=account_a, taken_on=day1, subscribers=500)
    oa = OfficialAccount.objects.get(pk=account_a.pk)
    assert (oa.subscribers, oa.subscribers_as_of) == (800, day2)  # an older day does not replace the current figure

    subscriber_record(user=world.county_a_admin, official_account=account_a, taken_on=day2, subscribers=820)

    assert snapshots(account_a) == [(day1, 500), (day2, 820)]
    oa = OfficialAccount.objects.get(pk=account_a.pk)
    assert (oa.subscribers, oa.subscribers_as_of) == (820, day2)
    snapshot = SubscriberSnapshot.objects.get(account=account_a, taken_on=day2)
    assert snapshot.entered_by == world.county_a_admin
    log = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(OfficialAccount),
                                    object_id=account_a.pk).order_by("at", "id").last()
    assert log.changes == {"关注人数": ["800", "820"]} and log.user == world.county_a_admin


def test_subscriber_snapshot_cannot_be_in_the_future_or_out_of_scope(world, account_a):
    with pytest.raises(ValidationError):
        subscriber_record(user=world.county_a_admin, official_account=account_a,
                          taken_on=today() + timedelta(days=1), subscribers=1)
    with pytest.raises(Http404):
        subscriber_record(user=world.county_b_admin, official_account=account_a, taken_on=today(), subscribers=1)
    assert snapshots(account_a) == []


def test_snapshot_failure_rolls_back_the_current_figure(world, account_a, monkeypatch):
    from qingnong.ledger.services import accounts as services

    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_log", boom)
    with pytest.raises(RuntimeError):
        subscriber_record(user=world.county_a_admin, official_account=account_a, taken_on=today(), subscribers=99)

    assert snapshots(account_a) == [] and OfficialAccount.objects.get(pk=account_a.pk).subscribers == 0


def test_account_admin_is_a_cadre_with_contacts(world, account_a):
    admin = AccountAdmin.objects.select_related("cadre").get(account=account_a)
    assert isinstance(admin.cadre, Cadre) and admin.owner_org == world.county_a
