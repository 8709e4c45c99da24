"""Annual assessment (年度考核) and account awards (评比和奖励).

Everyone the campaign governs opens the ranking; a county sees only its own score unless
the city allows the whole ranking (Rubric.counties_see_ranking). The city admin edits the
rubric, exports the ranking and records awards."""
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, relation_required, role_required
from qingnong.audit.services import audit_export
from qingnong.campaign import selectors as campaign_selectors
from qingnong.lib.forms import run_service
from qingnong.lib.xlsx import write_workbook
from qingnong.org.scoping import in_scope

from ..exports import ranking_sheet
from ..forms.assessment import (
    AccountWeightsForm, AwardForm, RubricForm, RubricItemFormSet, rubric_items_cleaned, rubric_items_initial,
)
from ..selectors import assessment as selectors
from ..services import assessment as services

CITY_ONLY = "考核细则、排名导出和评奖由团市委管理员负责。"


def _campaign_or_404(request, campaign_id):
    campaign = (campaign_selectors.campaign_list(request.user).select_related("org")
                .prefetch_related("phases", "deadlines").filter(pk=campaign_id).first())
    if campaign is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return campaign


def _require_city_admin(request, campaign):
    """A county reads the ranking but never changes the rubric (403, as for the campaign)."""
    if not in_scope(request.user, campaign.org):
        raise PermissionDenied(CITY_ONLY)
    check_role(request)


def _can_manage(user, campaign):
    return in_scope(user, campaign.org) and user.can_manage_users


@require_safe
def assessment_home(request):
    campaign = campaign_selectors.current_campaign(request.user)
    if campaign is None:
        return render(request, "inspection/assessment_ranking.html", {"campaign": None})
    return redirect("inspection:assessment-ranking", campaign_id=campaign.pk)


@require_safe
def assessment_ranking(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    result = selectors.ranking(request.user, campaign=campaign)
    return render(request, "inspection/assessment_ranking.html", {
        "campaign": campaign, "ranking": result, "can_manage": _can_manage(request.user, campaign),
        "source_notes": [(i.label, selectors.SOURCE_NOTES.get(i.source, ""), i) for i in result.items],
    })


@require_safe
@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def assessment_export(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    _require_city_admin(request, campaign)
    result = selectors.ranking(request.user, campaign=campaign)
    audit_export(org=campaign.org, user=request.user, what=f"{campaign.year}年度考核排名（{len(result.rows)} 个县区）")
    buffer = io.BytesIO()
    write_workbook(buffer, [ranking_sheet(result)])
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"assessment-{campaign.year}.xlsx\""
    return response


@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def rubric_edit(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    _require_city_admin(request, campaign)
    rubric, items = selectors.rubric_and_items(campaign)
    form = RubricForm(request.POST or None, initial={
        "version": rubric.version if rubric else 0, "counties_see_ranking": bool(rubric and rubric.counties_see_ranking)})
    formset = RubricItemFormSet(request.POST or None, initial=rubric_items_initial(items), prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        ok, _ = run_service(form, services.rubric_save, user=request.user, campaign=campaign,
                            expected_version=form.cleaned_data["version"] or 0,
                            counties_see_ranking=form.cleaned_data["counties_see_ranking"],
                            items=rubric_items_cleaned(formset))
        if ok:
            messages.success(request, "已保存考核细则，排名已按新细则重新计算。")
            return redirect("inspection:assessment-ranking", campaign_id=campaign.pk)
    return render(request, "inspection/assessment_rubric.html", {
        "campaign": campaign, "rubric": rubric, "form": form, "formset": formset,
    })


@require_safe
def award_evaluation(request, campaign_id):
    """Every official account over a period (default: the campaign's dates), scored and ranked."""
    campaign = _campaign_or_404(request, campaign_id)
    first, last = selectors.campaign_period(campaign)
    weights_form = AccountWeightsForm(request.GET or None, initial={"start": first, "end": last})
    weights = None
    if weights_form.is_bound and weights_form.is_valid():
        start = weights_form.cleaned_data["start"] or first
        end = weights_form.cleaned_data["end"] or last
        weights = weights_form.weights()
    else:
        start, end = first, last
    rows = selectors.account_evaluation(request.user, campaign=campaign, start=start, end=end, weights=weights)
    can_manage = _can_manage(request.user, campaign)
    award_form = None
    if can_manage:
        award_form = AwardForm(accounts=selectors.award_accounts(request.user, campaign=campaign),
                               initial={"period_start": start, "period_end": end})
    return render(request, "inspection/award_evaluation.html", {
        "campaign": campaign, "rows": rows, "start": start, "end": end, "weights_form": weights_form,
        "measures": [(key, label, (weights or {}).get(key, weight), full, unit)
                     for key, label, weight, full, unit in selectors.ACCOUNT_MEASURES],
        "formula": selectors.ACCOUNT_FORMULA, "can_manage": can_manage, "award_form": award_form,
        "whole": selectors.sees_whole_ranking(request.user, campaign),
        "awards": list(selectors.award_list(request.user, campaign=campaign)),
    })


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def award_create(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    _require_city_admin(request, campaign)
    form = AwardForm(request.POST, accounts=selectors.award_accounts(request.user, campaign=campaign))
    if form.is_valid():
        data = form.cleaned_data
        ok, award = run_service(form, services.award_create, user=request.user, campaign=campaign,
                                official_account=data["account"], category=data["category"],
                                period_start=data["period_start"], period_end=data["period_end"], reason=data["reason"])
        if ok:
            messages.success(request, f"已记录：{award}。")
            return redirect("inspection:award-list", campaign_id=campaign.pk)
    errors = [e for errs in form.errors.values() for e in errs]
    messages.error(request, "未能记录奖项：" + "；".join(errors))
    return redirect("inspection:award-evaluation", campaign_id=campaign.pk)


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def award_delete(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    _require_city_admin(request, campaign)
    award = selectors.award_list(request.user, campaign=campaign).filter(pk=request.POST.get("award") or 0).first()
    if award is None:
        messages.error(request, "奖项不存在或已删除。")
    else:
        try:
            services.award_delete(user=request.user, award=award)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已删除：{award}（可在回收站恢复）。")
    return redirect("inspection:award-list", campaign_id=campaign.pk)


@require_safe
def award_list(request, campaign_id):
    """The printable award list (获奖名单): by category, with the reasons."""
    campaign = _campaign_or_404(request, campaign_id)
    awards = list(selectors.award_list(request.user, campaign=campaign))
    groups = []
    for award in awards:
        if not groups or groups[-1][0] != award.get_category_display():
            groups.append((award.get_category_display(), []))
        groups[-1][1].append(award)
    return render(request, "inspection/award_list.html", {
        "campaign": campaign, "groups": groups, "count": len(awards), "can_manage": _can_manage(request.user, campaign),
        "printing": request.GET.get("print") == "1",
    })


urls = [
    path("assessment/", assessment_home, name="assessment-home"),
    path("assessment/<int:campaign_id>/", assessment_ranking, name="assessment-ranking"),
    path("assessment/<int:campaign_id>/export.xlsx", assessment_export, name="assessment-export"),
    path("assessment/<int:campaign_id>/rubric/", rubric_edit, name="assessment-rubric"),
    path("assessment/<int:campaign_id>/accounts/", award_evaluation, name="award-evaluation"),
    path("assessment/<int:campaign_id>/awards/", award_list, name="award-list"),
    path("assessment/<int:campaign_id>/awards/new/", award_create, name="award-create"),
    path("assessment/<int:campaign_id>/awards/delete/", award_delete, name="award-delete"),
]
