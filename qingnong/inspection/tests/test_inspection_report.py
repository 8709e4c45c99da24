"""The inspection report: HTML (and its print view) and the .docx the city files, with the
figures, verdicts, comments, photos, spot checks and the county's 整改 answers."""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image

from qingnong.campaign.models import Campaign
from qingnong.inspection.models import Inspection
from qingnong.inspection.services import inspections as services

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def published(world):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    round = services.round_create(user=world.city_admin, campaign=campaign, name="2014年检查验收",
                                  starts_on=date(2014, 11, 20), ends_on=date(2014, 11, 30),
                                  inspectors={world.county_a.pk: world.city_admin})
    inspection = Inspection.objects.get(round=round, org=world.county_a)
    admin = world.city_admin
    verdicts = {"groups": "met", "youths": "mostly", "messages": "not_met", "activities": "met"}
    for f in inspection.findings.all():
        services.checklist_field_save(user=admin, inspection=inspection, target=f"finding-{f.pk}-verdict",
                                      value=verdicts[f.item], expected_version=None)
    groups = inspection.findings.get(item="groups")
    services.checklist_field_save(user=admin, inspection=inspection, target=f"finding-{groups.pk}-comment",
                                  value="鱼河镇团青群已建成", expected_version=None)
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(png, "PNG")
    services.photo_add(user=admin, inspection=inspection, finding=groups,
                       uploads=[SimpleUploadedFile("p.png", png.getvalue(), "image/png")])
    services.spot_check_add(user=admin, inspection=inspection, question="甲村测试青年群存在且活跃", passed=True, note="群内每周有发送")
    services.inspection_submit(user=admin, inspection=inspection)
    services.inspection_publish(user=admin, inspection=inspection)
    services.finding_respond(user=world.county_a_admin, finding=inspection.findings.get(item="messages"),
                             response="每周每群发送不少于 2 条")
    return inspection


def test_the_docx_has_figures_verdicts_photos_and_answers(client_for, world, published):
    response = client_for(world.city_admin).get(reverse("inspection:inspection-docx", kwargs={"inspection_id": published.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "inspection-report.docx").write_bytes(content)  # to open and look at
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "榆阳区“两群一号”建设检查验收报告" in text
    for heading in ("建群情况", "联系团员青年数量", "发送内容及频次", "线上线下活动情况"):
        assert heading in text
    assert "结论：达标" in text and "结论：基本达标" in text and "结论：未达标" in text
    assert "检查意见：鱼河镇团青群已建成" in text
    assert "整改情况：每周每群发送不少于 2 条" in text
    assert "团青微信群（已建 / 计划）" in cells and "每群每周发送" in cells
    assert "甲村测试青年群存在且活跃" in cells and "群内每周有发送" in cells
    assert len(document.inline_shapes) == 1  # the photo


def test_the_county_downloads_its_published_report(client_for, world, published):
    response = client_for(world.county_a_viewer).get(reverse("inspection:inspection-docx", kwargs={"inspection_id": published.pk}))
    assert response.status_code == 200


def test_the_html_report_and_its_print_view(client_for, world, published):
    client = client_for(world.county_a_admin)
    url = reverse("inspection:inspection-detail", kwargs={"inspection_id": published.pk})
    body = client.get(url).content.decode()
    assert "鱼河镇团青群已建成" in body and "每周每群发送不少于 2 条" in body and "基本达标" in body
    photo = published.photos.get()
    assert reverse("inspection:photo", kwargs={"inspection_photo_id": photo.pk}) in body
    assert 'media="print"' in body
    printed = client.get(url + "?print=1").content.decode()
    assert "css/print.css" in printed and 'media="print"' not in printed
