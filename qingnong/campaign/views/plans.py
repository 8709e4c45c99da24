"""附件1 on screen: the list of county plans, and one county's plan with its workflow
草稿 → 已提交 → 退回 → 已审核 (services.plan_*). A county reads its own plan, the city
every county's; a township reads the plan of the county it works under."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, relation_required, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import conflict_rows, run_service
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import governing, in_scope, is_above, is_own_org

from .. import selectors, services
from ..forms import NUMBER_FIELDS, PlanForm, ReasonForm, plan_rows
from ..models import DeadlineKind, PlanStatus

FILL_DENIED = "计划表由县区团委本级的管理员或填报员填写。"
REVIEW_DENIED = "计划表由上级团委的管理员审核。"


def _campaign(request):
    year = request.GET.get("year", "")
    return selectors.current_campaign(request.user, year=int(year) if year.isdigit() else None)


def _county(request, county_id):
    """A county whose plan the user may read: in their subtree, or the county they work under."""
    county = governing(Org.objects.filter(level=OrgLevel.COUNTY), request.user).filter(pk=county_id).first()
    if county is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return county


def _plan_url(request, county):
    url = reverse("campaign:plan-detail", kwargs={"county_id": county.pk})
    return f"{url}?year={request.GET['year']}" if request.GET.get("year", "").isdigit() else url


def _due(campaign):
    return next((d.due_on for d in campaign.deadlines.all() if d.kind == DeadlineKind.PLAN_DUE), None)


def plan_list(request):
    campaign = _campaign(request)
    rows = list(selectors.plan_list(request.user, campaign=campaign)) if campaign else []
    for row in rows:
        row.plan_status_label = PlanStatus(row.plan_status).label if row.plan_status else ""
    due = _due(campaign) if campaign else None
    counts = [(label, sum(1 for r in rows if r.plan_status == value)) for value, label in PlanStatus.choices]
    counts.append(("未填报", sum(1 for r in rows if r.plan_status is None)))
    return render(request, "campaign/plan_list.html", {
        "campaign": campaign, "rows": rows, "due": due, "overdue": bool(due and today() > due), "counts": counts,
    })


def plan_detail(request, county_id):
    """The plan form for the county's own admin or reporter while it is a draft or returned;
    read-only for everyone else, with the reviewer's buttons for the city."""
    county = _county(request, county_id)
    campaign = _campaign(request)
    if campaign is None:
        return render(request, "campaign/plan_detail.html", {"county": county})
    user = request.user
    plan = selectors.county_plan(user, campaign=campaign, county=county)
    can_fill = is_own_org(user, county) and user.can_edit
    if plan:
        initial = PlanForm.initial_for(plan)
    else:
        prefill = services.plan_prefill(campaign=campaign, county=county)
        initial = {**dict.fromkeys(NUMBER_FIELDS, 0), **prefill, "version": 0,
                   "account_type": prefill["account_type"] if prefill["account_opened"] else ""}
    form = PlanForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied(FILL_DENIED)
        if form.is_valid():
            saved, conflict = _save(request, form, campaign=campaign, county=county)
            if saved:
                return redirect(_plan_url(request, county))
        plan = selectors.county_plan(user, campaign=campaign, county=county)  # a draft may have been saved
    as_of = selectors.default_as_of(campaign)
    figures = selectors.plan_ledger_figures(user, county, as_of=as_of)
    due = _due(campaign)
    return render(request, "campaign/plan_detail.html", {
        "county": county, "campaign": campaign, "plan": plan, "form": form, "conflict": conflict, "as_of": as_of,
        "rows": plan_rows(form, figures=figures, campaign=campaign, county=county),
        "editable": can_fill and (plan is None or plan.is_editable()),
        "can_review": is_above(user, county) and user.can_manage_users, "can_see_history": in_scope(user, county),
        "due": due, "overdue": bool(due and today() > due), "reason_form": ReasonForm(),
        "year_query": f"?year={campaign.year}" if request.GET.get("year") else "",
    })


def _save(request, form, *, campaign, county):
    """Save the draft, and submit it if asked. Returns (done, conflict rows)."""
    version = form.cleaned_data["version"] or 0  # 0: the form was shown before any plan existed
    ok, plan = run_service(form, services.plan_save, user=request.user, campaign=campaign, county=county,
                           expected_version=version, **form.service_fields())
    if not ok:
        current = selectors.county_plan(request.user, campaign=campaign, county=county)
        if current and current.version != version:
            # Someone saved in between: show both versions; saving again keeps what you typed.
            form.data = form.data.copy()
            form.data["version"] = current.version
            return False, conflict_rows(form, current, PlanForm.CONFLICT_FIELDS)
        return False, None
    if request.POST.get("action") != "submit":
        messages.success(request, "已保存草稿。确认无误后请点“提交审核”。")
        return True, None
    ok, submitted = run_service(form, services.plan_submit, user=request.user, plan=plan)
    if ok:
        late = "（已过截止日期，标记为逾期）" if submitted.is_late else ""
        messages.success(request, f"计划表已提交{late}，等待上级审核。")
        return True, None
    messages.warning(request, "草稿已保存，但还不能提交：请按提示修改后再提交。")
    form.data = form.data.copy()
    form.data["version"] = plan.version  # the draft just saved
    return False, None


def _review(request, county_id, service, done, *, reason_label=None):
    """The reviewer's move on a county's plan; any refusal comes back as a message."""
    county = _county(request, county_id)
    if not is_above(request.user, county):
        raise PermissionDenied(REVIEW_DENIED)
    check_role(request)
    campaign = _campaign(request)
    plan = selectors.county_plan(request.user, campaign=campaign, county=county) if campaign else None
    if plan is None:
        messages.error(request, f"{county.name}尚未填写计划表。")
        return redirect(_plan_url(request, county))
    kwargs = {}
    if reason_label:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"请写明{reason_label}。")
            return redirect(_plan_url(request, county))
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(user=request.user, plan=plan, **kwargs)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done.format(county=county.name))
    return redirect(_plan_url(request, county))


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(is_above)
def plan_return(request, county_id):
    return _review(request, county_id, services.plan_return, "已将{county}的计划表退回修改。", reason_label="退回原因")


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(is_above)
def plan_approve(request, county_id):
    return _review(request, county_id, services.plan_approve, "{county}的计划表已审核通过，现已锁定。")


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(is_above)
def plan_unlock(request, county_id):
    return _review(request, county_id, services.plan_unlock, "已解锁{county}的计划表，县区可以修改后重新提交。",
                   reason_label="解锁原因")


urls = [
    path("plans/", plan_list, name="plan-list"),
    path("plans/<int:county_id>/", plan_detail, name="plan-detail"),
    path("plans/<int:county_id>/return/", plan_return, name="plan-return"),
    path("plans/<int:county_id>/approve/", plan_approve, name="plan-approve"),
    path("plans/<int:county_id>/unlock/", plan_unlock, name="plan-unlock"),
]
