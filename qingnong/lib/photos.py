"""Photos from phones, for activities and inspections alike.

Every upload is opened with Pillow (the name and the browser's content type prove nothing),
must be JPEG, PNG or WebP of at most 8 MB, and is stored re-encoded as a JPEG of at most
1600 px on the long side. Re-encoding drops EXIF, so the GPS position and the phone model
never reach the server's disk. Each caller sets its own limit on the number of photos."""
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 50-megapixel phone photo; larger is a decompression bomb
PHOTO_SIDE = 1600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_problem(upload):
    """Why `upload` cannot be a photo (a Chinese sentence naming the file), or "".
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


def photo_problems(uploads, *, existing=0, limit, what):
    """Every bad file and, past `limit` photos (with `existing` ones), the count: "每个活动最多 9 张照片…"."""
    problems = [p for p in (photo_problem(u) for u in uploads) if p]
    if existing + len(uploads) > limit:
        problems.append(f"{what}最多 {limit} 张照片（已有 {existing} 张，本次选择了 {len(uploads)} 张）。")
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


def photo_jpegs(uploads, *, existing=0, limit, what):
    """Every upload re-encoded, or one ValidationError listing every bad file."""
    uploads = list(uploads)
    problems = photo_problems(uploads, existing=existing, limit=limit, what=what)
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
