"""The ranking in Excel: the same ranks and scores as the page, read back with openpyxl."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from ..selectors.assessment import county_scores, rubric_and_items
from .test_assessment_scores import AS_OF, build_tiny


@pytest.fixture
def tiny(world):
    from qingnong.accounts.models import Role, User

    city, campaign = build_tiny()
    return campaign, User.objects.create(username="tiny_city_admin", org=city, role=Role.ADMIN)


def test_export_has_ranks_items_totals_formula_and_tie_rule(client_for, world, tiny, monkeypatch):
    campaign, admin = tiny
    monkeypatch.setattr("qingnong.inspection.selectors.assessment.default_as_of", lambda c: AS_OF)
    response = client_for(admin).get(reverse("inspection:assessment-export", kwargs={"campaign_id": campaign.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["排名", "县区", "行政区划代码", "建群情况（30分）", "联系团员青年数量（25分）", "发送内容及频次（25分）",
                       "线上线下活动情况（20分）", "总分"]
    assert rows[1] == [1, "测试县3", "619903", 15, 25, 25, 0, 65]
    assert rows[2] == [2, "测试县1", "619901", 22.5, 18.75, 12.5, 10, 63.75]
    assert rows[3] == [3, "测试县2", "619902", 30, 12.5, 0, 20, 62.5]
    text = " ".join(str(r[0]) for r in rows[4:] if r[0])
    assert "计分公式" in text and "并列规则" in text
    from qingnong.audit.models import AuditAction, AuditEntry

    (entry,) = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert (entry.user, entry.object_id, entry.note) == (admin, campaign.org_id, f"导出{campaign.year}年度考核排名（3 个县区）")
    expected = county_scores(campaign=campaign, items=rubric_and_items(campaign)[1], as_of=AS_OF)
    assert [Decimal(str(r[7])) for r in rows[1:4]] == [r.total for r in expected]


@pytest.mark.parametrize("persona", ["county_a_admin", "county_b_admin"])
def test_counties_cannot_export(client_for, world, persona):
    from qingnong.campaign.models import Campaign

    campaign = Campaign.objects.get(org=world.city, year=2014)
    response = client_for(getattr(world, persona)).get(reverse("inspection:assessment-export", kwargs={"campaign_id": campaign.pk}))
    assert response.status_code == 403
