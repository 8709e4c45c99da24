"""Issue 18: photos picked on a 线下活动 form that comes back with an error stay with the
form (held on the server for their uploader, shown as thumbnails that can be taken off),
so a phone need not pick them again; nobody else can see or claim them."""
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import A_ACTIVITY
from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import Activity, StagedPhoto
from qingnong.ledger.services.activities import activity_update
from qingnong.ledger.tests.test_activity_views import form_data, png


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def new_url(world):
    return f"/ledger/orgs/{world.township_a.pk}/activities/new/"


def held_ids(response):
    return [p.pk for p in response.context["form"].staged]


def test_photos_survive_an_error_and_are_saved_with_the_activity(client_for, world, media, django_capture_on_commit_callbacks):
    client = client_for(world.township_a_reporter)
    response = client.post(new_url(world), {**form_data(title=""), "photos": [png("一.png"), png("二.png")]})
    body = response.content.decode()
    assert response.status_code == 200 and "活动名称：请填写活动名称。" in body and "已选的 2 张照片已保留" in body
    held = held_ids(response)
    assert len(held) == 2 and StagedPhoto.objects.filter(user=world.township_a_reporter).count() == 2
    assert 'data-testid="held-photos"' in body
    for pk in held:
        assert f'src="/ledger/photos/held/{pk}/"' in body and f'name="staged" value="{pk}"' in body
    assert client.get(f"/ledger/photos/held/{held[0]}/")["Content-Type"] == "image/jpeg"
    assert not Activity.objects.filter(title="政策宣讲进村").exists()

    # Corrected and sent again with no file picked: the held photos are the activity's.
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the rows surely have
        response = client.post(new_url(world), {**form_data(), "staged": [str(pk) for pk in held]})
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="政策宣讲进村")
    assert activity.photos.count() == 2
    assert not StagedPhoto.objects.exists()
    assert not list((media / "staged").rglob("*.jpg"))  # the held files went with their rows
    assert AuditEntry.objects.filter(object_id=str(activity.pk), note="上传照片 2 张").exists()


def test_a_held_photo_can_be_taken_off_and_more_added(client_for, world):
    client = client_for(world.township_a_reporter)
    held = held_ids(client.post(new_url(world), {**form_data(participants="很多"), "photos": [png("一.png"), png("二.png")]}))
    # A second error: one held photo taken off, one more picked; the page holds two.
    response = client.post(new_url(world), {**form_data(title=""), "staged": [str(pk) for pk in held],
                                            "drop_staged": [str(held[0])], "photos": [png("三.png")]})
    again = held_ids(response)
    assert len(again) == 2 and held[1] in again and held[0] not in again
    response = client.post(new_url(world), {**form_data(), "staged": [str(pk) for pk in again]})
    assert response.status_code == 302
    assert Activity.objects.get(title="政策宣讲进村").photos.count() == 2


def test_held_photos_count_towards_the_nine(client_for, world):
    client = client_for(world.township_a_reporter)
    held = held_ids(client.post(new_url(world), {**form_data(title=""), "photos": [png(f"{i}.png") for i in range(8)]}))
    response = client.post(new_url(world), {**form_data(), "staged": [str(pk) for pk in held],
                                            "photos": [png("九.png"), png("十.png")]})
    assert response.status_code == 200 and "每个活动最多 9 张照片（已有 8 张，本次选择了 2 张）" in response.content.decode()
    assert not Activity.objects.filter(title="政策宣讲进村").exists()
    assert len(held_ids(response)) == 8  # the bad batch is not held; the eight still are


def test_a_bad_photo_is_not_held(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    fake = SimpleUploadedFile("报告.jpg", b"%PDF-1.4", content_type="image/jpeg")
    response = client_for(world.township_a_reporter).post(new_url(world), {**form_data(), "photos": [png(), fake]})
    assert "“报告.jpg”不是图片" in response.content.decode()
    assert not StagedPhoto.objects.exists() and held_ids(response) == []


def test_someone_elses_held_photo_cannot_be_seen_or_claimed(client_for, world):
    held = held_ids(client_for(world.township_a_reporter).post(new_url(world), {**form_data(title=""), "photos": [png()]}))
    other = client_for(world.county_a_admin)
    assert other.get(f"/ledger/photos/held/{held[0]}/").status_code == 404
    response = other.post(new_url(world), {**form_data(), "staged": [str(held[0]), "x", "-1"]})
    assert response.status_code == 302
    assert Activity.objects.get(title="政策宣讲进村").photos.count() == 0
    assert StagedPhoto.objects.filter(pk=held[0], user=world.township_a_reporter).exists()


def test_an_edit_conflict_keeps_the_new_photos(client_for, world):
    activity = Activity.objects.get(title=A_ACTIVITY)
    client = client_for(world.township_a_reporter)
    url = f"/ledger/activities/{activity.pk}/edit/"
    activity_update(user=world.county_a_admin, activity=activity, expected_version=1, title="改过的名称")
    mine = form_data(title="我的名称", version="1")
    response = client.post(url, {**mine, "photos": [png("新.png")]})
    assert "其他人已修改了这次活动" in response.content.decode()
    held = held_ids(response)
    assert len(held) == 1
    response = client.post(url, {**mine, "version": "2", "staged": [str(held[0])]})
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).photos.count() == 2  # the one it had and the new one


def test_unclaimed_photos_go_after_a_day(client_for, world):
    client = client_for(world.township_a_reporter)
    held = held_ids(client.post(new_url(world), {**form_data(title=""), "photos": [png()]}))
    StagedPhoto.objects.filter(pk=held[0]).update(uploaded_at=timezone.now() - timedelta(days=2))
    client.post(new_url(world), {**form_data(title=""), "photos": [png("二.png")]})
    assert list(StagedPhoto.objects.values_list("pk", flat=True)) != held and StagedPhoto.objects.count() == 1
