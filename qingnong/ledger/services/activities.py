"""Writes of offline activities (线下活动) and their photos.

Photos go through qingnong.lib.photos (checked with Pillow, re-encoded, EXIF dropped)."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, record_restore, record_soft_delete, save_edit
from qingnong.lib.dates import today
from qingnong.lib.photos import photo_jpeg, photo_jpegs, photo_problems as _photo_problems
from qingnong.org.scoping import in_scope, require_edit

from ..models import Activity, ActivityPhoto, Source, StagedPhoto

ACTIVITY_FIELDS = ["held_on", "activity_type", "title", "participants", "group", "note"]
MAX_PHOTOS = 9  # 一条活动最多 9 张（一屏九宫格）
STAGED_FOR = timedelta(days=1)  # how long a photo of a form sent back waits for the form


def photo_problems(uploads, *, existing=0):
    return _photo_problems(uploads, existing=existing, limit=MAX_PHOTOS, what="每个活动")


def _delete_files(rows):
    """Delete `rows` (photos) now and their files once the rows are surely gone."""
    for row in rows:
        name = row.image.name
        row.delete()
        transaction.on_commit(lambda name=name, storage=row.image.storage: storage.delete(name))


def _add_photos(activity, uploads, user, staged=()):
    """New uploads and photos held from an earlier try of the form (`staged`, the uploader's own)."""
    staged = [s for s in staged if s.user_id == user.pk]
    jpegs = photo_jpegs(uploads, existing=activity.photos.count() + len(staged), limit=MAX_PHOTOS, what="每个活动")
    for item in staged:
        with item.image.open("rb") as f:
            jpegs.append(ContentFile(f.read(), name=item.image.name.rsplit("/", 1)[-1]))
    _delete_files(staged)
    for content in jpegs:
        photo = ActivityPhoto(activity=activity)
        photo.image.save(content.name, content, save=False)
        photo.save()
    if jpegs:
        audit_log(obj=activity, action=AuditAction.UPDATE, user=user, note=f"上传照片 {len(jpegs)} 张")


@transaction.atomic
def stage_photos(*, user, uploads):
    """Hold `uploads` (checked by the form) for `user` while the form is sent back with an
    error; returns the held photos. The user's held photos older than STAGED_FOR go."""
    _delete_files(StagedPhoto.objects.filter(user=user, uploaded_at__lt=timezone.now() - STAGED_FOR))
    held = []
    for upload in uploads:
        try:
            content = photo_jpeg(upload)
        except Exception:  # corrupt past its header: the save would refuse it too, naming it
            continue
        item = StagedPhoto(user=user)
        item.image.save(content.name, content, save=False)
        item.save()
        held.append(item)
    return held


def _remove_photos(activity, photo_ids, user):
    photos = list(activity.photos.filter(pk__in=photo_ids))
    _delete_files(photos)
    if photos:
        audit_log(obj=activity, action=AuditAction.UPDATE, user=user, note=f"删除照片 {len(photos)} 张")


def _check_activity(activity, user):
    errors = {}
    if activity.held_on and activity.held_on > today():
        errors["held_on"] = "活动日期不能晚于今天。"
    if activity.group_id:
        group = activity.group
        if group.is_deleted or not group.org.path.startswith(activity.org.path) or not in_scope(user, group.org):
            errors["group"] = "关联的微信群须属于本组织或其下级。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, user, org, held_on, activity_type, title, participants=0, group=None, note="",
                    photos=(), staged=(), source=Source.MANUAL):
    """Record an offline activity held by `org`, with up to 9 photos (new and `staged`)."""
    require_edit(user, org)
    activity = Activity(org=org, held_on=held_on, activity_type=activity_type, title=title, participants=participants,
                        group=group, note=note or "", source=source, entered_by=user)
    _check_activity(activity, user)
    activity.full_clean()
    activity._history_user = user
    activity.save()
    _add_photos(activity, list(photos), user, staged)
    return activity


@transaction.atomic
def activity_update(*, user, activity, expected_version, photos=(), remove_photos=(), staged=(), **fields):
    """Change an activity seen at `expected_version`; remove the photos named by id and add new ones."""
    require_edit(user, activity.org)
    activity = Activity.objects.select_for_update(of=("self",)).select_related("org").get(pk=activity.pk)
    check_version(activity, expected_version)
    for key, value in fields.items():
        if key in ACTIVITY_FIELDS:
            setattr(activity, key, "" if value is None and key == "note" else value)
    _check_activity(activity, user)
    activity.entered_by = user
    save_edit(activity, user=user)
    _remove_photos(activity, list(remove_photos), user)
    _add_photos(activity, list(photos), user, staged)
    return activity


@transaction.atomic
def activity_delete(*, user, activity):
    """Soft delete; photos stay on disk so that the 回收站 can bring the activity back whole."""
    require_edit(user, activity.org)
    record_soft_delete(obj=activity, user=user)


@transaction.atomic
def activity_restore(*, user, activity):
    require_edit(user, activity.org)
    if activity.org.is_deleted:
        raise ValidationError(f"所属组织“{activity.org.name}”已删除，请先恢复该组织。")
    if activity.group_id and activity.group.is_deleted:  # it went to the trash with its group
        raise ValidationError(f"关联微信群“{activity.group.name}”已删除，请先恢复该微信群，活动会随它一并恢复。")
    record_restore(obj=activity, user=user)
