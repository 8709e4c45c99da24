"""Cadre pages: list per org subtree, create, detail, edit with conflict, delete; masking."""
import pytest

from qingnong.ledger.models import Cadre
from qingnong.ledger.services.cadres import cadre_create


def list_url(org, query=""):
    return f"/ledger/orgs/{org.pk}/cadres/{query}"


@pytest.fixture
def zhang(world):
    return cadre_create(user=world.county_a_admin, org=world.village_a, name="张村干", position="支部书记",
                        mobile="13812345678", wechat_id="zhang_cungan", qq="87654321", is_grassroots=True,
                        youths_reached=12)


def test_list_shows_subtree_cadres_with_gap_and_owned_groups(client_for, world, zhang):
    cadre_create(user=world.county_b_admin, org=world.township_b, name="乙县干部")
    body = client_for(world.county_a_reporter).get(list_url(world.county_a)).content.decode()

    assert "张村干" in body and "甲县测试团干部" in body and "乙县干部" not in body
    assert "还差 8 名" in body
    assert "甲村测试青年群" in body  # the group 甲县测试团干部 owns
    assert "13812345678" in body and "zhang_cungan" in body  # reporters see contacts in full


def test_viewer_sees_contacts_masked_in_the_list(client_for, world, zhang):
    body = client_for(world.county_a_viewer).get(list_url(world.county_a)).content.decode()

    assert "138****5678" in body and "13812345678" not in body
    assert "zha****ngan" in body and "zhang_cungan" not in body
    assert "876****4321" in body and "87654321" not in body
    assert "新建团干部" not in body


def test_search_and_grassroots_filter(client_for, world, zhang):
    cadre_create(user=world.county_a_admin, org=world.county_a, name="县团委书记", is_grassroots=False)
    client = client_for(world.county_a_admin)

    assert "县团委书记" not in client.get(list_url(world.county_a, "?grassroots=1")).content.decode()
    body = client.get(list_url(world.county_a, "?grassroots=0")).content.decode()
    assert "县团委书记" in body and "张村干" not in body
    body = client.get(list_url(world.county_a, "?q=支部书记")).content.decode()
    assert "张村干" in body and "县团委书记" not in body


def test_search_does_not_match_masked_phones(client_for, world, zhang):
    body = client_for(world.county_a_viewer).get(list_url(world.county_a, "?q=13812345678")).content.decode()
    assert "张村干" not in body


def test_htmx_request_gets_only_the_rows(client_for, world, zhang):
    response = client_for(world.county_a_admin).get(list_url(world.county_a, "?q=张"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "张村干" in body and "<html" not in body


def test_other_county_gets_404(client_for, world, zhang):
    client = client_for(world.county_b_admin)
    for url in [list_url(world.county_a), f"/ledger/cadres/{zhang.pk}/", f"/ledger/cadres/{zhang.pk}/edit/",
                f"/ledger/orgs/{world.township_a.pk}/cadres/new/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ledger/cadres/{zhang.pk}/delete/").status_code == 404
    assert Cadre.objects.filter(pk=zhang.pk).exists()


def test_reporter_creates_a_cadre_under_a_child_org(client_for, world):
    client = client_for(world.township_a_reporter)
    url = f"/ledger/orgs/{world.township_a.pk}/cadres/new/"
    form = client.get(url).context["form"]
    assert {o.pk for o in form.fields["org"].queryset} >= {world.township_a.pk, world.village_a.pk}
    assert form.fields["is_grassroots"].initial is True

    response = client.post(url, {"org": world.village_a.pk, "name": "新干部", "mobile": "13900001111",
                                 "is_grassroots": "on", "youths_reached": "21"})

    cadre = Cadre.objects.get(name="新干部")
    assert response.status_code == 302 and response["Location"] == f"/ledger/cadres/{cadre.pk}/"
    assert (cadre.org, cadre.is_grassroots, cadre.youths_reached, cadre.reach_gap) == (world.village_a, True, 21, 0)


def test_create_shows_chinese_errors_next_to_the_fields(client_for, world):
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/cadres/new/", {
        "org": world.township_a.pk, "name": "错号码", "mobile": "12345", "wechat_id": "1abc", "qq": "qq12",
        "youths_reached": "-3"})

    errors = response.context["form"].errors
    assert errors["mobile"] == ["手机号应为 11 位数字，以 1 开头。"]
    assert errors["wechat_id"] == ["微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。"]
    assert errors["qq"] == ["QQ 号应为 5–12 位数字，不以 0 开头。"]
    assert errors["youths_reached"] == ["不能为负数。"]
    assert "手机号：手机号应为 11 位数字" in response.content.decode()
    assert not Cadre.objects.filter(name="错号码").exists()


def test_cannot_create_under_an_org_of_another_county_by_posting_its_id(client_for, world):
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/cadres/new/", {
        "org": world.township_b.pk, "name": "偷渡", "youths_reached": "0"})

    assert response.status_code == 200 and "org" in response.context["form"].errors
    assert not Cadre.objects.filter(name="偷渡").exists()


def test_viewer_cannot_create_or_edit(client_for, world, zhang):
    client = client_for(world.county_a_viewer)
    assert client.get(f"/ledger/orgs/{world.township_a.pk}/cadres/new/").status_code == 403
    assert client.post(f"/ledger/cadres/{zhang.pk}/edit/", {"name": "改"}).status_code == 403
    assert client.post(f"/ledger/cadres/{zhang.pk}/delete/").status_code == 403


def test_detail_shows_contacts_gap_groups_and_accounts(client_for, world):
    cadre = Cadre.objects.get(name="甲县测试团干部")
    body = client_for(world.county_a_viewer).get(f"/ledger/cadres/{cadre.pk}/").content.decode()

    # In scope, but a viewer: the number masked, as everywhere (issue 15: accounts.permissions.mask).
    assert "137****0001" in body and "13700000001" not in body
    assert "差 20" in body and "甲村测试青年群" in body and "青农甲县测试公众号" in body


def edit_data(cadre, **changes):
    data = {"name": cadre.name, "position": cadre.position, "mobile": cadre.mobile, "wechat_id": cadre.wechat_id,
            "qq": cadre.qq, "youths_reached": cadre.youths_reached, "version": cadre.version}
    if cadre.is_grassroots:
        data["is_grassroots"] = "on"
    return {**data, **changes}


def test_edit_saves_and_bumps_the_version(client_for, world, zhang):
    response = client_for(world.township_a_reporter).post(f"/ledger/cadres/{zhang.pk}/edit/",
                                                          edit_data(zhang, youths_reached=20, position="书记"))

    assert response.status_code == 302
    cadre = Cadre.objects.get(pk=zhang.pk)
    assert (cadre.youths_reached, cadre.position, cadre.version, cadre.reach_gap) == (20, "书记", zhang.version + 1, 0)


def test_conflicting_edit_shows_both_versions_and_saves_nothing(client_for, world, zhang):
    from django.test import Client

    first, second = client_for(world.township_a_reporter), Client()
    second.force_login(world.county_a_admin)
    first.post(f"/ledger/cadres/{zhang.pk}/edit/", edit_data(zhang, youths_reached=30))

    response = second.post(f"/ledger/cadres/{zhang.pk}/edit/", edit_data(zhang, youths_reached=15, position="副书记"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "其他人已修改" in body
    conflict = {label: (mine, theirs) for label, mine, theirs in response.context["conflict"]}
    assert conflict == {"微信联系农村青年数": ("15", 30), "职务": ("副书记", "支部书记")}
    assert Cadre.objects.get(pk=zhang.pk).youths_reached == 30
    # Saving again (the page now carries the current version) keeps what the second user typed.
    again = second.post(f"/ledger/cadres/{zhang.pk}/edit/", edit_data(zhang, youths_reached=15, version=zhang.version + 1))
    assert again.status_code == 302 and Cadre.objects.get(pk=zhang.pk).youths_reached == 15


def test_delete_moves_to_the_trash(client_for, world, zhang):
    response = client_for(world.township_a_reporter).post(f"/ledger/cadres/{zhang.pk}/delete/")

    assert response.status_code == 302 and response["Location"] == list_url(world.village_a)
    assert Cadre.all_objects.get(pk=zhang.pk).is_deleted


def test_delete_of_a_group_owner_is_explained(client_for, world):
    cadre = Cadre.objects.get(name="甲县测试团干部")
    response = client_for(world.county_a_admin).post(f"/ledger/cadres/{cadre.pk}/delete/", follow=True)

    assert "请先更换群主再删除" in response.content.decode()
    assert not Cadre.all_objects.get(pk=cadre.pk).is_deleted

