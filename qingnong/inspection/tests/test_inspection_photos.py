"""Inspection photos go through the shared photo pipeline (qingnong.lib.photos) with the
inspection's own limit of 20: the activity limit of 9 once refused a tenth photo."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qingnong.inspection.services import inspections as services
from qingnong.inspection.services.inspections import MAX_PHOTOS
from qingnong.inspection.tests.test_inspection_permissions import setup  # noqa: F401  (fixture)


def photos(n):
    files = []
    for i in range(n):
        buffer = io.BytesIO()
        Image.new("RGB", (30, 20), (i * 10 % 255, 120, 40)).save(buffer, "PNG")
        files.append(SimpleUploadedFile(f"现场{i}.png", buffer.getvalue(), content_type="image/png"))
    return files


def test_ten_inspection_photos_upload(setup):  # noqa: F811
    world, inspector, _, a, _ = setup
    saved = services.photo_add(user=inspector, inspection=a, uploads=photos(10))
    assert len(saved) == 10 and a.photos.count() == 10


def test_past_twenty_photos_the_inspection_limit_is_named(setup):  # noqa: F811
    world, inspector, _, a, _ = setup
    services.photo_add(user=inspector, inspection=a, uploads=photos(15))
    with pytest.raises(ValidationError) as excinfo:
        services.photo_add(user=inspector, inspection=a, uploads=photos(6))
    assert excinfo.value.message_dict["photos"] == [f"每次检查最多 {MAX_PHOTOS} 张照片（已有 15 张，本次选择了 6 张）。"]
    assert a.photos.count() == 15
