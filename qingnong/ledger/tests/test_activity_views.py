"""Activity pages: list with filters, create with photos, detail, edit with conflict, delete;
photos served only through the scoped view."""
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import A_ACTIVITY, A_GROUP
from qingnong.ledger.models import Activity, ActivityPhoto, WechatGroup
from qingnong.ledger.services.activities import activity_create, activity_delete, activity_update
from qingnong.lib.dates import today


def png(name="合影.png", size=(30, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def list_url(org, query=""):
    return f"/ledger/orgs/{org.pk}/activities/{query}"


def form_data(**overrides):
    return {"held_on": (today() - timedelta(days=2)).isoformat(), "activity_type": "policy_talk", "title": "政策宣讲进村",
            "participants": "35", "group": "", "note": "", **overrides}


@pytest.fixture
def activity(world):
    return Activity.objects.get(title=A_ACTIVITY)


def test_list_shows_subtree_activities_with_totals_by_type(client_for, world):
    activity_create(user=world.county_a_admin, org=world.county_a, held_on=today(), activity_type="dating",
                    title="县里的联谊会", participants=80)
    response = client_for(world.township_a_reporter).get(list_url(world.township_a))
    assert A_ACTIVITY in response.content.decode() and "县里的联谊会" not in response.content.decode()

    response = client_for(world.county_a_viewer).get(list_url(world.county_a))
    body = response.content.decode()
    assert A_ACTIVITY in body and "县里的联谊会" in body and "照片 1 张" in body
    totals = response.context["totals"]
    assert (totals["n"], totals["participants"], totals["skills"], totals["dating"], totals["culture"]) == (2, 110, 1, 1, 0)
    assert "记录线下活动" not in body


def test_filters_by_type_and_dates(client_for, world):
    activity_create(user=world.county_a_admin, org=world.county_a, held_on=today(), activity_type="dating",
                    title="县里的联谊会", participants=80)
    client = client_for(world.county_a_admin)

    def titles(query):
        return {a.title for a in client.get(list_url(world.county_a, query)).context["page"]}

    assert titles("?activity_type=dating") == {"县里的联谊会"}
    assert titles("?end=2014-12-31") == {A_ACTIVITY}
    assert titles(f"?start={today().isoformat()}") == {"县里的联谊会"}
    assert client.get(list_url(world.county_a, "?activity_type=dating")).context["totals"]["n"] == 1


def test_reporter_creates_an_activity_with_photos(client_for, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(world.township_a_reporter)
    group = WechatGroup.objects.get(name=A_GROUP)
    assert A_GROUP in client.get(f"/ledger/orgs/{world.township_a.pk}/activities/new/").content.decode()

    response = client.post(f"/ledger/orgs/{world.township_a.pk}/activities/new/",
                           {**form_data(group=str(group.pk)), "photos": [png("一.png"), png("二.png")]})
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="政策宣讲进村")
    assert response.status_code == 302 and response["Location"] == f"/ledger/activities/{activity.pk}/"
    assert (activity.org, activity.group, activity.participants, activity.photos.count()) == (world.township_a, group, 35, 2)

    body = client.get(response["Location"]).content.decode()
    for photo in activity.photos.all():
        assert f'src="/ledger/photos/{photo.pk}/"' in body
    assert "/media/" not in body


@pytest.mark.parametrize("participants,error", [("-1", "不能为负数。"), ("3.5", "请输入整数。"), ("很多", "请输入整数。")])
def test_bad_participants_are_shown_next_to_the_field(client_for, world, participants, error):
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/activities/new/",
                                                          form_data(participants=participants))
    assert response.status_code == 200 and f"参加人数：{error}" in response.content.decode()


def test_a_fake_photo_is_named_in_the_error_and_nothing_is_saved(client_for, world):
    fake = SimpleUploadedFile("报告.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/activities/new/",
                                                          {**form_data(), "photos": [png(), fake]})
    assert response.status_code == 200
    assert "活动照片：“报告.jpg”不是图片" in response.content.decode()
    assert not Activity.objects.filter(title="政策宣讲进村").exists()


def test_ten_photos_are_too_many(client_for, world):
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/activities/new/",
                                                          {**form_data(), "photos": [png(f"{i}.png") for i in range(10)]})
    assert "每个活动最多 9 张照片" in response.content.decode()


def test_future_date_is_shown_next_to_the_field(client_for, world):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = client_for(world.township_a_reporter).post(f"/ledger/orgs/{world.township_a.pk}/activities/new/",
                                                          form_data(held_on=tomorrow))
    assert "活动日期：活动日期不能晚于今天。" in response.content.decode()


def test_edit_removes_a_photo_and_adds_one(client_for, world, activity, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    old = activity.photos.get()
    client = client_for(world.township_a_reporter)
    url = f"/ledger/activities/{activity.pk}/edit/"
    assert f'value="{old.pk}"' in client.get(url).content.decode()

    data = form_data(title=A_ACTIVITY, version="1", remove_photos=[str(old.pk)])
    response = client.post(url, {**data, "photos": [png("新.png")]})
    assert response.status_code == 302
    photos = list(activity.photos.all())
    assert len(photos) == 1 and photos[0].pk != old.pk


def test_edit_conflict_shows_both_versions(client_for, world, activity):
    client = client_for(world.township_a_reporter)
    url = f"/ledger/activities/{activity.pk}/edit/"
    activity_update(user=world.county_a_admin, activity=activity, expected_version=1, participants=99, title="改过的名称")

    mine = form_data(title="我的名称", participants="31", activity_type="skills", held_on="2014-10-08", version="1")
    response = client.post(url, mine)
    assert response.status_code == 200 and "其他人已修改了这次活动" in response.content.decode()
    conflict = response.context["conflict"]
    assert ("活动名称", "我的名称", "改过的名称") in conflict and ("参加人数", "31", 99) in conflict
    assert Activity.objects.get(pk=activity.pk).participants == 99

    assert client.post(url, {**mine, "version": "2"}).status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "我的名称"


def test_delete_then_restore_from_the_trash(client_for, world, activity):
    client = client_for(world.township_a_reporter)
    assert client.post(f"/ledger/activities/{activity.pk}/delete/").status_code == 302
    assert client.get(f"/ledger/activities/{activity.pk}/").status_code == 404
    assert A_ACTIVITY in client.get("/trash/").content.decode()
    assert client.post(f"/trash/activity/{activity.pk}/restore/").status_code == 302
    assert client.get(f"/ledger/activities/{activity.pk}/").status_code == 200


def test_photo_is_served_in_scope_only(client, client_for, world, activity):
    photo = activity.photos.get()
    url = f"/ledger/photos/{photo.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page

    response = client_for(world.county_a_viewer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"

    assert client_for(world.county_b_viewer).get(url).status_code == 404
    assert client_for(world.county_b_admin).get(url).status_code == 404


def test_photos_of_a_deleted_activity_are_not_served(client_for, world, activity):
    photo = activity.photos.get()
    activity_delete(user=world.county_a_admin, activity=activity)
    assert client_for(world.county_a_admin).get(f"/ledger/photos/{photo.pk}/").status_code == 404


def test_a_missing_photo_file_is_a_404(client_for, world, activity):
    photo = ActivityPhoto.objects.create(activity=activity, image="activities/2014/10/gone.jpg")
    assert client_for(world.county_a_admin).get(f"/ledger/photos/{photo.pk}/").status_code == 404


def test_viewer_cannot_open_the_forms(client_for, world, activity):
    client = client_for(world.county_a_viewer)
    assert client.get(f"/ledger/orgs/{world.township_a.pk}/activities/new/").status_code == 403
    assert client.get(f"/ledger/activities/{activity.pk}/edit/").status_code == 403
    assert client.post(f"/ledger/activities/{activity.pk}/delete/").status_code == 403
    body = client.get(f"/ledger/activities/{activity.pk}/").content.decode()
    assert "删除活动" not in body and "编辑" not in body


def test_other_county_gets_404(client_for, world, activity):
    client = client_for(world.county_b_admin)
    for url in [list_url(world.township_a), f"/ledger/activities/{activity.pk}/", f"/ledger/activities/{activity.pk}/edit/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/ledger/activities/{activity.pk}/delete/").status_code == 404
    assert A_ACTIVITY not in client.get(list_url(world.county_b)).content.decode()
