"""Fetching an org for a ledger view (accounts.permissions.get_for_user); a list's export."""
import tempfile

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse

from qingnong.audit.services import audit_export
from qingnong.lib.dates import today
from qingnong.org.models import Org
from qingnong.accounts.permissions import get_for_user
from qingnong.lib.xlsx import write_workbook

from .. import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def org_for_user(request, org_id, *, rw=False):
    """The org in the user's scope (else 404); with `rw`, one the user may change (else 403)."""
    return get_for_user(request, Org.objects.all(), org_id, rw=rw)


def xlsx_export(request, export, *, org, rows, form, list_url):
    """The whole filtered list `rows` (the page's own selector) as an .xlsx download, written
    to a temporary file with rows streamed, as reports' form exports are. Past
    exports.MAX_ROWS no file: back to the list, same filters, with a message."""
    n = rows.count()
    if n > exports.MAX_ROWS:
        messages.error(request, exports.too_many_message(n))
        query = request.GET.urlencode()
        return redirect(f"{reverse(list_url, args=[org.pk])}{'?' + query if query else ''}")
    day = today()
    filters = exports.filter_text(form)
    sheet = export.sheet(org=org, rows=rows, user=request.user, filters=filters, exported_on=day)
    audit_export(org=org, user=request.user, what=f"{export.title}（{filters or '全部'}，共 {n} 条）")
    target = tempfile.TemporaryFile()
    write_workbook(target, [sheet])
    target.seek(0)
    # FileResponse writes the RFC 5987 filename* for the Chinese name (as reports' form_xlsx).
    return FileResponse(target, as_attachment=True, filename=export.file_name(org, day), content_type=XLSX)
