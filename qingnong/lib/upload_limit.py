"""Refuse an oversized upload before Django reads its body.

The forms check their own limits (the Excel import 10 MB, a photo 8 MB), but only after
Django has read and spooled the whole body to disk: a 2 GB POST would fill the temp dir and
hold a worker. The reverse proxy in front of a county's intranet may not be ours, so:

- `UploadLimitMiddleware` answers 413 when the request's Content-Length is over the limit,
  before CSRF or any view reads request.POST (nothing of the body is read);
- `UploadLimitHandler`, first in FILE_UPLOAD_HANDLERS, stops parsing once the file data
  passes the limit, for a body whose Content-Length is missing or understated (ASGI hands
  Django the body it received; under WSGI a body without Content-Length is never read).

The limit is settings.QINGNONG_MAX_REQUEST_BYTES; URL names listed in
settings.QINGNONG_MAX_REQUEST_BYTES_BY_URL (the photo forms, which take several photos in
one POST) get their own.
"""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render

MB = 1024 * 1024
# Room for multipart framing and the other fields: a 12 MB limit is shown as "最大 10 MB".
FRAMING = 2 * MB


def request_limit(request):
    """The body size this request may have, in bytes (its URL's own limit, or the default)."""
    match = getattr(request, "resolver_match", None)
    by_url = getattr(settings, "QINGNONG_MAX_REQUEST_BYTES_BY_URL", {})
    if match is not None and match.view_name in by_url:
        return by_url[match.view_name]
    return settings.QINGNONG_MAX_REQUEST_BYTES


def too_large_response(request, *, size, limit):
    """413 with the reason in Chinese: a fragment for htmx, otherwise a page in the site's style."""
    context = {
        "size_mb": f"{size / MB:.1f}",
        "max_mb": max(1, (limit - FRAMING) // MB),
    }
    template = "errors/_413.html" if request.headers.get("HX-Request") else "errors/413.html"
    return render(request, template, context, status=413)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadLimitMiddleware:
    """Put it early in MIDDLEWARE: its process_view runs before CsrfViewMiddleware's, which
    is the first code that reads request.POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        limit = request_limit(request)
        size = _content_length(request)
        if size > limit:
            return too_large_response(request, size=size, limit=limit)
        if request.method == "POST" and request.content_type == "multipart/form-data" and size:
            # Parse now (CSRF would next) so that a body stopped by UploadLimitHandler is
            # answered here, the same way, instead of reaching the view without its files.
            request.FILES  # noqa: B018
            refused = getattr(request, "upload_limit_refused", None)
            if refused is not None:
                return too_large_response(request, size=refused, limit=limit)
        return None


class UploadLimitHandler(FileUploadHandler):
    """Counts the file bytes of one request and stops the upload past the limit, so that a body
    whose Content-Length is missing or understated is never spooled beyond it. Only counts:
    the handlers after it (memory / temporary file) store the data."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = request_limit(request) if request is not None else settings.QINGNONG_MAX_REQUEST_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_limit_refused = self.received
            # connection_reset: do not read (and throw away) the rest of the body either.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
