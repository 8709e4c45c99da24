"""Issue 17: re-importing the demo's own 附件3 drew 10 warnings (微信群内成员共 1102 人，多于团员青年数
325), burying real ones. Every county's export, imported back, draws none, at the campaign's
end and today."""
from django.core.files.base import ContentFile

import pytest

from qingnong.demo.yulin import demo_load
from qingnong.ledger.models import MessageRecord, OfficialAccount
from qingnong.lib.dates import today
from qingnong.lib.xlsx import write_workbook
from qingnong.org.models import Org, OrgLevel
from qingnong.reports import importer, workbooks
from qingnong.reports.models import ImportStatus


@pytest.fixture
def demo(world):
    MessageRecord.all_objects.filter(account__isnull=False).delete()  # the shared world's account; the demo has its own
    OfficialAccount.all_objects.all().delete()
    demo_load()
    return Org.objects.get(code="610800")


def test_the_demos_own_progress_forms_import_back_without_a_warning(demo, tmp_path):
    from qingnong.accounts.models import User

    from qingnong.campaign.selectors import default_as_of
    from qingnong.campaign.models import Campaign

    campaign = Campaign.objects.filter(org=demo).order_by("-year").first()
    counties = list(Org.objects.filter(parent=demo, level=OrgLevel.COUNTY).order_by("code"))
    assert len(counties) >= 10
    admin = User.objects.filter(org=demo, is_superuser=False).first() or User.objects.filter(is_superuser=True).first()
    for as_of in sorted({default_as_of(campaign), today()}):
        for county in counties:
            sheets, name = workbooks.export_sheets("progress", county, as_of=as_of)
            path = tmp_path / f"{county.code}-{as_of}.xlsx"
            write_workbook(path, sheets)
            run = importer.import_preview(user=admin, org=county, form_code="progress",
                                          file=ContentFile(path.read_bytes(), name=name))
            assert run.status == ImportStatus.PREVIEWED, (county.name, as_of, run.errors)
            assert [w["message"] for w in run.warnings] == [], (county.name, as_of)
