"""附件3 报送 (the reporting cycle): one page per org and period. A township sees its own row,
its state and the reason it was returned, and submits; a county reviews each township's row
and submits its 附件3 to the city; the city reviews the counties. The transitions are
campaign.submissions services; the figures are the 附件3 rows (reports.progress)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, get_for_user, relation_required, role_required
from qingnong.campaign import selectors as campaign_selectors
from qingnong.campaign import submissions
from qingnong.campaign.models import SubmissionStatus
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import is_own_org, is_parent

from . import progress
from .layouts import get as get_layout

REVIEWS = {  # URL name → (service, needs a reason, done message)
    "submission-return": (submissions.submission_return, "退回原因", "已将{org}的附件3退回修改。"),
    "submission-approve": (submissions.submission_approve, None, "{org}的附件3已审核通过，已锁定。"),
    "submission-unlock": (submissions.submission_unlock, "解锁原因", "已解锁{org}的附件3，可以修改后重新提交。"),
}


def _period(request, campaign):
    """`?period=<id>` among the campaign's periods, else the one holding today."""
    chosen = request.GET.get("period", "")
    periods = list(campaign.periods.all())
    period = next((p for p in periods if str(p.pk) == chosen), None) or submissions.period_for(campaign, today())
    return period, periods


def _township_row(township, period):
    """The township's row of its county's 附件3 for the period (as submitted, it stands)."""
    form = progress.progress_form(township.parent, as_of=submissions.period_as_of(period), start=period.starts_on)
    return next(row for row in form.rows if row["org"].pk == township.pk)


def _grouped(layout, row):
    """[(heading, [(label, n)])]: "微信群内成员数(人)·在乡·务农" under its heading, so a phone
    shows short labels."""
    groups = []
    for column in (c for c in layout.columns if c.key in progress.NUMERIC):
        heading, _, label = column.label.partition("·")
        if not label:
            heading, label = "", heading
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append((label.replace("·", " "), row[column.key]))
    return groups


def reporting(request, org_id):
    org = get_for_user(request, Org.objects.all(), org_id)
    campaign = campaign_selectors.current_campaign(request.user)
    period, periods = _period(request, campaign) if campaign else (None, [])
    context = {"org": org, "campaign": campaign, "period": period, "periods": periods}
    if period is None:
        return render(request, "reports/reporting.html", context)
    own = campaign_selectors.own_submission(request.user, org, period=period)
    context.update(own=own, can_submit=is_own_org(request.user, org) and request.user.can_edit
                   and org.level in (OrgLevel.TOWNSHIP, OrgLevel.COUNTY)
                   and (own is None or own.status == SubmissionStatus.RETURNED))
    if org.level == OrgLevel.TOWNSHIP:
        layout = get_layout("progress")
        row = _township_row(org, period)
        context.update(row=row, as_of=submissions.period_as_of(period), figures=_grouped(layout, row))
    elif org.level in (OrgLevel.COUNTY, OrgLevel.CITY, OrgLevel.PROVINCE):
        rows = campaign_selectors.submissions_under(request.user, org, period=period)
        context["rows"] = rows
        context["can_review"] = request.user.can_manage_users and request.user.org_id == org.pk
        context["approved"] = sum(1 for _, s in rows if s and s.status == SubmissionStatus.APPROVED)
        context["form_url"] = (f"{reverse('reports:progress', args=[org.pk])}?as_of={submissions.period_as_of(period):%Y-%m-%d}"
                               f"&from={period.starts_on:%Y-%m-%d}")
    return render(request, "reports/reporting.html", context)


@require_POST
@role_required(Role.REPORTER, after_scope=True)
@relation_required(is_own_org)
def submit(request, org_id, period_id):
    """A township submits its row; a county submits its 附件3 to the city."""
    org = get_for_user(request, Org.objects.all(), org_id)
    if not is_own_org(request.user, org):
        raise PermissionDenied(f"{org.name}的附件3由{org.name}本级提交。")
    check_role(request)
    period = campaign_selectors.period_or_404(request.user, period_id)
    try:
        if org.level == OrgLevel.TOWNSHIP:
            row = _township_row(org, period)
            submissions.township_submit(user=request.user, period=period, township=org,
                                        figures={k: row[k] for k in progress.NUMERIC})
        else:
            submissions.county_submit(user=request.user, period=period, county=org)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已提交{period.label}的附件3，等待上级审核。")
    return redirect(f"{reverse('reports:reporting', args=[org.pk])}?period={period.pk}")


def _review_view(name):
    service, reason_label, done = REVIEWS[name]

    @require_POST
    @role_required(Role.ADMIN, after_scope=True)
    @relation_required(is_parent)
    def view(request, submission_id):
        submission = campaign_selectors.submission_or_404(request.user, submission_id)
        if not is_parent(request.user, submission.org):
            raise PermissionDenied(f"{submission.org.name}的附件3由上一级团委审核。")
        check_role(request)
        kwargs = {"reason": request.POST.get("reason", "")} if reason_label else {}
        try:
            service(user=request.user, submission=submission, **kwargs)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, done.format(org=submission.org.name))
        return redirect(f"{reverse('reports:reporting', args=[submission.org.parent_id])}?period={submission.period_id}")

    view.__name__ = name.replace("-", "_")
    return view


urls = [
    path("orgs/<int:org_id>/reporting/", reporting, name="reporting"),
    path("orgs/<int:org_id>/reporting/<int:period_id>/submit/", submit, name="reporting-submit"),
    *[path(f"submissions/<int:submission_id>/{name.split('-')[1]}/", _review_view(name), name=name) for name in REVIEWS],
]
