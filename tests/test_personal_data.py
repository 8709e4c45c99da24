"""Issue 15, personal data, one rule (accounts.permissions.mask): a viewer (查看员) never receives
a cadre's full mobile, WeChat ID or QQ number, on any page or download, nor in the 操作记录's
before/after values; an editor does."""
import io

import pytest
from openpyxl import load_workbook

from conftest import A_CADRE
from qingnong.ledger.models import Cadre
from qingnong.ledger.services.cadres import cadre_update

MOBILE, NEW_MOBILE, WECHAT, QQ = "13700000001", "13712345678", "yuhe_tuanwei_2014", "998877665"


@pytest.fixture
def cadre(world):
    cadre = Cadre.objects.get(name=A_CADRE)
    return cadre_update(user=world.county_a_admin, cadre=cadre, expected_version=cadre.version, name=A_CADRE,
                        mobile=NEW_MOBILE, wechat_id=WECHAT, qq=QQ)  # the 操作记录 now holds the old and new number


def received(client, path):
    response = client.get(path)
    if response.status_code != 200:
        return ""
    if path.endswith(".xlsx") or response.get("Content-Type", "").startswith("application/vnd"):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        return " ".join(str(c.value) for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row)
    return response.content.decode()


def test_a_viewer_never_receives_the_full_numbers(client_for, world, cadre):
    from qingnong.ledger.models import AccountAdmin, OfficialAccount

    account = OfficialAccount.objects.get(org=world.county_a)
    if not AccountAdmin.objects.filter(account=account, cadre=cadre).exists():
        AccountAdmin.objects.create(account=account, cadre=cadre, role="editor")
    paths = [f"/ledger/cadres/{cadre.pk}/", f"/ledger/orgs/{world.township_a.pk}/cadres/", f"/ledger/accounts/{account.pk}/",
             f"/reports/orgs/{world.county_a.pk}/roster/", f"/reports/orgs/{world.county_a.pk}/roster.xlsx",
             f"/ledger/orgs/{world.county_a.pk}/cadres/export/", f"/orgs/{world.township_a.pk}/history/",
             f"/history/cadre/{cadre.pk}/"]
    viewer = client_for(world.county_a_viewer)  # client_for signs one client in: the admin's turn comes after
    seen = {}
    for path in paths:
        body = received(viewer, path)
        assert body, f"{path}: the viewer may read the page"
        seen[path] = [v for v in (MOBILE, NEW_MOBILE, WECHAT, QQ) if v in body]
    assert seen == {path: [] for path in paths}
    assert "137****5678" in received(viewer, f"/ledger/cadres/{cadre.pk}/")
    # An editor sees them in full (the rule masks for viewers only).
    admin = client_for(world.county_a_admin)
    assert NEW_MOBILE in received(admin, f"/ledger/cadres/{cadre.pk}/")
    history = received(admin, f"/history/cadre/{cadre.pk}/")
    assert MOBILE in history and NEW_MOBILE in history
