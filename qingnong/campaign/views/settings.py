"""Campaign settings: phases, deadlines and targets of the city's campaign. Everyone it
governs reads them; the admins of the org that set it (or above) edit them and copy the
campaign to a new year (services.campaign_update / campaign_copy)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, relation_required, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import run_service
from qingnong.org.scoping import in_scope

from .. import selectors, services
from ..forms import TARGET_FIELDS, CampaignForm, CopyForm
from ..models import Campaign


def _campaign_or_404(request, campaign_id):
    campaign = selectors.campaign_list(request.user).prefetch_related("phases", "deadlines").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return campaign


def _require_owner(request, campaign):
    """A county reads the city's campaign but never changes it; a city admin changes it."""
    if not in_scope(request.user, campaign.org):
        raise PermissionDenied(f"建设计划由{campaign.org.committee_name}的管理员修改。")
    check_role(request)


def _can_change(user, campaign):
    return in_scope(user, campaign.org) and user.can_manage_users


def _detail(request, campaign):
    context = {"campaign": campaign, "campaigns": selectors.campaign_list(request.user)}
    if campaign is not None:
        day = today()  # countdowns and 进行中 count from today, for a past campaign too (issue 17)
        context.update(
            today=day,
            targets=[(Campaign._meta.get_field(name).verbose_name, getattr(campaign, name)) for name in TARGET_FIELDS],
            deadlines=[(d, (d.due_on - day).days, abs((d.due_on - day).days)) for d in campaign.deadlines.all()],
            can_change=_can_change(request.user, campaign),
            copy_form=CopyForm(initial={"year": campaign.year + 1}),
        )
    return render(request, "campaign/campaign_detail.html", context)


@require_safe
def campaign_settings(request):
    """The campaign that governs the user now."""
    return _detail(request, selectors.current_campaign(request.user))


@require_safe
def campaign_detail(request, campaign_id):
    return _detail(request, _campaign_or_404(request, campaign_id))


@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def campaign_edit(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    _require_owner(request, campaign)
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.campaign_update, user=request.user, campaign=campaign,
                            expected_version=form.cleaned_data["version"], **form.service_args())
        if ok:
            messages.success(request, "已保存建设计划的目标和日期。")
            return redirect("campaign:campaign-detail", campaign_id=campaign.pk)
    return render(request, "campaign/campaign_form.html", {"campaign": campaign, "form": form})


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def campaign_copy(request, campaign_id):
    """A new year's campaign: same targets, dates moved by the years between."""
    campaign = _campaign_or_404(request, campaign_id)
    _require_owner(request, campaign)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("campaign:campaign-detail", campaign_id=campaign.pk)
    try:
        copy = services.campaign_copy(user=request.user, campaign=campaign, year=form.cleaned_data["year"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("campaign:campaign-detail", campaign_id=campaign.pk)
    messages.success(request, f"已复制为“{copy.name}”，日期已顺延到 {copy.year} 年，请核对。")
    return redirect("campaign:campaign-detail", campaign_id=copy.pk)


urls = [
    path("settings/", campaign_settings, name="campaign-settings"),
    path("settings/<int:campaign_id>/", campaign_detail, name="campaign-detail"),
    path("settings/<int:campaign_id>/edit/", campaign_edit, name="campaign-edit"),
    path("settings/<int:campaign_id>/copy/", campaign_copy, name="campaign-copy"),
]
