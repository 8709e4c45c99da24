"""The home page, the org tree and an org's page: its subtree, its users, its groups."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today, week_of
from qingnong.lib.forms import paginate, run_service

from qingnong.accounts.selectors import org_users, with_user_counts
from qingnong.ledger.selectors.groups import group_list, group_totals, week_entered
from qingnong.campaign.dashboard import countdown
from qingnong.campaign.selectors import current_campaign
from qingnong.org import selectors, services
from qingnong.org.forms import OrgChildForm, OrgEditForm, OrgSearchForm
from qingnong.org.models import Org
from qingnong.org.scoping import in_scope

from ..todo import todo_items


def _with_counts(orgs):
    return with_user_counts(selectors.with_counts(orgs))


def _org_for_user(request, org_id, *, rw=False):
    return get_for_user(request, Org.objects.all(), org_id, rw=rw)


def home(request):
    roots = list(_with_counts(selectors.root_orgs(request.user)))
    org = roots[0] if len(roots) == 1 else None
    context = {"org": org, "roots": roots, "todo": todo_items(request.user, today=today()), "phase": _phase_line(request.user)}
    if org:
        groups = group_list(request.user, org)
        children = paginate(request, _with_counts(selectors.org_children(request.user, org)))
        # Who has entered this week, per child (issue 18): one GROUP BY for the page's orgs.
        entered = week_entered(request.user, children.object_list, week_of(today())[0])
        for child in children.object_list:
            child.week = entered.get(child.path)
        context.update(
            children=children,
            my_groups=groups[:8], group_totals=group_totals(groups),
        )
    return render(request, "org/home.html", context)


def _phase_line(user):
    """Where the campaign stands today, for the home's first line: its phase and the next date
    something is due (the dashboard's countdown)."""
    campaign = current_campaign(user)
    if campaign is None:
        return None
    return {"campaign": campaign, "clock": countdown(campaign, as_of=today())}


def tree(request):
    form = OrgSearchForm(request.GET)
    form.is_valid()
    query, level = form.cleaned_data.get("q", ""), form.cleaned_data.get("level", "")
    context = {"form": form, "query": query}
    if query or level:
        page = paginate(request, selectors.org_search(request.user, query, level=level))
        page.object_list = selectors.with_ancestor_names(page.object_list)
        context["page"] = page
    else:
        context["roots"] = _with_counts(selectors.root_orgs(request.user))
    template = "org/_search_results.html" if request.htmx else "org/tree.html"
    return render(request, template, context)


def children(request, org_id):
    org = _org_for_user(request, org_id)
    return render(request, "org/_children.html", {"org": org, "children": paginate(request, _with_counts(selectors.org_children(request.user, org)))})


def detail(request, org_id):
    org = _org_for_user(request, org_id)
    return render(request, "org/detail.html", {
        "org": org,
        "crumbs": selectors.breadcrumbs(request.user, org),
        "children": paginate(request, _with_counts(selectors.org_children(request.user, org))),
        "counts": _with_counts(Org.objects.filter(pk=org.pk)).get(),
        "users": org_users(request.user, org)[:10] if request.user.can_manage_users else None,
    })


@role_required(Role.REPORTER, after_scope=True)
def add_child(request, org_id):
    parent = _org_for_user(request, org_id, rw=True)
    if not parent.addable_child_levels():
        messages.error(request, f"{parent.get_level_display()}下不能再添加下级组织。")
        return redirect("portal:org-detail", org_id=parent.pk)
    form = OrgChildForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        ok, child = run_service(form, services.org_create_child, user=request.user, parent=parent, **form.cleaned_data)
        if ok:
            messages.success(request, f"已添加“{child.name}”。")
            return redirect("portal:org-detail", org_id=child.pk)
    return render(request, "org/add_child.html", {"org": parent, "form": form})


@role_required(Role.REPORTER, after_scope=True)
def edit(request, org_id):
    org = _org_for_user(request, org_id, rw=True)
    initial = {"name": org.name, "note": org.note, "version": org.version}
    form = OrgEditForm(request.POST or None, initial=initial, org=org)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.org_update, user=request.user, org=org,
                            name=form.cleaned_data["name"], note=form.cleaned_data["note"],
                            expected_version=form.cleaned_data["version"])
        if ok:
            messages.success(request, "已保存。")
            return redirect("portal:org-detail", org_id=org.pk)
    return render(request, "org/edit.html", {"org": org, "form": form})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def delete(request, org_id):
    org = _org_for_user(request, org_id, rw=True)
    try:
        services.org_delete(user=request.user, org=org)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("portal:org-detail", org_id=org.pk)
    messages.success(request, f"已删除“{org.name}”，可在回收站恢复。")
    parent_visible = org.parent and in_scope(request.user, org.parent)
    return redirect("portal:org-detail", org_id=org.parent_id) if parent_visible else redirect("portal:home")


urls = [
    path("", home, name="home"),
    path("orgs/", tree, name="org-tree"),
    path("orgs/<int:org_id>/", detail, name="org-detail"),
    path("orgs/<int:org_id>/children/", children, name="org-children"),
    path("orgs/<int:org_id>/add/", add_child, name="org-add-child"),
    path("orgs/<int:org_id>/edit/", edit, name="org-edit"),
    path("orgs/<int:org_id>/delete/", delete, name="org-delete"),
]
