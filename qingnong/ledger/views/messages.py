from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import edit_conflict, paginate, run_service

from ..forms.messages import MessageFilterForm, MessageForm, target_key
from ..models import MessageRecord
from ..selectors import messages as selectors
from ..services import messages as services
from .. import exports
from .common import org_for_user, xlsx_export

CONFLICT_FIELDS = ["target", "period_start", "period_end", "count", "category", "theme", "title", "link"]


def _message_for_user(request, message_id, *, rw=False):
    return get_for_user(request, MessageRecord.objects.select_related("org", "group", "account"), message_id, rw=rw)


def _save(form, service, **kwargs):
    """run_service; a DuplicateWarning also leaves its overlapping records on the form,
    which then asks for the confirmation checkbox."""
    def call():
        try:
            return service(**kwargs)
        except services.DuplicateWarning as warning:
            form.ask_confirmation(warning.overlaps)
            raise
    return run_service(form, call)


def message_list(request, org_id):
    org = org_for_user(request, org_id)
    groups, accounts = selectors.message_targets(request.user, org)
    form = MessageFilterForm(request.GET, groups=groups, accounts=accounts)
    records = selectors.message_list(request.user, org, **form.filters())
    context = {"org": org, "form": form, "page": paginate(request, records), "totals": selectors.message_totals(records)}
    return render(request, "ledger/_message_rows.html" if request.htmx else "ledger/message_list.html", context)


@require_GET
def message_export(request, org_id):
    """The whole filtered list as .xlsx; any role in scope, as the page."""
    org = org_for_user(request, org_id)
    groups, accounts = selectors.message_targets(request.user, org)
    form = MessageFilterForm(request.GET, groups=groups, accounts=accounts)
    records = selectors.message_list(request.user, org, **form.filters())
    return xlsx_export(request, exports.MESSAGES, org=org, rows=records, form=form, list_url="ledger:messages")


@role_required(Role.REPORTER, after_scope=True)
def message_create(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    groups, accounts = selectors.message_targets(request.user, org)
    form = MessageForm(request.POST or None, groups=groups, accounts=accounts,
                       initial={"period_start": today(), "count": 1, "target": request.GET.get("target", "")})
    if request.method == "POST" and form.is_valid():
        ok, record = _save(form, services.message_create, user=request.user, **form.service_fields())
        if ok:
            flash.success(request, f"已记录：{record.group or record.account} {record.get_category_display()} {record.count} 条。")
            if "again" in request.POST:
                return redirect("ledger:message-create", org_id=org.pk)
            return redirect("ledger:messages", org_id=org.pk)
    return render(request, "ledger/message_form.html", {"org": org, "form": form})


@role_required(Role.REPORTER, after_scope=True)
def message_edit(request, message_id):
    record = _message_for_user(request, message_id, rw=True)
    groups, accounts = selectors.message_targets(request.user, record.org)
    initial = {f: getattr(record, f) for f in ("period_start", "period_end", "count", "category", "theme", "title", "link", "version")}
    form = MessageForm(request.POST or None, groups=groups, accounts=accounts, initial={**initial, "target": target_key(record)})
    conflict = None
    if request.method == "POST" and form.is_valid():
        ok, _ = _save(form, services.message_update, user=request.user, message=record,
                      expected_version=form.cleaned_data["version"], **form.service_fields())
        if ok:
            flash.success(request, "已保存。")
            return redirect("ledger:messages", org_id=record.org_id)
        # Someone saved in between: show both versions; saving again keeps what you typed.
        if not form.overlaps:
            conflict = edit_conflict(form, record, CONFLICT_FIELDS, theirs=lambda current: {"target": target_key(current)})
    return render(request, "ledger/message_form.html", {"org": record.org, "record": record, "form": form, "conflict": conflict})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def message_delete(request, message_id):
    record = _message_for_user(request, message_id, rw=True)
    services.message_delete(user=request.user, message=record)
    flash.success(request, f"已删除“{record}”，可在回收站恢复。")
    return redirect("ledger:messages", org_id=record.org_id)


urls = [
    path("orgs/<int:org_id>/messages/", message_list, name="messages"),
    path("orgs/<int:org_id>/messages/export/", message_export, name="message-export"),
    path("orgs/<int:org_id>/messages/new/", message_create, name="message-create"),
    path("messages/<int:message_id>/edit/", message_edit, name="message-edit"),
    path("messages/<int:message_id>/delete/", message_delete, name="message-delete"),
]
