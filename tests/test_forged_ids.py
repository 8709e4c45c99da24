"""Issue 15, access: a form posted with another county's org, group, owner or cadre id in its
body (a forged request: the page never offered it) is refused with that field named, and
nothing is written. County A's admin posts each form as the page rendered it, one field swapped."""
import pytest
from django.test import Client
from django.urls import reverse

from conftest import A_ACCOUNT, A_ACTIVITY, A_CADRE, A_GROUP
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import Activity, Cadre, GroupKind, OfficialAccount, WechatGroup
from tests.forms_html import post_forms


@pytest.fixture
def county_b(world):
    """County B's own township, cadre and group: the ids a forger would try."""
    cadre = Cadre.objects.create(org=world.township_b, name="乙县团干部", position="团委书记", mobile="13700000009")
    group = WechatGroup.objects.create(org=world.township_b, name="乙县青年群", kind=GroupKind.YOUTH, bases=",place,")
    return {"org": world.township_b.pk, "owner": cadre.pk, "cadre": cadre.pk, "group": group.pk}


def _pages(world):
    group = WechatGroup.objects.get(name=A_GROUP)
    return [
        ("ledger:group-create", {"org_id": world.township_a.pk}, "owner", "群主"),
        ("ledger:group-edit", {"group_id": group.pk}, "owner", "群主"),
        ("ledger:cadre-create", {"org_id": world.township_a.pk}, "org", "所属组织"),
        ("ledger:activity-create", {"org_id": world.township_a.pk}, "group", "关联微信群"),
        ("ledger:activity-edit", {"activity_id": Activity.objects.get(title=A_ACTIVITY).pk}, "group", "关联微信群"),
        ("ledger:account-admin-add", {"account_id": OfficialAccount.objects.get(name=A_ACCOUNT).pk}, "cadre", "团干部"),
    ]


FORMS = ["group-create", "group-edit", "cadre-create", "activity-create", "activity-edit", "account-admin-add"]


@pytest.mark.parametrize("page", FORMS)
def test_a_forged_id_of_another_county_is_refused_naming_the_field(world, county_b, page):
    name, kwargs, field, label = next(p for p in _pages(world) if p[0] == f"ledger:{page}")
    client = Client()
    client.force_login(world.county_a_admin)
    url = reverse(name, kwargs=kwargs)
    (data,) = post_forms(client.get(url).content.decode(), url)
    assert field in data, f"{url} has no {field} field"
    data[field] = str(county_b[field])
    data.setdefault("name", "伪造测试")
    before = (AuditEntry.objects.count(), WechatGroup.all_objects.count(), Cadre.all_objects.count())
    snapshot = {m: list(m.all_objects.order_by("pk").values()) for m in (WechatGroup, Cadre, Activity)}
    response = client.post(url, data)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert f"{label}：" in response.content.decode(), f"{url} does not name {label}"
    assert (AuditEntry.objects.count(), WechatGroup.all_objects.count(), Cadre.all_objects.count()) == before
    assert {m: list(m.all_objects.order_by("pk").values()) for m in snapshot} == snapshot


def test_an_org_posted_to_a_form_without_one_moves_nothing(world, county_b):
    """A cadre's edit form has no 所属组织: an org id added to its body is ignored."""
    cadre = Cadre.objects.get(name=A_CADRE)
    client = Client()
    client.force_login(world.county_a_admin)
    url = reverse("ledger:cadre-edit", kwargs={"cadre_id": cadre.pk})
    (data,) = post_forms(client.get(url).content.decode(), url)
    assert "org" not in data
    response = client.post(url, {**data, "org": county_b["org"], "org_id": county_b["org"], "position": "副书记"})
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert (cadre.org_id, cadre.position) == (world.township_a.pk, "副书记")
