from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import edit_conflict, paginate, run_service
from qingnong.lib.svgchart import line_chart

from ..forms.accounts import AccountFilterForm, AccountForm, AdminForm, SubscriberForm
from ..models import AccountAdmin, OfficialAccount
from ..selectors import accounts as selectors
from ..services import accounts as services
from .common import org_for_user

ACCOUNT_EDIT_FIELDS = ["name", "account_type", "wechat_id", "status", "opened_on"]


def _account_for_user(request, account_id, *, rw=False):
    return get_for_user(request, OfficialAccount.objects.select_related("org"), account_id, rw=rw)


def account_list(request, org_id):
    org = org_for_user(request, org_id)
    form = AccountFilterForm(request.GET)
    form.is_valid()
    accounts = selectors.account_list(request.user, org, status=form.cleaned_data.get("status"))
    return render(request, "ledger/account_list.html", {
        "org": org, "form": form, "page": paginate(request, accounts), "totals": selectors.account_totals(accounts),
        "missing": selectors.counties_without_account(request.user, org),
        "can_create": org.level in services.ACCOUNT_LEVELS and not selectors.org_has_account(org),
    })


@role_required(Role.REPORTER, after_scope=True)
def account_create(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    if org.level not in services.ACCOUNT_LEVELS:
        messages.error(request, f"公众号由团县委或团市委设立，{org.name}不能新建公众号。")
        return redirect("ledger:accounts", org_id=org.pk)
    form = AccountForm(request.POST or None, initial={"name": services.suggested_name(org)})
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(form, services.account_create, user=request.user, org=org, **form.service_fields())
        if ok:
            official_account, _ = result  # the 青农XX warning shows on the detail page
            messages.success(request, f"已添加公众号“{official_account.name}”。")
            return redirect("ledger:account-detail", account_id=official_account.pk)
    return render(request, "ledger/account_form.html", {"org": org, "form": form})


def account_detail(request, account_id):
    official_account = _account_for_user(request, account_id)
    snapshots = list(selectors.subscriber_snapshots(request.user, official_account))
    chart = line_chart([(s.taken_on.strftime("%m-%d"), s.subscribers) for s in reversed(snapshots)])
    return render(request, "ledger/account_detail.html", {
        "oa": official_account, "admins": selectors.account_admins(request.user, official_account),
        "snapshots": snapshots[:12], "chart": chart, "name_warnings": services.account_warnings(official_account),
    })


@role_required(Role.REPORTER, after_scope=True)
def account_edit(request, account_id):
    official_account = _account_for_user(request, account_id, rw=True)
    initial = {f: getattr(official_account, f) for f in [*ACCOUNT_EDIT_FIELDS, "version"]}
    form = AccountForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.account_update, user=request.user, official_account=official_account,
                                 expected_version=form.cleaned_data["version"], **form.service_fields())
        if ok:
            messages.success(request, "已保存。")
            return redirect("ledger:account-detail", account_id=official_account.pk)
        # Someone saved in between: show both versions; saving again keeps what you typed.
        conflict = edit_conflict(form, official_account, ACCOUNT_EDIT_FIELDS)
    return render(request, "ledger/account_form.html", {
        "org": official_account.org, "oa": official_account, "form": form, "conflict": conflict})


@role_required(Role.REPORTER, after_scope=True)
def admin_add(request, account_id):
    official_account = _account_for_user(request, account_id, rw=True)
    query = request.GET.get("q", "").strip()[:50]
    candidates = selectors.admin_candidates(request.user, official_account)
    if query:
        candidates = candidates.filter(Q(name__icontains=query) | Q(org__name__icontains=query))
    form = AdminForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        ok, admin = run_service(form, services.admin_add, user=request.user, official_account=official_account,
                                cadre=form.cleaned_data["cadre"], role=form.cleaned_data["role"])
        if ok:
            messages.success(request, f"已将{admin.cadre.name}设为{admin.get_role_display()}管理员。")
            return redirect("ledger:account-detail", account_id=official_account.pk)
    return render(request, "ledger/account_admin_form.html", {"oa": official_account, "form": form, "q": query})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def account_delete(request, account_id):
    official_account = _account_for_user(request, account_id, rw=True)
    services.account_delete(user=request.user, official_account=official_account)
    messages.success(request, f"已删除公众号“{official_account.name}”，可在回收站恢复。")
    return redirect("ledger:accounts", org_id=official_account.org_id)


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def admin_remove(request, admin_id):
    admin = get_for_user(request, AccountAdmin.objects.select_related("account__org", "cadre"), admin_id, rw=True)
    services.admin_remove(user=request.user, admin=admin)
    messages.success(request, f"已将{admin.cadre.name}移出“{admin.account.name}”的管理员。")
    return redirect("ledger:account-detail", account_id=admin.account_id)


@role_required(Role.REPORTER, after_scope=True)
def subscriber_add(request, account_id):
    official_account = _account_for_user(request, account_id, rw=True)
    form = SubscriberForm(request.POST or None, initial={"taken_on": today(), "subscribers": official_account.subscribers})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = run_service(form, services.subscriber_record, user=request.user, official_account=official_account,
                            taken_on=data["taken_on"], subscribers=data["subscribers"])
        if ok:
            messages.success(request, f"已记录 {data['taken_on']} 的关注人数：{data['subscribers']} 人。")
            return redirect("ledger:account-detail", account_id=official_account.pk)
    return render(request, "ledger/account_subscribers_form.html", {"oa": official_account, "form": form})


urls = [
    path("orgs/<int:org_id>/accounts/", account_list, name="accounts"),
    path("orgs/<int:org_id>/accounts/new/", account_create, name="account-create"),
    path("accounts/<int:account_id>/", account_detail, name="account-detail"),
    path("accounts/<int:account_id>/edit/", account_edit, name="account-edit"),
    path("accounts/<int:account_id>/delete/", account_delete, name="account-delete"),
    path("accounts/<int:account_id>/admins/new/", admin_add, name="account-admin-add"),
    path("accounts/<int:account_id>/subscribers/", subscriber_add, name="subscriber-add"),
    path("admins/<int:admin_id>/remove/", admin_remove, name="account-admin-remove"),
]
