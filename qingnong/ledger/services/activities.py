"""Writes of offline activities (线下活动) and their photos.

Photos come from phones: every upload is opened with Pillow (the name and the browser's
content type prove nothing), must be JPEG, PNG or WebP of at most 8 MB, and is stored
re-encoded as a JPEG of at most 1600 px on the long side. Re-encoding drops EXIF, so
the GPS position and the phone model never reach the server's disk."""
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, check_version, record_restore, record_soft_delete, save_edit
from qingnong.lib.dates import today
from qingnong.org.scoping import in_scope, require_edit

from ..models import Activity, ActivityPhoto, Source

ACTIVITY_FIELDS = ["held_on", "activity_type", "title", "participants", "group", "note"]
MAX_PHOTOS = 9  # 一条活动最多 9 张（一屏九宫格）
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 50-megapixel phone photo; larger is a decompression bomb
PHOTO_SIDE = 1600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_problem(upload):
    """Why `upload` cannot be an activity photo (a Chinese sentence naming the file), or "".
    Reads only the image header: cheap enough for a form's clean()."""
    name = upload.name or "照片"
    if upload.size > MAX_PHOTO_BYTES:
        return f"“{name}”有 {upload.size / 1024 / 1024:.1f} MB，超过 8 MB，请压缩后再上传。"
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in PHOTO_FORMATS:
                return f"“{name}”是 {image.format} 图片，只能上传 JPG、PNG 或 WebP 照片。"
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                return f"“{name}”尺寸过大（{width}×{height}），请缩小后再上传。"
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return f"“{name}”不是图片，或图片格式无法识别。只能上传 JPG、PNG 或 WebP 照片。"
    finally:
        upload.seek(0)
    return ""


def photo_problems(uploads, *, existing=0):
    problems = [p for p in (photo_problem(u) for u in uploads) if p]
    if existing + len(uploads) > MAX_PHOTOS:
        problems.append(f"每个活动最多 {MAX_PHOTOS} 张照片（已有 {existing} 张，本次选择了 {len(uploads)} 张）。")
    return problems


def photo_jpeg(upload):
    """The stored version: upright, at most 1600 px, RGB JPEG without EXIF."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.draft("RGB", (PHOTO_SIDE, PHOTO_SIDE))  # JPEG: decode at a reduced scale, much faster
        image = ImageOps.exif_transpose(image)  # phones store portrait photos sideways + a tag
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = image.convert("RGB")
        image.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _jpegs(uploads, existing):
    """Every upload re-encoded, or one ValidationError listing every bad file."""
    problems = photo_problems(uploads, existing=existing)
    jpegs = []
    if not problems:
        for upload in uploads:
            try:
                jpegs.append(photo_jpeg(upload))
            except Exception:  # a truncated or corrupt file: Pillow raises many kinds
                problems.append(f"“{upload.name}”已损坏，无法打开，请重新拍摄或导出后再上传。")
    if problems:
        raise ValidationError({"photos": problems})
    return jpegs


def _add_photos(activity, uploads, account):
    jpegs = _jpegs(uploads, activity.photos.count())
    for content in jpegs:
        photo = ActivityPhoto(activity=activity)
        photo.image.save(content.name, content, save=False)
        photo.save()
    if jpegs:
        audit_log(obj=activity, action=AuditAction.UPDATE, user=account, note=f"上传照片 {len(jpegs)} 张")


def _remove_photos(activity, photo_ids, account):
    photos = list(activity.photos.filter(pk__in=photo_ids))
    for photo in photos:
        name = photo.image.name
        photo.delete()
        # The file goes only once the row is surely gone.
        transaction.on_commit(lambda name=name: ActivityPhoto._meta.get_field("image").storage.delete(name))
    if photos:
        audit_log(obj=activity, action=AuditAction.UPDATE, user=account, note=f"删除照片 {len(photos)} 张")


def _check_activity(activity, account):
    errors = {}
    if activity.held_on and activity.held_on > today():
        errors["held_on"] = "活动日期不能晚于今天。"
    if activity.group_id:
        group = activity.group
        if group.is_deleted or not group.org.path.startswith(activity.org.path) or not in_scope(account, group.org):
            errors["group"] = "关联的微信群须属于本组织或其下级。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, account, org, held_on, activity_type, title, participants=0, group=None, note="",
                    photos=(), source=Source.MANUAL):
    """Record an offline activity held by `org`, with up to 9 photos."""
    require_edit(account, org)
    activity = Activity(org=org, held_on=held_on, activity_type=activity_type, title=title, participants=participants,
                        group=group, note=note or "", source=source, entered_by=account)
    _check_activity(activity, account)
    activity.full_clean()
    activity._history_user = account
    activity.save()
    _add_photos(activity, list(photos), account)
    return activity


@transaction.atomic
def activity_update(*, account, activity, expected_version, photos=(), remove_photos=(), **fields):
    """Change an activity seen at `expected_version`; remove the photos named by id and add new ones."""
    require_edit(account, activity.org)
    activity = Activity.objects.select_for_update(of=("self",)).select_related("org").get(pk=activity.pk)
    check_version(activity, expected_version)
    for key, value in fields.items():
        if key in ACTIVITY_FIELDS:
            setattr(activity, key, "" if value is None and key == "note" else value)
    _check_activity(activity, account)
    activity.entered_by = account
    save_edit(activity, account=account)
    _remove_photos(activity, list(remove_photos), account)
    _add_photos(activity, list(photos), account)
    return activity


@transaction.atomic
def activity_delete(*, account, activity):
    """Soft delete; photos stay on disk so that the 回收站 can bring the activity back whole."""
    require_edit(account, activity.org)
    record_soft_delete(obj=activity, user=account)


@transaction.atomic
def activity_restore(*, account, activity):
    require_edit(account, activity.org)
    if activity.org.is_deleted:
        raise ValidationError(f"所属组织“{activity.org.name}”已删除，请先恢复该组织。")
    record_restore(obj=activity, user=account)
