"""检查验收 pages: the city's rounds, the inspector's checklist on a phone (autosaved field by
field by static/js/checklist.js; the plain form works without it), the report (HTML, print,
.docx) and the county's 整改 answers once the city has published."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, relation_required, role_required
from qingnong.campaign.selectors import current_campaign
from qingnong.lib.files import private_file_response
from qingnong.lib.forms import run_service
from qingnong.org.scoping import in_scope, is_above, is_own_org

from ..forms.inspections import AssignForm, PhotoForm, ResponseForm, RoundForm, SpotCheckForm
from ..models import InspectionStatus, Verdict
from ..selectors import inspections as selectors
from ..services import inspections as services
from urllib.parse import quote


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _errors(error):
    return "；".join(error.messages)


def home(request):
    """The city: its rounds and every county's inspection; a county: its published results."""
    user = request.user
    rounds = list(selectors.round_list(user))
    inspections = list(selectors.inspection_list(user).filter(round__in=rounds) if rounds else
                       selectors.inspection_list(user))
    mine = list(selectors.inspections_to_do(user))
    campaign = current_campaign(user)
    can_create = bool(campaign and campaign.org_id == user.org_id and services.can_run_rounds(user, campaign.org))
    return render(request, "inspection/round_list.html", {
        "rounds": rounds, "inspections": inspections, "mine": mine, "can_create": can_create})


@role_required(Role.ADMIN)
def round_create(request):
    campaign = current_campaign(request.user)
    if not campaign or campaign.org_id != request.user.org_id:
        messages.error(request, "检查由组织建设计划的团委（市级）发起。")
        return redirect("inspection:home")
    counties = selectors.counties_of(campaign.org)
    form = RoundForm(request.POST or None, counties=counties, inspectors=selectors.inspector_choices(campaign.org),
                     initial={"name": f"{campaign.year}年检查验收"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, round = run_service(form, services.round_create, user=request.user, campaign=campaign, name=data["name"],
                                starts_on=data["starts_on"], ends_on=data["ends_on"], inspectors=form.inspectors())
        if ok:
            messages.success(request, f"已发起“{round.name}”，{round.inspections.count()} 个县区的检查表已按台帐数据生成。")
            return redirect("inspection:round-detail", round_id=round.pk)
    return render(request, "inspection/round_form.html", {"form": form, "campaign": campaign})


@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def round_detail(request, round_id):
    round = selectors.round_or_404(request.user, round_id)
    if not in_scope(request.user, round.org):
        raise PermissionDenied("检查轮次由发起检查的团委管理。")
    check_role(request, needed=request.method == "POST")  # any role reads the round; admins assign
    inspections = list(selectors.inspection_list(request.user, round=round))
    inspectors = selectors.inspector_choices(round.org)
    rows = [(i, AssignForm(initial={"inspector": i.inspector_id, "inspected_on": i.inspected_on}, inspectors=inspectors,
                           prefix=f"i{i.pk}")) for i in inspections]
    return render(request, "inspection/round_detail.html", {"round": round, "rows": rows})


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(is_above)
def inspection_assign(request, inspection_id):
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not is_above(request.user, inspection.org):
        raise PermissionDenied("只有市级管理员可以指派检查人。")
    check_role(request)
    form = AssignForm(request.POST, inspectors=selectors.inspector_choices(inspection.round.org), prefix=f"i{inspection.pk}")
    if form.is_valid():
        ok, _ = run_service(form, services.inspection_assign, user=request.user, inspection=inspection,
                            inspector=form.cleaned_data["inspector"], inspected_on=form.cleaned_data["inspected_on"])
        if ok:
            messages.success(request, f"已更新{inspection.org.name}的检查人和检查日期。")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("inspection:round-detail", round_id=inspection.round_id)


def _checklist_context(request, inspection, *, spot_form=None, photo_form=None):
    return {
        "inspection": inspection, "rows": selectors.checklist_rows(inspection), "verdicts": Verdict.choices,
        "spots": list(inspection.spot_checks.all()), "other_photos": selectors.other_photos(inspection),
        "editable": inspection.status in services.EDITABLE,
        "spot_form": spot_form or SpotCheckForm(groups=selectors.spot_check_groups(inspection)),
        "photo_form": photo_form or PhotoForm(),
    }


@relation_required(is_above)
def inspection_checklist(request, inspection_id):
    """The inspector's phone checklist. POST is the plain form (no JavaScript): every field
    with its row's version; fields someone else changed meanwhile are reported, not overwritten."""
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not services.can_inspect(request.user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以填写检查表。")
    if request.method == "POST":
        fields = [(key, request.POST.get(key, ""), _int(request.POST.get(f"v-{key.rsplit('-', 1)[0]}")))
                  for key in request.POST if key.startswith(("finding-", "spot-", "inspection-"))]
        try:
            conflicts = services.checklist_save(user=request.user, inspection=inspection, fields=fields)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            if conflicts:
                messages.warning(request, f"有 {len(conflicts)} 项已被他人修改，未覆盖，请核对后再改。")
            else:
                messages.success(request, "已保存。")
        return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)
    return render(request, "inspection/inspection_checklist.html", _checklist_context(request, inspection))


def _int(raw):
    return int(raw) if raw and raw.isdigit() else None


@require_POST
@relation_required(is_above)
def inspection_autosave(request, inspection_id):
    """One field of the checklist (checklist.js). JSON: 200 saved (or already so), 409 someone
    else changed it, 400 refused. A plain POST gets a redirect back with a message."""
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not services.can_inspect(request.user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以填写检查表。")
    try:
        row, changed = services.checklist_field_save(
            user=request.user, inspection=inspection, target=request.POST.get("target", ""),
            value=request.POST.get("value", ""), expected_version=_int(request.POST.get("version")))
    except services.Conflict as conflict:
        name = request.POST.get("target", "").rsplit("-", 1)[-1]
        current = getattr(conflict.current, name, "")
        if not _wants_json(request):
            messages.warning(request, conflict.messages[0])
            return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)
        return JsonResponse({"ok": False, "conflict": True, "message": conflict.messages[0],
                             "version": conflict.current.version, "value": _shown(current)}, status=409)
    except ValidationError as error:
        if not _wants_json(request):
            messages.error(request, _errors(error))
            return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)
        return JsonResponse({"ok": False, "message": _errors(error)}, status=400)
    if not _wants_json(request):
        messages.success(request, "已保存。")
        return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)
    return JsonResponse({"ok": True, "changed": changed, "version": row.version})


def _shown(value):
    return {True: "yes", False: "no", None: ""}.get(value, value) if isinstance(value, (bool, type(None))) else value


@require_POST
@relation_required(is_above)
def spot_check_add(request, inspection_id):
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not services.can_inspect(request.user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以填写检查表。")
    form = SpotCheckForm(request.POST, groups=selectors.spot_check_groups(inspection))
    ok = form.is_valid()
    if ok:
        ok, spot = run_service(form, services.spot_check_add, user=request.user, inspection=inspection,
                               **form.service_fields())
    problem = "抽查记录未添加：" + "；".join(e for errors in form.errors.values() for e in errors)
    if _wants_json(request):  # checklist.js, which queues the spot check while offline
        return JsonResponse({"ok": True, "id": spot.pk} if ok else {"ok": False, "message": problem}, status=200 if ok else 400)
    if ok:
        messages.success(request, "已添加抽查记录。")
        return redirect(reverse("inspection:inspection-checklist", kwargs={"inspection_id": inspection.pk}) + "#spots")
    messages.error(request, problem)
    return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)


@require_POST
@relation_required(is_above)
def photo_add(request, inspection_id):
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not services.can_inspect(request.user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以上传检查照片。")
    form = PhotoForm(request.POST, request.FILES)
    finding = None
    if form.is_valid():
        finding = next((f for f in inspection.findings.all() if f.pk == form.cleaned_data["finding"]), None)
        ok, photos = run_service(form, services.photo_add, user=request.user, inspection=inspection, finding=finding,
                                 uploads=form.cleaned_data["photos"])
        if ok:
            messages.success(request, f"已上传 {len(photos)} 张照片。")
    if form.errors:
        messages.error(request, "照片未上传：" + "；".join(e for errors in form.errors.values() for e in errors))
    anchor = f"#finding-{finding.pk}" if finding else ""
    return redirect(reverse("inspection:inspection-checklist", kwargs={"inspection_id": inspection.pk}) + anchor)


@require_POST
@relation_required(is_above)
def figures_refresh(request, inspection_id):
    """Re-take the ledger's figures as of the inspection date (the county may have caught up
    with its ledger since the round began); only before the inspector submits."""
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not services.can_inspect(request.user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以更新台帐数据。")
    try:
        services.finding_figures_refresh(user=request.user, inspection=inspection)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已按 {selectors.figures_as_of(inspection):%Y-%m-%d} 的台帐数据更新。")
    return redirect("inspection:inspection-checklist", inspection_id=inspection.pk)


def _workflow(request, inspection_id, service, done):
    """Submit (the inspector's, whatever the role) or publish (a city admin's, declared on the
    view); the service checks the relation."""
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if hasattr(request, "required_role"):
        check_role(request)
    try:
        service(user=request.user, inspection=inspection)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done.format(county=inspection.org.name))
    return redirect("inspection:inspection-detail", inspection_id=inspection.pk)


@require_POST
@relation_required(is_above)
def inspection_submit(request, inspection_id):
    return _workflow(request, inspection_id, services.inspection_submit, "{county}的检查已完成，等待市级发布。")


@require_POST
@role_required(Role.ADMIN, after_scope=True)
@relation_required(is_above)
def inspection_publish(request, inspection_id):
    return _workflow(request, inspection_id, services.inspection_publish, "已发布{county}的检查结果，县区现在可以查看并回复整改情况。")


@require_POST
@role_required(Role.REPORTER, after_scope=True)
@relation_required(is_own_org)
def finding_respond(request, inspection_id):
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    if not is_own_org(request.user, inspection.org):
        raise PermissionDenied("整改情况由被检查县区的管理员或填报员填写。")
    check_role(request)
    finding = next((f for f in inspection.findings.all() if str(f.pk) == request.POST.get("finding")), None)
    form = ResponseForm(request.POST)
    if finding is None or not form.is_valid():
        messages.error(request, "请填写整改情况。")
        return redirect("inspection:inspection-detail", inspection_id=inspection.pk)
    ok, _ = run_service(form, services.finding_respond, user=request.user, finding=finding,
                        response=form.cleaned_data["response"], expected_version=form.cleaned_data["version"])
    if ok:
        messages.success(request, f"已回复“{finding.get_item_display()}”的整改情况。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("inspection:inspection-detail", kwargs={"inspection_id": inspection.pk}) + f"#finding-{finding.pk}")


def inspection_detail(request, inspection_id):
    """The report: figures, verdicts, photos, spot checks and the county's answers. ?print=1
    loads the print stylesheet for the screen too."""
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    user = request.user
    return render(request, "inspection/inspection_report.html", {
        "inspection": inspection, "rows": selectors.checklist_rows(inspection), "spots": list(inspection.spot_checks.all()),
        "other_photos": selectors.other_photos(inspection), "printing": request.GET.get("print") == "1",
        "can_inspect": services.can_inspect(user, inspection) and inspection.status in services.EDITABLE,
        "can_publish": is_above(user, inspection.org) and user.can_manage_users and inspection.status == InspectionStatus.SUBMITTED,
        "can_respond": is_own_org(user, inspection.org) and user.can_edit and inspection.status == InspectionStatus.PUBLISHED,
    })


def inspection_docx(request, inspection_id):
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    content = selectors.report_docx(inspection)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = f"{inspection.round.name}-{inspection.org.name}检查报告.docx"
    response["Content-Disposition"] = f"attachment; filename=\"inspection-{inspection.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    return response


def photo(request, inspection_photo_id):
    """Inspection photos, served to whoever may see the inspection (never a public URL)."""
    item = selectors.photo_or_404(request.user, inspection_photo_id)
    return private_file_response(item.image, content_type="image/jpeg")


urls = [
    path("", home, name="home"),
    path("rounds/new/", round_create, name="round-create"),
    path("rounds/<int:round_id>/", round_detail, name="round-detail"),
    path("<int:inspection_id>/", inspection_detail, name="inspection-detail"),
    path("<int:inspection_id>/report.docx", inspection_docx, name="inspection-docx"),
    path("<int:inspection_id>/checklist/", inspection_checklist, name="inspection-checklist"),
    path("<int:inspection_id>/autosave/", inspection_autosave, name="inspection-autosave"),
    path("<int:inspection_id>/spot-checks/", spot_check_add, name="spot-check-add"),
    path("<int:inspection_id>/photos/", photo_add, name="photo-add"),
    path("<int:inspection_id>/assign/", inspection_assign, name="inspection-assign"),
    path("<int:inspection_id>/refresh/", figures_refresh, name="figures-refresh"),
    path("<int:inspection_id>/submit/", inspection_submit, name="inspection-submit"),
    path("<int:inspection_id>/publish/", inspection_publish, name="inspection-publish"),
    path("<int:inspection_id>/respond/", finding_respond, name="finding-respond"),
    path("photos/<int:inspection_photo_id>/", photo, name="photo"),
]
