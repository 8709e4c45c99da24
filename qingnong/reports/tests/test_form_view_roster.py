"""附件2 on screen: the city's list of accounts and admins, a county's own row, scope."""
from django.urls import reverse

from qingnong.ledger.models import AccountStatus, OfficialAccount


def url(org, name="reports:roster"):
    return reverse(name, kwargs={"org_id": org.pk}) + "?as_of=2014-11-30"


def test_city_roster(client_for, world):
    OfficialAccount.objects.filter(org=world.county_a).update(status=AccountStatus.OPENED)
    body = client_for(world.city_admin).get(url(world.city)).content.decode()
    assert "微信体系建设情况统计表" in body and "管理员QQ号" in body
    assert "青农甲县测试公众号" in body and "甲县测试团干部" in body and "13700000001" in body
    assert "横山区" in body and "尚未开通" in body  # county B has no account
    assert body.count('class="blank"') == 7 - 2  # padded to the paper form's 7 lines


def test_county_sees_its_own_row_only(client_for, world):
    OfficialAccount.objects.filter(org=world.county_a).update(status=AccountStatus.OPENED)
    body = client_for(world.county_a_viewer).get(url(world.county_a)).content.decode()
    assert "青农甲县测试公众号" in body and "横山区" not in body


def test_county_user_at_the_city_sees_its_county_only(client_for, world):
    response = client_for(world.county_b_admin).get(url(world.city))
    assert response.status_code == 404  # the city is above county B: not in its scope


def test_other_county_gets_404(client_for, world):
    client = client_for(world.county_b_admin)
    assert client.get(url(world.county_a)).status_code == 404
    assert client.get(url(world.county_a, "reports:roster-xlsx")).status_code == 404


def test_download(client_for, world):
    response = client_for(world.city_admin).get(url(world.city, "reports:roster-xlsx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_a_download_is_in_the_orgs_history(client_for, world):
    """附件2 lists the admins' phone numbers: the download is in the 操作记录, the 404 is not."""
    from qingnong.audit.models import AuditAction, AuditEntry

    client_for(world.county_b_admin).get(url(world.county_a, "reports:roster-xlsx"))
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    client_for(world.county_a_viewer).get(url(world.county_a, "reports:roster-xlsx"))
    (entry,) = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert (entry.user, entry.org_path) == (world.county_a_viewer, world.county_a.path)
    assert entry.note.startswith("导出 ") and entry.note.endswith(".xlsx")
