"""Official account pages: list, create/edit, detail with admins and subscriber chart."""
from datetime import date, timedelta

import pytest
from django.test import Client

from qingnong.ledger.models import AccountAdmin, AdminRole, OfficialAccount, SubscriberSnapshot
from qingnong.ledger.services.accounts import account_create, admin_add, subscriber_record
from qingnong.ledger.services.cadres import cadre_create
from qingnong.lib.dates import today


@pytest.fixture
def account_a(world):
    return OfficialAccount.objects.get(org=world.county_a)


def account_data(oa=None, **changes):
    data = {"name": "青农横山", "account_type": "subscription", "wechat_id": "", "status": "planned", "opened_on": ""}
    if oa:
        data = {"name": oa.name, "account_type": oa.account_type, "wechat_id": oa.wechat_id, "status": oa.status,
                "opened_on": oa.opened_on or "", "version": oa.version}
    return {**data, **changes}


def test_city_list_shows_accounts_and_counties_without_one(client_for, world, account_a):
    account_create(user=world.county_b_admin, org=world.county_b, name="青农横山")
    subscriber_record(user=world.county_a_admin, official_account=account_a, taken_on=today(), subscribers=1234)

    body = client_for(world.city_admin).get(f"/ledger/orgs/{world.city.pk}/accounts/").content.decode()

    assert "青农甲县测试公众号" in body and "青农横山" in body
    assert "1234" in body and "订阅号" in body and "计划开通" in body and "管理员 1 名" in body
    assert "尚未建立公众号的团县委" not in body  # both counties loaded in the test world have one now


def test_county_list_shows_only_its_own_and_offers_no_second_create(client_for, world, account_a):
    account_create(user=world.county_b_admin, org=world.county_b, name="青农横山")

    body = client_for(world.county_a_admin).get(f"/ledger/orgs/{world.county_a.pk}/accounts/").content.decode()

    assert "青农甲县测试公众号" in body and "青农横山" not in body
    assert f"/ledger/orgs/{world.county_a.pk}/accounts/new/" not in body


def test_county_without_account_is_offered_create(client_for, world):
    body = client_for(world.county_b_admin).get(f"/ledger/orgs/{world.county_b.pk}/accounts/").content.decode()
    assert "尚未建立公众号的团县委" in body and f"/ledger/orgs/{world.county_b.pk}/accounts/new/" in body


def test_create_suggests_the_name_and_warns_on_another(client_for, world):
    client = client_for(world.county_b_reporter)
    url = f"/ledger/orgs/{world.county_b.pk}/accounts/new/"
    assert client.get(url).context["form"].initial["name"] == "青农横山"

    response = client.post(url, account_data(name="横山团县委"), follow=True)

    oa = OfficialAccount.objects.get(org=world.county_b)
    assert response.redirect_chain[-1][0] == f"/ledger/accounts/{oa.pk}/"
    assert "应统一为“青农XX”，如“青农横山”" in response.content.decode()


def test_duplicate_account_is_a_form_error(client_for, world, account_a):
    response = client_for(world.county_a_admin).post(f"/ledger/orgs/{world.county_a.pk}/accounts/new/",
                                                     account_data(name="青农榆阳"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["榆阳区团委已有公众号“青农甲县测试公众号”，每个团县委只设一个公众号。"]
    assert OfficialAccount.objects.filter(org=world.county_a).count() == 1


def test_create_under_a_township_redirects_with_a_message(client_for, world):
    response = client_for(world.county_a_admin).get(f"/ledger/orgs/{world.township_a.pk}/accounts/new/", follow=True)
    assert "不能新建公众号" in response.content.decode()


def test_create_refuses_future_opened_date_next_to_the_field(client_for, world):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = client_for(world.county_b_admin).post(f"/ledger/orgs/{world.county_b.pk}/accounts/new/",
                                                     account_data(status="opened", opened_on=tomorrow, wechat_id="9abc"))

    errors = response.context["form"].errors
    assert errors["opened_on"] == ["开通日期不能晚于今天。"]
    assert errors["wechat_id"] == ["微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。"]
    assert not OfficialAccount.objects.filter(org=world.county_b).exists()


def test_conflicting_edit_shows_both_versions(client_for, world, account_a):
    from django.test import Client

    first, second = client_for(world.county_a_reporter), Client()
    second.force_login(world.county_a_admin)
    url = f"/ledger/accounts/{account_a.pk}/edit/"
    assert first.post(url, account_data(account_a, name="青农榆阳", status="opened", opened_on="2014-08-01")).status_code == 302

    response = second.post(url, account_data(account_a, name="青农榆阳区", account_type="service"))

    assert response.status_code == 200 and "其他人已修改了这个公众号" in response.content.decode()
    conflict = {label: (mine, theirs) for label, mine, theirs in response.context["conflict"]}
    # Choices in Chinese on both sides; fields nobody changed are not listed.
    assert conflict == {"公众号名称": ("青农榆阳区", "青农榆阳"), "类型": ("服务号", "订阅号"),
                        "状态": ("计划开通", "已开通"), "开通日期": ("", date(2014, 8, 1))}
    assert OfficialAccount.objects.get(pk=account_a.pk).name == "青农榆阳"


def test_detail_shows_admin_roster_masked_for_viewers_and_the_chart(client_for, world, account_a):
    cadre = cadre_create(user=world.county_a_admin, org=world.county_a, name="县团委干事", mobile="13911112222",
                         wechat_id="ganshi_2014", qq="55566677")
    admin_add(user=world.county_a_admin, official_account=account_a, cadre=cadre, role=AdminRole.PART_TIME)
    for days, n in [(30, 100), (14, 180), (0, 260)]:
        subscriber_record(user=world.county_a_admin, official_account=account_a,
                          taken_on=today() - timedelta(days=days), subscribers=n)

    viewer = client_for(world.county_a_viewer).get(f"/ledger/accounts/{account_a.pk}/").content.decode()
    assert "县团委干事" in viewer and "兼职" in viewer and "专职" in viewer
    assert "139****2222" in viewer and "13911112222" not in viewer
    assert "gan****2014" in viewer and "555****6677" in viewer and "137****0001" in viewer
    assert "<svg" in viewer and "<polyline" in viewer and 'data-testid="subscribers">260<' in viewer
    assert "移除" not in viewer and "添加管理员" not in viewer

    admin = client_for(world.county_a_admin).get(f"/ledger/accounts/{account_a.pk}/").content.decode()
    assert "13911112222" in admin and "移除" in admin


def test_add_admin_through_the_page(client_for, world, account_a):
    cadre = cadre_create(user=world.county_a_admin, org=world.township_a, name="镇团委委员")
    client = client_for(world.county_a_reporter)
    url = f"/ledger/accounts/{account_a.pk}/admins/new/"
    choices = [label for _, label in client.get(url).context["form"].fields["cadre"].choices]
    assert any("镇团委委员" in str(label) for label in choices)
    assert not any("甲县测试团干部" in str(label) for label in choices)  # already on the team
    assert not any("镇团委委员" in str(label) for label in client.get(url + "?q=县团委").context["form"].fields["cadre"].choices)

    response = client.post(url, {"cadre": cadre.pk, "role": "full_time"})

    assert response.status_code == 302
    assert AccountAdmin.objects.get(account=account_a, cadre=cadre).role == AdminRole.FULL_TIME


def test_add_admin_refuses_a_cadre_of_another_county(client_for, world, account_a):
    outsider = cadre_create(user=world.county_b_admin, org=world.township_b, name="乙县干部")
    response = client_for(world.city_admin).post(f"/ledger/accounts/{account_a.pk}/admins/new/",
                                                 {"cadre": outsider.pk, "role": "full_time"})
    assert response.context["form"].errors["cadre"] == ["请选择列表中的团干部。"]


def test_remove_admin(client_for, world, account_a):
    admin = AccountAdmin.objects.get(account=account_a)
    response = client_for(world.county_a_reporter).post(f"/ledger/admins/{admin.pk}/remove/")

    assert response.status_code == 302 and response["Location"] == f"/ledger/accounts/{account_a.pk}/"
    assert AccountAdmin.all_objects.get(pk=admin.pk).is_deleted
    assert not AccountAdmin.objects.filter(account=account_a).exists()


def test_record_subscribers_through_the_page(client_for, world, account_a):
    client = client_for(world.county_a_reporter)
    url = f"/ledger/accounts/{account_a.pk}/subscribers/"
    day = today().isoformat()

    client.post(url, {"taken_on": day, "subscribers": "300"})
    response = client.post(url, {"taken_on": day, "subscribers": "310"})

    assert response.status_code == 302
    assert list(SubscriberSnapshot.objects.filter(account=account_a).values_list("subscribers", flat=True)) == [310]
    assert OfficialAccount.objects.get(pk=account_a.pk).subscribers == 310
    bad = client.post(url, {"taken_on": (today() + timedelta(days=1)).isoformat(), "subscribers": "-1"})
    assert bad.context["form"].errors == {"taken_on": ["统计日期不能晚于今天。"], "subscribers": ["不能为负数。"]}


def test_other_county_gets_404_everywhere(client_for, world, account_a):
    client = client_for(world.county_b_admin)
    admin = AccountAdmin.objects.get(account=account_a)
    for url in [f"/ledger/accounts/{account_a.pk}/", f"/ledger/accounts/{account_a.pk}/edit/",
                f"/ledger/accounts/{account_a.pk}/admins/new/", f"/ledger/accounts/{account_a.pk}/subscribers/",
                f"/ledger/orgs/{world.county_a.pk}/accounts/", f"/ledger/orgs/{world.county_a.pk}/accounts/new/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ledger/admins/{admin.pk}/remove/").status_code == 404
    assert client.post(f"/ledger/accounts/{account_a.pk}/subscribers/",
                       {"taken_on": today().isoformat(), "subscribers": "1"}).status_code == 404
    assert not AccountAdmin.all_objects.get(pk=admin.pk).is_deleted


def test_viewer_cannot_change_anything(client_for, world, account_a):
    client = client_for(world.county_a_viewer)
    admin = AccountAdmin.objects.get(account=account_a)
    assert client.get(f"/ledger/accounts/{account_a.pk}/edit/").status_code == 403
    assert client.post(f"/ledger/admins/{admin.pk}/remove/").status_code == 403
    assert client.post(f"/ledger/accounts/{account_a.pk}/subscribers/",
                       {"taken_on": today().isoformat(), "subscribers": "1"}).status_code == 403
    assert not SubscriberSnapshot.objects.exists()


def test_delete_then_restore_from_the_trash(client_for, world, account_a):
    cadre = cadre_create(user=world.county_a_admin, org=world.county_a, name="管理员甲")
    admin_add(user=world.county_a_admin, official_account=account_a, cadre=cadre, role=AdminRole.FULL_TIME)
    subscriber_record(user=world.county_a_admin, official_account=account_a, taken_on=today(), subscribers=321)
    admins = set(account_a.admins.values_list("pk", flat=True))
    assert len(admins) >= 1
    client = client_for(world.county_a_admin)

    detail = client.get(f"/ledger/accounts/{account_a.pk}/").content.decode()
    assert f"/ledger/accounts/{account_a.pk}/delete/" in detail and "删除公众号" in detail
    response = client.post(f"/ledger/accounts/{account_a.pk}/delete/", follow=True)
    assert "已删除公众号“青农甲县测试公众号”，可在回收站恢复。" in response.content.decode()
    assert client.get(f"/ledger/accounts/{account_a.pk}/").status_code == 404
    # The county may set up an account again while this one is in the trash.
    assert f"/ledger/orgs/{world.county_a.pk}/accounts/new/" in client.get(f"/ledger/orgs/{world.county_a.pk}/accounts/").content.decode()
    assert "青农甲县测试公众号" in client.get("/trash/").content.decode()
    other = Client()
    other.force_login(world.county_b_admin)
    assert "青农甲县测试公众号" not in other.get("/trash/").content.decode()
    assert other.post(f"/trash/official_account/{account_a.pk}/restore/").status_code == 404

    assert client.post(f"/trash/official_account/{account_a.pk}/restore/").status_code == 302
    restored = OfficialAccount.objects.get(pk=account_a.pk)
    assert restored.subscribers == 321 and set(restored.admins.values_list("pk", flat=True)) == admins
    assert restored.snapshots.count() == 1
    assert client.get(f"/ledger/accounts/{account_a.pk}/").status_code == 200


def test_restore_is_refused_while_the_county_has_a_new_account(client_for, world, account_a):
    client = client_for(world.county_a_admin)
    client.post(f"/ledger/accounts/{account_a.pk}/delete/")
    account_create(user=world.county_a_admin, org=world.county_a, name="青农榆阳")

    body = client.post(f"/trash/official_account/{account_a.pk}/restore/", follow=True).content.decode()

    assert "已有公众号“青农榆阳”" in body and "请先删除它再恢复" in body
    assert OfficialAccount.all_objects.get(pk=account_a.pk).is_deleted
    assert list(OfficialAccount.objects.filter(org=world.county_a).values_list("name", flat=True)) == ["青农榆阳"]


def test_delete_is_refused_to_viewers_and_other_counties(client_for, world, account_a):
    url = f"/ledger/accounts/{account_a.pk}/delete/"
    assert client_for(world.county_a_viewer).post(url).status_code == 403
    assert client_for(world.county_b_admin).post(url).status_code == 404
    assert client_for(world.county_a_admin).get(url).status_code == 405
    assert not OfficialAccount.all_objects.get(pk=account_a.pk).is_deleted
    body = client_for(world.county_a_viewer).get(f"/ledger/accounts/{account_a.pk}/").content.decode()
    assert "删除公众号" not in body
