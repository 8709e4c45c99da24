"""操作记录 (an org's and a record's history) and the 回收站 (every app's deleted records)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, role_required
from qingnong.lib.forms import paginate
from qingnong.org.models import Org
from qingnong.org.scoping import get_scoped_or_404

from qingnong.audit.models import AuditAction
from qingnong.audit.registry import restore_service
from qingnong.audit.services import restore_trashed

from .. import selectors


def org_history(request, org_id):
    org = get_scoped_or_404(Org.objects.all(), request.user, pk=org_id)
    action = request.GET.get("action", "")
    page = paginate(request, selectors.org_history(request.user, org, action=action if action in AuditAction.values else ""))
    return render(request, "audit/history.html", {"org": org, "page": page, "actions": AuditAction.choices, "action": action})


def record_history(request, model_key, object_id):
    record = selectors.tracked_record_or_404(request.user, model_key, object_id)
    page = paginate(request, selectors.record_history(request.user, record))
    return render(request, "audit/history.html", {"record": record, "page": page})


def trash(request):
    sections = [(key, label, paginate(request, rows)) for key, label, rows in selectors.trash(request.user)]
    return render(request, "audit/trash.html", {"sections": sections})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def restore(request, model_key, object_id):
    if restore_service(model_key) is None:
        raise Http404("记录不存在")
    record = selectors.tracked_record_or_404(request.user, model_key, object_id)
    check_role(request)  # in scope: the record's owner org is in the user's subtree
    if not record.is_deleted:
        messages.info(request, f"“{record}”未被删除。")
        return redirect("portal:trash")
    try:
        warnings = restore_trashed(model_key, user=request.user, record=record)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已恢复“{record}”。")
        for warning in warnings or []:
            messages.warning(request, warning)
    return redirect("portal:trash")


urls = [
    path("orgs/<int:org_id>/history/", org_history, name="org-history"),
    path("history/<str:model_key>/<int:object_id>/", record_history, name="record-history"),
    path("trash/", trash, name="trash"),
    path("trash/<str:model_key>/<int:object_id>/restore/", restore, name="restore"),
]
