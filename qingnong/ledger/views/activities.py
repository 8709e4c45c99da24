from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import edit_conflict, paginate, run_service

from ..forms.activities import ActivityFilterForm, ActivityForm
from qingnong.lib.files import private_file_response
from ..models import Activity
from ..selectors import activities as selectors
from ..services import activities as services
from .. import exports
from .common import org_for_user, xlsx_export

CONFLICT_FIELDS = ["held_on", "activity_type", "title", "participants", "group", "note"]


def _activity_for_user(request, activity_id, *, rw=False):
    return get_for_user(request, Activity.objects.select_related("org", "group", "entered_by"), activity_id, rw=rw)


def activity_list(request, org_id):
    org = org_for_user(request, org_id)
    form = ActivityFilterForm(request.GET)
    activities = selectors.activity_list(request.user, org, **form.filters())
    context = {"org": org, "form": form, "page": paginate(request, selectors.activity_rows(activities)),
               "totals": selectors.activity_totals(activities)}
    return render(request, "ledger/_activity_rows.html" if request.htmx else "ledger/activity_list.html", context)


@require_GET
def activity_export(request, org_id):
    """The whole filtered list as .xlsx; any role in scope, as the page."""
    org = org_for_user(request, org_id)
    form = ActivityFilterForm(request.GET)
    activities = selectors.activity_list(request.user, org, **form.filters())
    return xlsx_export(request, exports.ACTIVITIES, org=org, rows=activities, form=form, list_url="ledger:activities")


def _hold_photos(request, form):
    """The form goes back with an error: the photos it carried stay on the server for this
    user and show on the form again (issue 18: a phone had to pick them all again)."""
    uploads = [] if "photos" in form.errors else (getattr(form, "cleaned_data", {}).get("photos") or [])
    form.hold(services.stage_photos(user=request.user, uploads=uploads))


def _staged(request):
    return selectors.staged_photos(request.user, request.POST.getlist("staged")) if request.method == "POST" else []


@role_required(Role.REPORTER, after_scope=True)
def activity_create(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    form = ActivityForm(request.POST or None, request.FILES or None, groups=selectors.activity_groups(request.user, org),
                        initial={"held_on": today()}, staged=_staged(request))
    if request.method == "POST":
        if form.is_valid():
            ok, activity = run_service(form, services.activity_create, user=request.user, org=org, **form.service_fields())
            if ok:
                flash.success(request, f"已记录线下活动“{activity.title}”。")
                return redirect("ledger:activity-detail", activity_id=activity.pk)
        _hold_photos(request, form)
    return render(request, "ledger/activity_form.html", {"org": org, "form": form})


def activity_detail(request, activity_id):
    activity = _activity_for_user(request, activity_id)
    photos = selectors.activity_photos(request.user, activity)
    return render(request, "ledger/activity_detail.html", {"activity": activity, "photos": photos})


@role_required(Role.REPORTER, after_scope=True)
def activity_edit(request, activity_id):
    activity = _activity_for_user(request, activity_id, rw=True)
    photos = list(selectors.activity_photos(request.user, activity))
    initial = {f: getattr(activity, f) for f in [*CONFLICT_FIELDS, "version"]}
    form = ActivityForm(request.POST or None, request.FILES or None, initial=initial, photos=photos,
                        groups=selectors.activity_groups(request.user, activity.org), staged=_staged(request))
    conflict = None
    if request.method == "POST":
        if form.is_valid():
            ok, _ = run_service(form, services.activity_update, user=request.user, activity=activity,
                                expected_version=form.cleaned_data["version"], **form.service_fields())
            if ok:
                flash.success(request, "已保存。")
                return redirect("ledger:activity-detail", activity_id=activity.pk)
            # Someone saved in between: show both versions; saving again keeps what you typed.
            conflict = edit_conflict(form, activity, CONFLICT_FIELDS, theirs=lambda current: {"group": current.group_id})
        _hold_photos(request, form)
    return render(request, "ledger/activity_form.html",
                  {"org": activity.org, "activity": activity, "form": form, "conflict": conflict, "photos": photos})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def activity_delete(request, activity_id):
    activity = _activity_for_user(request, activity_id, rw=True)
    services.activity_delete(user=request.user, activity=activity)
    flash.success(request, f"已删除线下活动“{activity.title}”，可在回收站恢复。")
    return redirect("ledger:activities", org_id=activity.org_id)


def photo(request, photo_id):
    """Activity photos are served only here, to signed-in users whose scope covers the
    activity; MEDIA_ROOT is never exposed as a public URL."""
    item = selectors.photo_or_404(request.user, photo_id)
    return private_file_response(item.image, content_type="image/jpeg")


def staged_photo(request, staged_id):
    """A photo held for a form: only its uploader sees it."""
    return private_file_response(selectors.staged_photo_or_404(request.user, staged_id).image, content_type="image/jpeg")


urls = [
    path("orgs/<int:org_id>/activities/", activity_list, name="activities"),
    path("orgs/<int:org_id>/activities/export/", activity_export, name="activity-export"),
    path("orgs/<int:org_id>/activities/new/", activity_create, name="activity-create"),
    path("activities/<int:activity_id>/", activity_detail, name="activity-detail"),
    path("activities/<int:activity_id>/edit/", activity_edit, name="activity-edit"),
    path("activities/<int:activity_id>/delete/", activity_delete, name="activity-delete"),
    path("photos/<int:photo_id>/", photo, name="photo"),
    path("photos/held/<int:staged_id>/", staged_photo, name="staged-photo"),
]
