"""Township QR codes (issue 14): one permanent code per township for a verified 服务号,
printable as posters drawn here; plainly refused for other accounts; a platform fault keeps
the codes already made."""
from django.urls import reverse

from qingnong.org.models import Org, OrgLevel
from qingnong.wechat.models import TownshipCode


def townships(world):
    return list(Org.objects.filter(parent=world.county_a, level=OrgLevel.TOWNSHIP).order_by("code"))


def test_codes_for_every_township_and_their_posters(client_for, world, platform, linked):
    client = client_for(world.county_a_admin)
    response = client.post(reverse("wechat:codes", kwargs={"account_id": linked.account_id}), follow=True)
    expected = townships(world)
    assert f"已生成 {len(expected)} 个乡镇的关注二维码" in response.content.decode()
    codes = {c.org_id: c.scene for c in TownshipCode.objects.all()}
    assert codes == {t.pk: t.code for t in expected}
    assert [b["action_info"]["scene"]["scene_str"] for b in platform.data_calls("qrcode/create")] == [t.code for t in expected]
    # Again: nothing new is asked of the platform.
    client.post(reverse("wechat:codes", kwargs={"account_id": linked.account_id}))
    assert len(platform.data_calls("qrcode/create")) == len(expected)

    posters = client.get(reverse("wechat:posters", kwargs={"account_id": linked.account_id})).content.decode()
    assert posters.count('data-testid="poster"') == len(expected) and posters.count("<svg") == len(expected)
    assert all(t.name in posters for t in expected) and "mp.weixin.qq.com" not in posters  # drawn here


def test_an_unverified_account_is_told_plainly(client_for, world, platform, linked):
    linked.verified_service = False
    linked.save()
    response = client_for(world.county_a_admin).post(reverse("wechat:codes", kwargs={"account_id": linked.account_id}), follow=True)
    assert "只有已认证的服务号才能生成" in response.content.decode() and not TownshipCode.objects.exists()
    page = client_for(world.county_a_admin).get(reverse("wechat:link", kwargs={"account_id": linked.account_id})).content.decode()
    assert "微信平台只向已认证的服务号开放" in page


def test_a_fault_part_way_keeps_what_was_made(client_for, world, platform, linked):
    platform.fault, platform.fault_after = 48001, 1  # the first code is made, then the platform refuses
    response = client_for(world.county_a_admin).post(reverse("wechat:codes", kwargs={"account_id": linked.account_id}), follow=True)
    body = response.content.decode()
    assert "已生成 1 个乡镇的二维码，其余没有生成" in body and "48001" in body and "微信认证" in body
    assert TownshipCode.objects.count() == 1
