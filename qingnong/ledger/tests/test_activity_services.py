"""Activity rules and photos: dates, linked group, file type and size checked by opening the
file, at most 9 photos, re-encoded as JPEG ≤1600 px without EXIF; scope, versions, restore."""
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from conftest import A_ACTIVITY, A_GROUP
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import Activity, ActivityPhoto, Source, WechatGroup
from qingnong.ledger.services.activities import (
    activity_create, activity_delete, activity_restore, activity_update,
)
from qingnong.lib.dates import today
from qingnong.lib.photos import photo_problem


def image_file(name="photo.png", *, size=(40, 30), fmt="PNG", mode="RGB", exif=None):
    buffer = io.BytesIO()
    Image.new(mode, size, "green").save(buffer, fmt, **({"exif": exif.tobytes()} if exif else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def fake_image(name="病毒.jpg"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is not an image at all", content_type="image/jpeg")


def create(world, **overrides):
    fields = {"user": world.township_a_reporter, "org": world.township_a, "held_on": today() - timedelta(days=3),
              "activity_type": "skills", "title": "电商培训", "participants": 40, **overrides}
    return activity_create(**fields)


def stored(photo):
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_create_records_who_and_how(world):
    activity = create(world, group=WechatGroup.objects.get(name=A_GROUP), note="县里来的老师")
    assert activity.org == world.township_a and activity.entered_by == world.township_a_reporter
    assert activity.source == Source.MANUAL
    assert AuditEntry.objects.get(object_id=activity.pk, content_type__model="activity").user == world.township_a_reporter


def test_future_date_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, held_on=today() + timedelta(days=1))
    assert excinfo.value.message_dict["held_on"] == ["活动日期不能晚于今天。"]


def test_negative_participants_are_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, participants=-5)
    assert "participants" in excinfo.value.message_dict


def test_linked_group_must_be_in_the_orgs_subtree(world):
    county_group = WechatGroup.objects.create(org=world.county_a, name="青农榆阳", kind="work", covers_level="township")
    with pytest.raises(ValidationError) as excinfo:
        create(world, user=world.county_a_admin, group=county_group)  # a township activity, a county group
    assert excinfo.value.message_dict["group"] == ["关联的微信群须属于本组织或其下级。"]
    other = WechatGroup.objects.create(org=world.township_b, name="乙县的群", kind="youth", bases=",place,")
    with pytest.raises(ValidationError):
        create(world, user=world.city_admin, group=other)


def test_viewer_and_other_county_cannot_create(world):
    with pytest.raises(PermissionDenied):
        create(world, user=world.county_a_viewer)
    with pytest.raises(Http404):
        create(world, user=world.county_b_admin)


def test_a_png_is_stored_as_a_jpeg(world):
    activity = create(world, photos=[image_file("合影.png", mode="RGBA")])
    photo = activity.photos.get()
    assert photo.image.name.endswith(".jpg")
    image = stored(photo)
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (40, 30)


def test_a_large_photo_is_resized_to_1600_on_the_long_side(world):
    activity = create(world, photos=[image_file("大图.jpg", size=(3200, 1800), fmt="JPEG")])
    assert stored(activity.photos.get()).size == (1600, 900)


def test_exif_and_gps_are_stripped_and_orientation_applied(world):
    exif = Image.Exif()
    exif[0x0110] = "TestPhone"
    exif[0x0112] = 6  # stored sideways: rotate 90° when shown
    exif.get_ifd(0x8825).update({1: "N", 2: (38.0, 17.0, 5.0)})
    upload = image_file("手机.jpg", size=(60, 40), fmt="JPEG", exif=exif)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # the upload has GPS
    upload.seek(0)

    image = stored(create(world, photos=[upload]).photos.get())
    assert not image.getexif() and "exif" not in image.info
    assert image.size == (40, 60)


def test_webp_is_accepted(world):
    activity = create(world, photos=[image_file("a.webp", fmt="WEBP")])
    assert stored(activity.photos.get()).format == "JPEG"


def test_a_fake_image_is_refused_by_name(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, photos=[image_file("好的.png"), fake_image("病毒.jpg")])
    assert excinfo.value.message_dict["photos"] == ["“病毒.jpg”不是图片，或图片格式无法识别。只能上传 JPG、PNG 或 WebP 照片。"]
    assert not Activity.objects.filter(title="电商培训").exists()  # nothing saved, not even the good photo
    assert not ActivityPhoto.objects.exclude(activity__title=A_ACTIVITY).exists()


def test_other_image_formats_are_refused(world):
    problem = photo_problem(image_file("动图.gif", fmt="GIF", mode="P"))
    assert problem == "“动图.gif”是 GIF 图片，只能上传 JPG、PNG 或 WebP 照片。"


def test_a_file_over_8_mb_is_refused_before_it_is_opened(world):
    big = SimpleUploadedFile("巨大.jpg", b"\xff" * (8 * 1024 * 1024 + 1), content_type="image/jpeg")
    assert photo_problem(big) == "“巨大.jpg”有 8.0 MB，超过 8 MB，请压缩后再上传。"


def test_a_huge_pixel_count_is_refused(world):
    upload = image_file("超大.png", size=(8000, 7000), mode="1")  # small file, 56 megapixels
    assert "尺寸过大" in photo_problem(upload)


def test_a_truncated_jpeg_is_refused_by_name(world):
    whole = image_file("半张.jpg", size=(400, 300), fmt="JPEG").read()
    with pytest.raises(ValidationError) as excinfo:
        create(world, photos=[SimpleUploadedFile("半张.jpg", whole[: len(whole) // 2])])
    assert excinfo.value.message_dict["photos"] == ["“半张.jpg”已损坏，无法打开，请重新拍摄或导出后再上传。"]


def test_at_most_nine_photos(world):
    activity = create(world, photos=[image_file(f"{i}.png") for i in range(6)])
    with pytest.raises(ValidationError) as excinfo:
        activity_update(user=world.township_a_reporter, activity=activity, expected_version=1,
                        photos=[image_file(f"新{i}.png") for i in range(4)])
    assert excinfo.value.message_dict["photos"] == ["每个活动最多 9 张照片（已有 6 张，本次选择了 4 张）。"]
    removed = list(activity.photos.values_list("pk", flat=True)[:1])
    activity_update(user=world.township_a_reporter, activity=activity, expected_version=1, remove_photos=removed,
                    photos=[image_file(f"新{i}.png") for i in range(4)])
    assert activity.photos.count() == 9


def test_removed_photos_leave_the_disk(world, django_capture_on_commit_callbacks):
    activity = create(world, photos=[image_file()])
    photo = activity.photos.get()
    storage = photo.image.storage
    assert storage.exists(photo.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(user=world.township_a_reporter, activity=activity, expected_version=1, remove_photos=[photo.pk])
    assert not storage.exists(photo.image.name) and not activity.photos.exists()
    assert AuditEntry.objects.filter(object_id=activity.pk, note="删除照片 1 张").exists()


def test_update_on_an_older_version_is_refused(world):
    activity = Activity.objects.get(title=A_ACTIVITY)
    activity_update(user=world.county_a_admin, activity=activity, expected_version=1, participants=50)
    with pytest.raises(ValidationError) as excinfo:
        activity_update(user=world.township_a_reporter, activity=activity, expected_version=1, participants=60)
    assert "已被他人修改" in excinfo.value.messages[0]
    assert Activity.objects.get(pk=activity.pk).participants == 50


def test_delete_keeps_photos_and_restore_brings_it_back(world):
    activity = Activity.objects.get(title=A_ACTIVITY)
    activity_delete(user=world.township_a_reporter, activity=activity)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    activity_restore(user=world.township_a_reporter, activity=Activity.all_objects.get(pk=activity.pk))
    assert Activity.objects.get(pk=activity.pk).photos.count() == 1
