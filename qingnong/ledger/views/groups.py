from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today, week_of
from qingnong.lib.files import private_file_response
from qingnong.lib.forms import edit_conflict, paginate, run_service
from qingnong.lib.svgchart import line_chart
from qingnong.org.models import OrgLevel
from qingnong.org.selectors import org_children

from ..forms.groups import GroupFilterForm, GroupForm, SnapshotForm, WeeklyFormSet
from ..models import MEMBER_FIELD_NAMES, MEMBER_FIELDS, MemberSnapshot, MessageCategory, WechatGroup, counts_on_day
from ..selectors import groups as selectors
from ..selectors.messages import group_messages, weekly_messages
from ..services import groups as services
from .. import exports
from .common import org_for_user, xlsx_export


def _group_for_user(request, group_id, *, rw=False):
    return get_for_user(request, WechatGroup.objects.select_related("org", "owner"), group_id, rw=rw)


def my_groups(request):
    return redirect("ledger:groups", org_id=request.user.org_id) if request.user.org_id else redirect("portal:org-tree")


def group_list(request, org_id):
    org = org_for_user(request, org_id)
    form = GroupFilterForm(request.GET)
    filters = form.filters()
    groups = selectors.group_list(request.user, org, **filters)
    unfiltered = not (filters["status"] or filters["basis"] or filters["query"])
    totals = selectors.group_totals(groups, org=org if unfiltered else None, kind=filters["kind"])
    # The totals' count is the paginator's: a province's list scans its groups once, not twice.
    context = {"org": org, "form": form, "page": paginate(request, groups, count=totals["n"]), "totals": totals}
    return render(request, "ledger/_group_rows.html" if request.htmx else "ledger/group_list.html", context)


@require_GET
def group_export(request, org_id):
    """The whole filtered list (every page) as .xlsx; any role in scope, as the page."""
    org = org_for_user(request, org_id)
    form = GroupFilterForm(request.GET)
    groups = selectors.group_list(request.user, org, **form.filters())
    return xlsx_export(request, exports.GROUPS, org=org, rows=groups, form=form, list_url="ledger:groups")


@role_required(Role.REPORTER, after_scope=True)
def group_create(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    form = GroupForm(request.POST or None, request.FILES or None, user=request.user, org=org,
                     initial={"founded_on": today(), "kind": "youth"})
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(form, services.group_create, user=request.user, org=org, **form.service_fields())
        if ok:
            group, warnings = result
            messages.success(request, f"已添加微信群“{group.name}”。")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("ledger:group-detail", group_id=group.pk)
    return render(request, "ledger/group_form.html", {"org": org, "form": form})


def group_detail(request, group_id):
    group = _group_for_user(request, group_id)
    snapshots = list(selectors.group_snapshots(request.user, group))
    chart = line_chart([(s.taken_on.strftime("%m-%d"), s.total) for s in reversed(snapshots)])
    members = [(where, label, getattr(group, field)) for field, where, label in MEMBER_FIELDS]
    recent, month = group_messages(request.user, group, as_of=today())
    return render(request, "ledger/group_detail.html", {
        "group": group, "snapshots": snapshots[:12], "chart": chart, "members": members,
        "recent_messages": recent, "messages_month": month,
        "qr_warning": selectors.qr_warning(group), "name_warnings": services.group_warnings(group),
    })


@role_required(Role.REPORTER, after_scope=True)
def group_edit(request, group_id):
    group = _group_for_user(request, group_id, rw=True)
    initial = {f: getattr(group, f) for f in ("name", "kind", "covers_level", "status", "founded_on", "closed_on",
                                              "ends_on", "owner", "purpose", "qr_expires_on", "version")}
    initial["bases"] = group.basis_list
    form = GroupForm(request.POST or None, request.FILES or None, user=request.user, org=group.org, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(form, services.group_update, user=request.user, group=group,
                                 expected_version=form.cleaned_data["version"], **form.service_fields())
        if ok:
            messages.success(request, "已保存。")
            for warning in result[1]:
                messages.warning(request, warning)
            return redirect("ledger:group-detail", group_id=group.pk)
        # Someone saved in between: show both versions; saving again keeps what you typed.
        conflict = edit_conflict(form, group, ["name", "kind", "status", "founded_on", "closed_on", "ends_on", "owner", "purpose",
                                              "qr_expires_on"])
    return render(request, "ledger/group_form.html", {"org": group.org, "group": group, "form": form, "conflict": conflict})


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def group_delete(request, group_id):
    group = _group_for_user(request, group_id, rw=True)
    sent, activities = services.group_delete(user=request.user, group=group)
    along = f"及其发送记录 {sent} 条、关联活动 {activities} 项" if sent or activities else ""
    messages.success(request, f"已删除微信群“{group.name}”{along}，不再计入任何统计，可在回收站一并恢复。")
    return redirect("ledger:groups", org_id=group.org_id)


@role_required(Role.REPORTER, after_scope=True)
def snapshot_add(request, group_id):
    group = _group_for_user(request, group_id, rw=True)
    initial = {"taken_on": today(), **{f: getattr(group, f) for f in MEMBER_FIELD_NAMES}}
    form = SnapshotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ok, _ = run_service(form, services.snapshot_record, user=request.user, group=group,
                            taken_on=data.pop("taken_on"), counts=data)
        if ok:
            messages.success(request, f"已记录 {form.cleaned_data['taken_on']} 的成员数：合计 {form.member_total()} 人。")
            return redirect("ledger:group-detail", group_id=group.pk)
    return render(request, "ledger/snapshot_form.html", {"group": group, "form": form})


@role_required(Role.REPORTER, after_scope=True)
def weekly(request, org_id):
    """One page, one row per group: this week's members and messages, saved in one go;
    each row also shows the week's messages other records already count."""
    org = org_for_user(request, org_id, rw=True)
    weeks = _recent_weeks(today())
    monday = next((m for m, _ in weeks if m.isoformat() == request.GET.get("week")), weeks[0][0])
    sunday = monday + timedelta(days=6)
    day = min(sunday, today())  # a past week's members are recorded as of its Sunday
    own_only = request.GET.get("own") == "1"  # the org's own groups, not its townships'
    if org.level in (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY) and not own_only:
        # A county's hundreds of groups are not one page: it picks a township, seeing who has entered.
        children, mine = selectors.weekly_progress(request.user, org, monday)
        return render(request, "ledger/weekly_choose.html", {
            "org": org, "children": children, "own": mine, "monday": monday, "sunday": sunday, "weeks": weeks,
            "this_week": monday == weeks[0][0]})
    groups = list(selectors.weekly_groups(request.user, org, own=own_only)[:WEEKLY_PAGE + 1])
    capped = len(groups) > WEEKLY_PAGE
    if capped:  # say so, never cut silently: a county enters township by township
        groups = groups[:WEEKLY_PAGE]
    snapshots = {s.group_id: s for s in MemberSnapshot.objects.filter(group__in=groups, taken_on=day)}
    # This week's messages already in other records (逐条记录, a month's total…) are shown,
    # not entered again; the week's own counts fill the boxes (a blank box removes them).
    own, others = weekly_messages(groups, monday, sunday)
    initial = [{"group": g.pk, "stamp": services.weekly_stamp(snapshots.get(g.pk), [r[:2] for r in own.get(g.pk, {}).values()]),
                **{f: getattr(g, f) for f in MEMBER_FIELD_NAMES},
                **{f"msg_{c}": r[2] for c, r in own.get(g.pk, {}).items()}} for g in groups]
    formset = WeeklyFormSet(request.POST or None, initial=initial)
    problems = {}
    if request.method == "POST" and formset.is_valid():
        rows = {form.cleaned_data["group"]: form.row() for form in formset}
        try:
            services.weekly_save(user=request.user, org=org, day=day, rows=rows)
        except services.WeeklyConflict as error:
            problems = {**error.errors, **_conflict_messages(error.conflicts)}
            # What the user typed stays; stamped with what is there now, saving again keeps it.
            formset = WeeklyFormSet(_restamped(request.POST, formset, error), initial=initial)
            formset.is_valid()
            messages.error(request, error.messages[0])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已保存 {len(rows)} 个微信群{monday:%m月%d日}–{sunday:%m月%d日}这一周的数据。")
            return redirect(f"{reverse('ledger:weekly', args=[org.pk])}?week={monday:%Y-%m-%d}{'&own=1' if own_only else ''}")
    rows = list(zip(groups, formset.forms)) if request.method == "GET" else _rows_for_post(groups, formset)
    rows = [(group, form, others.get(getattr(group, "pk", None))) for group, form in rows]
    # After a refused save: which groups to fix, named at the top (nothing of the page was saved).
    failed = [group for group, form, _ in rows if group is not None and (form.errors or group.pk in problems)]
    return render(request, "ledger/weekly.html", {
        "failed": failed,
        "org": org, "rows": rows, "formset": formset, "problems": problems, "day": day, "monday": monday,
        "sunday": sunday, "member_fields": MEMBER_FIELDS, "categories": MessageCategory.choices, "weeks": weeks,
        "thursday": counts_on_day(monday, sunday),
        "capped": capped and selectors.weekly_groups(request.user, org, own=own_only).count(), "townships": capped and _townships(request, org),
        "own": own_only,
    })


WEEKLY_PAGE = 500  # groups on one grid page


def _recent_weeks(day):
    """[(monday, label)] for this week and the three before it, newest first."""
    monday, _ = week_of(day)
    labels = ["本周", "上周", "两周前", "三周前"]
    return [(monday - timedelta(weeks=i), f"{labels[i]}（{monday - timedelta(weeks=i):%m月%d日}起）") for i in range(4)]


def _townships(request, org):
    """The orgs under `org` to enter one by one when its groups do not fit one page."""
    return list(org_children(request.user, org)[:100])


def _conflict_messages(conflicts):
    """{group id: what someone else saved since the page was drawn}: today's members and the
    week's messages."""
    labels = dict(MessageCategory.choices)
    notes = {}
    for pk, (snapshot, counts) in conflicts.items():
        sent = "、".join(f"{labels[c]} {n} 条" for c, n in sorted(counts.items()))
        notes[pk] = (f"其他人刚刚保存了这个群本周的数据（今天成员合计 {snapshot.total if snapshot else 0} 人；"
                     f"本周发送 {sent or '未填'}）。请核对：再次点“全部保存”将以这里填写的为准。")
    return notes


def _restamped(data, formset, conflict):
    data = data.copy()
    for form in formset.forms:
        pk = form.cleaned_data.get("group")
        if pk in conflict.conflicts:
            data[f"{form.prefix}-stamp"] = conflict.stamps[pk]
    return data


def _rows_for_post(groups, formset):
    by_pk = {g.pk: g for g in groups}
    return [(by_pk.get(_int(form.data.get(f"{form.prefix}-group"))), form) for form in formset.forms]


def group_qr(request, group_id):
    """The join QR code, for signed-in users in scope only (never a public /media/ URL)."""
    return private_file_response(_group_for_user(request, group_id).qr_code)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


urls = [
    path("groups/", my_groups, name="my-groups"),
    path("orgs/<int:org_id>/groups/", group_list, name="groups"),
    path("orgs/<int:org_id>/groups/export/", group_export, name="group-export"),
    path("orgs/<int:org_id>/groups/new/", group_create, name="group-create"),
    path("orgs/<int:org_id>/weekly/", weekly, name="weekly"),
    path("groups/<int:group_id>/", group_detail, name="group-detail"),
    path("groups/<int:group_id>/edit/", group_edit, name="group-edit"),
    path("groups/<int:group_id>/delete/", group_delete, name="group-delete"),
    path("groups/<int:group_id>/snapshot/", snapshot_add, name="snapshot-add"),
    path("groups/<int:group_id>/qr/", group_qr, name="group-qr"),
]
