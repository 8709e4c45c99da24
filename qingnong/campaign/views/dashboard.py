"""The progress dashboard (建设进度): a city's counties, or a county's townships, scored
red/amber/green against the campaign's targets as of a date; what each owes and when it
was last reminded; how many townships updated lately; charts drawn as SVG on the server."""
from datetime import date

from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import urlencode

from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import get_scoped_or_404
from qingnong.org.selectors import breadcrumbs, root_orgs
from qingnong.wechat.selectors import county_followers

from .. import selectors
from ..dashboard import dashboard_build


def dashboard_home(request):
    """The dashboard of the user's own org (a superuser's: the top of the tree)."""
    org_id = request.user.org_id or root_orgs(request.user).values_list("pk", flat=True).first()
    return redirect("campaign:dashboard", org_id=org_id) if org_id else redirect("portal:org-tree")


def dashboard(request, org_id):
    org = get_scoped_or_404(Org.objects.all(), request.user, pk=org_id)
    if org.level in (OrgLevel.VILLAGE, OrgLevel.DIRECT):
        return redirect("ledger:groups", org_id=org.pk)  # below a township there is no scorecard: its groups
    campaign = selectors.current_campaign(request.user, year=_int(request.GET.get("year")))
    if campaign is None:
        return render(request, "campaign/dashboard_none.html", {"org": org})
    as_of, as_of_error = _as_of(request, campaign)
    board = dashboard_build(request.user, org, campaign=campaign, as_of=as_of)
    last_day = selectors.campaign_days(campaign)[1]
    as_of_note = "今天" if as_of == today() else "建设计划的最后一天" if as_of == last_day else ""
    return render(request, "campaign/dashboard.html", {
        "org": org, "campaign": campaign, "as_of": as_of, "as_of_note": as_of_note, "as_of_error": as_of_error, "countdown": board.countdown,
        "townships": board.townships, "is_township": org.level == OrgLevel.TOWNSHIP, "total": board.total,
        "columns": board.columns, "body": board.body, "foot": board.foot, "owing": board.owing,
        "completeness": board.completeness, "charts": board.charts,
        "crumbs": breadcrumbs(request.user, org), "query": _query(request),
        # Subscribers the county's 服务号 gained through each township's QR code (the platform's pushes).
        "followers": county_followers(org) if org.level == OrgLevel.COUNTY else None,
    })


def _int(value):
    return int(value) if value and value.isdigit() and len(value) == 4 else None


def _as_of(request, campaign):
    """`?as_of=YYYY-MM-DD`, else today or the last day of a campaign that is over."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return selectors.default_as_of(campaign), ""
    try:
        as_of = date.fromisoformat(raw)
    except ValueError:
        return selectors.default_as_of(campaign), f"“{raw}”不是有效日期（格式如 2014-10-31），已显示默认日期。"
    if as_of > today():  # the ledger cannot know the future (and a far date would draw years of weeks)
        return selectors.default_as_of(campaign), f"{raw} 晚于今天，已显示默认日期。"
    return as_of, ""


def _query(request):
    """The date and year chosen, carried along when drilling down."""
    kept = {k: request.GET[k] for k in ("as_of", "year") if request.GET.get(k)}
    return "?" + urlencode(kept) if kept else ""


urls = [
    path("dashboard/", dashboard_home, name="dashboard-home"),
    path("dashboard/<int:org_id>/", dashboard, name="dashboard"),
]
