"""Serving uploaded files to signed-in users only: MEDIA_ROOT has no public URL."""
import mimetypes

from django.http import FileResponse, Http404


def private_file_response(field_file, *, content_type=None):
    """A FileResponse for an uploaded file the caller has already checked the user may see."""
    if not field_file:
        raise Http404("文件不存在")
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在")
    response = FileResponse(handle, content_type=content_type or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=86400"
    return response
