"""An oversized upload is refused before Django reads its body (qingnong/lib/upload_limit.py)."""
import io
from tempfile import SpooledTemporaryFile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import resolve, reverse

from qingnong.lib.upload_limit import MB, UploadLimitMiddleware
from qingnong.reports import importer
from qingnong.reports.models import ImportRun
from qingnong.reports.tests import corpus as C

GB = 1024 * MB
# the test client encodes data sent as MULTIPART_CONTENT; this spelling passes bytes through
RAW_MULTIPART = f"multipart/form-data;boundary={BOUNDARY}"


class ReadCounter(io.BytesIO):
    """A wsgi.input that remembers how many bytes were taken from it."""

    taken = 0

    def read(self, size=-1):
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.taken += len(data)
        return data


def multipart(file_bytes):
    return encode_multipart(BOUNDARY, {"form_code": "progress", "file": SimpleUploadedFile("big.xlsx", file_bytes)})


def upload_url(org):
    return reverse("reports:import-upload", kwargs={"org_id": org.pk})


@pytest.fixture
def view_calls(monkeypatch):
    """Counts calls into the import view (its first step asks the importer for the county)."""
    calls = []
    real = importer.county_for
    monkeypatch.setattr(importer, "county_for", lambda org: calls.append(org) or real(org))
    return calls


def test_defaults_leave_room_for_the_import_and_the_photo_forms():
    assert settings.MIDDLEWARE.index("qingnong.lib.upload_limit.UploadLimitMiddleware") < settings.MIDDLEWARE.index(
        "django.middleware.csrf.CsrfViewMiddleware")
    assert settings.FILE_UPLOAD_HANDLERS[0] == "qingnong.lib.upload_limit.UploadLimitHandler"
    assert importer.MAX_UPLOAD < settings.QINGNONG_MAX_REQUEST_BYTES <= 16 * MB
    # several 8 MB photos in one POST: 9 on an activity, up to 20 on an inspection
    from qingnong.inspection.services.inspections import MAX_PHOTOS as INSPECTION_PHOTOS
    from qingnong.ledger.services.activities import MAX_PHOTOS as ACTIVITY_PHOTOS
    from qingnong.lib.photos import MAX_PHOTO_BYTES
    urls = {
        "ledger:activity-create": reverse("ledger:activity-create", kwargs={"org_id": 1}),
        "ledger:activity-edit": reverse("ledger:activity-edit", kwargs={"activity_id": 1}),
        "inspection:photo-add": reverse("inspection:photo-add", kwargs={"inspection_id": 1}),
    }
    assert set(urls) == set(settings.QINGNONG_MAX_REQUEST_BYTES_BY_URL)
    for name, url in urls.items():
        assert resolve(url).view_name == name
        assert settings.QINGNONG_MAX_REQUEST_BYTES_BY_URL[name] > max(INSPECTION_PHOTOS, ACTIVITY_PHOTOS) * MAX_PHOTO_BYTES


def test_large_content_length_is_refused_with_413_before_the_view(client_for, world, view_calls):
    client = client_for(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), data=multipart(b"PK\x03\x04"), content_type=RAW_MULTIPART,
                           CONTENT_LENGTH=str(2 * GB))
    body = response.content.decode()
    assert response.status_code == 413
    assert "上传的文件太大（2048.0 MB），最大 10 MB。请压缩或拆分后再上传。" in body
    assert "<html" in body and "青农台帐" in body  # the site's page, not a bare message
    assert view_calls == [] and not ImportRun.objects.exists()


def test_htmx_gets_the_message_as_a_fragment(client_for, world, view_calls):
    client = client_for(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), data=multipart(b"PK\x03\x04"), content_type=RAW_MULTIPART,
                           CONTENT_LENGTH=str(50 * MB), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 413 and "<html" not in body and "<body" not in body
    assert 'role="alert"' in body and "上传的文件太大（50.0 MB），最大 10 MB。" in body
    assert view_calls == []


def test_the_body_is_not_read():
    """The middleware answers from the header alone: not one byte of the body is taken."""
    body = multipart(b"x" * 1000)
    stream = ReadCounter(body)
    request = RequestFactory().post("/reports/orgs/1/import/", data=body, content_type=RAW_MULTIPART)
    request.environ["wsgi.input"] = stream
    request = WSGIRequest({**request.environ, "CONTENT_LENGTH": str(3 * GB)})
    request.resolver_match = None
    calls = []
    response = UploadLimitMiddleware(lambda r: calls.append(r)).process_view(request, lambda r: calls.append(r), (), {})
    assert response.status_code == 413 and calls == [] and stream.taken == 0


def test_normal_import_upload_still_works(client_for, world, view_calls):
    client = client_for(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), {"form_code": "progress", "file": SimpleUploadedFile(
        "榆阳区附件3.xlsx", C.to_xlsx(C.progress_sheet()), content_type="application/octet-stream")})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:import-detail", kwargs={"run_id": run.pk})
    assert len(view_calls) == 1


def test_a_file_just_over_10_mb_still_gets_the_forms_own_message(client_for, world):
    """Under the request limit, over the import's: the view runs and says why (not a 413)."""
    client = client_for(world.county_a_reporter)
    response = client.post(upload_url(world.county_a), {"form_code": "progress", "file": SimpleUploadedFile(
        "big.xlsx", b"PK\x03\x04" + bytes(10 * MB))})
    assert response.status_code == 200 and "文件太大（10.0 MB），最大 10 MB。" in response.content.decode()


def test_get_and_small_posts_pass(client_for, world):
    client = client_for(world.county_a_reporter)
    assert client.get(upload_url(world.county_a), CONTENT_LENGTH=str(GB)).status_code == 200


def wsgi_request(body, *, content_length):
    environ = RequestFactory().post("/reports/orgs/1/import/", data=body, content_type=RAW_MULTIPART).environ
    stream = ReadCounter(body)
    environ = {**environ, "wsgi.input": stream}
    if content_length is None:
        environ.pop("CONTENT_LENGTH", None)
    else:
        environ["CONTENT_LENGTH"] = str(content_length)
    request = WSGIRequest(environ)
    request.resolver_match = None
    return request, stream


def test_without_content_length_django_reads_nothing_of_the_body(settings):
    """Under WSGI a chunked body (no Content-Length) is not read at all: nothing is spooled."""
    settings.QINGNONG_MAX_REQUEST_BYTES = 1 * MB
    body = multipart(b"x" * (3 * MB))
    request, stream = wsgi_request(body, content_length=None)
    assert UploadLimitMiddleware(lambda r: None).process_view(request, None, (), {}) is None
    assert not request.FILES and stream.taken == 0


def test_upload_handler_stops_the_body_at_the_limit(settings):
    """With the header check out of the way (an understated or missing Content-Length), the
    first upload handler stops parsing past the limit: the rest of the body is not read."""
    settings.QINGNONG_MAX_REQUEST_BYTES = 1 * MB
    body = multipart(b"x" * (8 * MB))
    request, stream = wsgi_request(body, content_length=len(body))
    assert not request.FILES  # the file was dropped, nothing stored
    assert request.upload_limit_refused > 1 * MB
    assert stream.taken < 2 * MB  # of an 8 MB body


def test_understated_content_length_is_answered_413_by_the_middleware(settings):
    """ASGI passes the body as received, whatever Content-Length says: the handler stops it
    and the middleware answers 413 with the message instead of letting the view run."""
    settings.QINGNONG_MAX_REQUEST_BYTES = 1 * MB
    body = multipart(b"x" * (3 * MB))
    body_file = SpooledTemporaryFile()
    body_file.write(body)
    body_file.seek(0)
    scope = {"type": "http", "method": "POST", "path": "/reports/orgs/1/import/", "query_string": b"",
             "headers": [(b"content-type", MULTIPART_CONTENT.encode()), (b"content-length", b"1000")]}
    request = ASGIRequest(scope, body_file)
    request.resolver_match = None
    calls = []
    response = UploadLimitMiddleware(lambda r: None).process_view(request, lambda r: calls.append(r), (), {})
    assert response is not None and response.status_code == 413 and calls == []
    assert "上传的文件太大" in response.content.decode()
