from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.forms import edit_conflict, paginate, run_service

from ..forms.cadres import CadreFilterForm, CadreForm
from ..models import Cadre
from ..selectors import cadres as selectors
from ..services import cadres as services
from .. import exports
from ..targets import youths_per_cadre
from .common import org_for_user, xlsx_export

CADRE_EDIT_FIELDS = ["name", "position", "mobile", "wechat_id", "qq", "is_grassroots", "youths_reached"]


def _cadre_for_user(request, cadre_id, *, rw=False):
    return get_for_user(request, Cadre.objects.select_related("org"), cadre_id, rw=rw)


def cadre_list(request, org_id):
    org = org_for_user(request, org_id)
    form = CadreFilterForm(request.GET)
    target = youths_per_cadre(request.user)  # the campaign's 每名基层团干部联系青年不少于 N 名
    cadres = selectors.cadre_list(request.user, org, target=target, **form.filters())
    context = {"org": org, "form": form, "page": paginate(request, cadres),
               "totals": selectors.cadre_totals(cadres, target=target)}
    return render(request, "ledger/_cadre_rows.html" if request.htmx else "ledger/cadre_list.html", context)


@require_GET
def cadre_export(request, org_id):
    """The whole filtered list as .xlsx; phones and WeChat IDs masked for viewers, as on the page."""
    org = org_for_user(request, org_id)
    form = CadreFilterForm(request.GET)
    cadres = selectors.cadre_list(request.user, org, **form.filters())
    # The owned groups the page prefetches are not exported.
    return xlsx_export(request, exports.CADRES, org=org, rows=cadres.prefetch_related(None), form=form,
                       list_url="ledger:cadres")


@role_required(Role.REPORTER, after_scope=True)
def cadre_create(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    form = CadreForm(request.POST or None, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        ok, cadre = run_service(form, services.cadre_create, user=request.user, org=form.cleaned_data["org"],
                                **form.service_fields())
        if ok:
            messages.success(request, f"已添加团干部“{cadre.name}”。")
            return redirect("ledger:cadre-detail", cadre_id=cadre.pk)
    return render(request, "ledger/cadre_form.html", {"org": org, "form": form})


def cadre_detail(request, cadre_id):
    cadre = _cadre_for_user(request, cadre_id)
    groups, roles = selectors.cadre_detail_extras(request.user, cadre)
    target = youths_per_cadre(request.user)
    return render(request, "ledger/cadre_detail.html", {"cadre": cadre, "groups": groups, "roles": roles,
                                                        "target": target, "gap": cadre.gap_to(target)})


@role_required(Role.REPORTER, after_scope=True)
def cadre_edit(request, cadre_id):
    cadre = _cadre_for_user(request, cadre_id, rw=True)
    initial = {f: getattr(cadre, f) for f in [*CADRE_EDIT_FIELDS, "version"]}
    form = CadreForm(request.POST or None, user=request.user, org=cadre.org, cadre=cadre, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.cadre_update, user=request.user, cadre=cadre,
                            expected_version=form.cleaned_data["version"], **form.service_fields())
        if ok:
            messages.success(request, "已保存。")
            return redirect("ledger:cadre-detail", cadre_id=cadre.pk)
        # Someone saved in between: show both versions; saving again keeps what you typed.
        conflict = edit_conflict(form, cadre, ["name", "position", "mobile", "wechat_id", "qq", "youths_reached"])
    return render(request, "ledger/cadre_form.html", {"org": cadre.org, "cadre": cadre, "form": form, "conflict": conflict})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def cadre_delete(request, cadre_id):
    cadre = _cadre_for_user(request, cadre_id, rw=True)
    try:
        services.cadre_delete(user=request.user, cadre=cadre)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("ledger:cadre-detail", cadre_id=cadre.pk)
    messages.success(request, f"已删除团干部“{cadre.name}”，可在回收站恢复。")
    return redirect("ledger:cadres", org_id=cadre.org_id)


urls = [
    path("orgs/<int:org_id>/cadres/", cadre_list, name="cadres"),
    path("orgs/<int:org_id>/cadres/export/", cadre_export, name="cadre-export"),
    path("orgs/<int:org_id>/cadres/new/", cadre_create, name="cadre-create"),
    path("cadres/<int:cadre_id>/", cadre_detail, name="cadre-detail"),
    path("cadres/<int:cadre_id>/edit/", cadre_edit, name="cadre-edit"),
    path("cadres/<int:cadre_id>/delete/", cadre_delete, name="cadre-delete"),
]
