from datetime import date

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path

from qingnong.lib.dates import today
from qingnong.lib.forms import paginate
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import in_scope, require_edit

from ..forms.figures import FiguresForm
from ..selectors import figures as selectors
from ..services import figures as services
from .common import org_for_user


def figures(request, org_id):
    """附件3 的乡镇基础数据: a township enters and sees its own history; a county sees the
    latest figures of all its townships; a city picks a county."""
    org = org_for_user(request, org_id)
    if org.level == OrgLevel.TOWNSHIP:
        return _township(request, org)
    if org.level == OrgLevel.COUNTY:
        rows = list(selectors.township_latest(request.user, org))
        totals = {f: sum(getattr(r, f) or 0 for r in rows) for f in services.FIGURE_FIELDS}
        return render(request, "ledger/figures_county.html", {"org": org, "rows": rows, "totals": totals,
                                                               "missing": sum(1 for r in rows if r.as_of is None)})
    counties = selectors.county_list(request.user, org) if org.level in (OrgLevel.PROVINCE, OrgLevel.CITY) else []
    return render(request, "ledger/figures_other.html", {"org": org, "counties": counties, "parent": _visible_parent(request, org)})


def _township(request, org):
    as_of = _date(request.GET.get("as_of")) or today()
    seen = selectors.figures_on(request.user, org, as_of)
    initial = {"as_of": as_of, "version": seen.version if seen else None, "version_of": as_of if seen else None,
               **({f: getattr(seen, f) for f in services.FIGURE_FIELDS} if seen else {})}
    form = FiguresForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST":
        require_edit(request.user, org)
        if form.is_valid():
            try:
                saved = services.figures_record(user=request.user, org=org, **form.service_fields())
            except services.FiguresConflict as error:
                # Someone saved this date since: show both versions; saving again keeps yours.
                conflict = error.current
                form.show_current(conflict)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                flash.success(request, f"已保存 {saved.as_of:%Y-%m-%d} 的基础数据。")
                return redirect("ledger:figures", org_id=org.pk)
    history = paginate(request, selectors.figures_history(request.user, org))
    return render(request, "ledger/figures_township.html", {
        "org": org, "form": form, "conflict": conflict, "page": history, "county": _visible_parent(request, org),
        "latest": history[0] if history.number == 1 and len(history) else None,
    })


def _visible_parent(request, org):
    return org.parent if org.parent_id and in_scope(request.user, org.parent) else None


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


urls = [
    path("orgs/<int:org_id>/figures/", figures, name="figures"),
]
