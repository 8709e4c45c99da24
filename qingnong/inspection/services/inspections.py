"""Inspection writes: rounds, the inspector's checklist, submit, publish, the county's answer.

方案“检查验收”：the city inspects every county on four items. Workflow of one inspection:
待检查 → 检查中 (first save) → 已完成 (the inspector submits) → 已发布 (the city publishes;
only now the county sees it and answers each finding with its 整改 response).

The checklist is saved one field at a time from a phone on a flaky connection, so a save
must be idempotent (a retry of a save whose answer was lost changes nothing) and safe
against someone else's edit: a save based on an older version is refused only if another
person changed that field since; the inspector's own later saves never conflict with his
retried earlier ones.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.lib.photos import photo_jpegs
from qingnong.lib.dates import today
from qingnong.org.scoping import in_scope, is_above, is_own_org

from ..models import Finding, FocusItem, Inspection, InspectionPhoto, InspectionRound, InspectionStatus, SpotCheck, Verdict
from ..selectors.inspections import counties_of, figures_as_of, finding_figures

EDITABLE = (InspectionStatus.ASSIGNED, InspectionStatus.IN_PROGRESS)
MAX_PHOTOS = 20  # per inspection: a few per item is what the notebook held


# SpotCheck.passed is None until the inspector has checked (是否属实 未确定); the model
# field is not blank=True, so full_clean would call None missing.
_UNDECIDED = ["passed"]


class Conflict(ValidationError):
    """Someone else saved the field since the version the client started from."""

    def __init__(self, current):
        super().__init__("该项已被他人修改，请刷新后再改。")
        self.current = current


def can_run_rounds(user, org):
    return in_scope(user, org) and user.can_manage_users


def can_inspect(user, inspection):
    """The assigned inspector, or an admin of an org above the county (the city admin)."""
    if not user.is_active or not is_above(user, inspection.org):
        return False
    return inspection.inspector_id == user.pk or user.can_manage_users


def _require_inspector(user, inspection):
    if not can_inspect(user, inspection):
        raise PermissionDenied("只有被指派的检查人或市级管理员可以填写检查表。")


@transaction.atomic
def round_create(*, user, campaign, name, starts_on, ends_on, inspectors=None):
    """A round for `campaign` run by the campaign's org, one inspection per county under it,
    each with the four items pre-filled with the ledger's figures as of its first day.
    `inspectors`: {county pk: user}."""
    if not can_run_rounds(user, campaign.org) or user.org_id != campaign.org_id:
        raise PermissionDenied("检查由组织建设计划的团委管理员发起。")
    round = InspectionRound(campaign=campaign, org=campaign.org, name=name, starts_on=starts_on, ends_on=ends_on)
    if ends_on and starts_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    round.full_clean()
    round._history_user = user
    round.save()
    inspectors = inspectors or {}
    for county in counties_of(campaign.org):
        inspector = inspectors.get(county.pk)
        if inspector is not None:
            _check_inspector(round, inspector)
        inspection = Inspection(round=round, org=county, inspector=inspector, inspected_on=starts_on)
        inspection._history_user = user
        inspection.save()
        figures = finding_figures(county, campaign=campaign, as_of=figures_as_of(inspection))
        for item in FocusItem.values:
            finding = Finding(inspection=inspection, item=item, figures=figures[item])
            finding._history_user = user
            finding.save()
    return round


def _check_inspector(round, inspector):
    if inspector.org_id != round.org_id or not inspector.is_active:
        raise ValidationError({"inspector": f"检查人须为{round.org.name}本级的账号。"})


@transaction.atomic
def inspection_assign(*, user, inspection, inspector, inspected_on=None):
    """Assign (or change) the inspector and the date; a new date re-takes the figures."""
    if not can_run_rounds(user, inspection.round.org):
        raise PermissionDenied("只有市级管理员可以指派检查人。")
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("round__campaign", "org").get(pk=inspection.pk)
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已完成，不能再改检查人。")
    if inspector is not None:
        _check_inspector(inspection.round, inspector)
    inspection.inspector = inspector
    redo = inspected_on and inspected_on != inspection.inspected_on
    if inspected_on:
        inspection.inspected_on = inspected_on
    inspection.version += 1
    inspection._history_user = user
    inspection.save()
    if redo:
        finding_figures_refresh(user=user, inspection=inspection)
    return inspection


@transaction.atomic
def finding_figures_refresh(*, user, inspection):
    """Re-take the ledger's figures as of the inspection date (before the inspector submits)."""
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已完成，台帐数据不再更新。")
    figures = finding_figures(inspection.org, campaign=inspection.round.campaign, as_of=figures_as_of(inspection))
    for finding in inspection.findings.all():
        finding.figures = figures[finding.item]
        finding.version += 1
        finding._history_user = user
        finding.save()


# The checklist's fields, saved one at a time: target "finding-<pk>-verdict" etc.
FINDING_FIELDS = ("verdict", "comment")
SPOT_FIELDS = ("question", "passed", "note")


def _clean(model_field, raw):
    if model_field == "passed":
        return {"yes": True, "no": False}.get(raw)
    if model_field == "verdict" and raw and raw not in Verdict.values:
        raise ValidationError("结论只能是达标、基本达标或未达标。")
    return (raw or "").strip() if model_field != "comment" else (raw or "")


def _target(inspection, target):
    """(model class, row pk, field) named by a checklist target."""
    kind, _, rest = target.partition("-")
    pk, _, name = rest.partition("-")
    if kind == "inspection" and name == "" and pk == "summary":
        return Inspection, inspection.pk, "summary"
    if not pk.isdigit():
        raise ValidationError("无法识别要保存的内容。")
    if kind == "finding" and name in FINDING_FIELDS:
        return Finding, int(pk), name
    if kind == "spot" and name in SPOT_FIELDS:
        return SpotCheck, int(pk), name
    raise ValidationError("无法识别要保存的内容。")


@transaction.atomic
def checklist_field_save(*, user, inspection, target, value, expected_version):
    """Save one field of the checklist. Returns (saved row, changed). Idempotent: the value
    already stored is a success that changes nothing. A version behind is fine if only the
    same account wrote since (its own retried saves); otherwise Conflict."""
    _require_inspector(user, inspection)
    model, pk, name = _target(inspection, target)
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已提交，不能再修改。")
    if model is Inspection:
        row = inspection
    else:
        row = model.objects.select_for_update(of=("self",)).filter(inspection=inspection, pk=pk).first()
        if row is None:
            raise ValidationError("该项不存在或已删除。")
    value = _clean(name, value)
    if getattr(row, name) == value:
        return row, False
    if expected_version is not None and expected_version != row.version and _changed_by_others(row, name, expected_version, user):
        raise Conflict(row)
    setattr(row, name, value)
    row.full_clean(exclude=_UNDECIDED)
    row.version += 1
    row._history_user = user
    row.save()
    if inspection.status == InspectionStatus.ASSIGNED:
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.version += 1
        inspection._history_user = user
        inspection.save()
    return row, True


def _changed_by_others(row, name, expected_version, user):
    """Did someone other than `user` change field `name` after `expected_version`?
    Another field of the row (the city admin re-dating the inspection) is no conflict."""
    if expected_version > row.version:
        return True
    base = row.history.filter(version__lte=expected_version).order_by("-version", "-history_id").first()
    before = getattr(base, name) if base else None
    later = row.history.filter(version__gt=expected_version).exclude(history_user=user)
    return any(getattr(h, name) != before for h in later)


@transaction.atomic
def checklist_save(*, user, inspection, fields):
    """The plain form (no JavaScript): every field at once, each with its version.
    `fields`: [(target, value, version)]. Returns the targets refused as conflicts."""
    conflicts = []
    for target, value, version in fields:
        try:
            with transaction.atomic():
                checklist_field_save(user=user, inspection=inspection, target=target, value=value,
                                     expected_version=version)
        except Conflict:
            conflicts.append(target)
    return conflicts


@transaction.atomic
def spot_check_add(*, user, inspection, question, group=None, passed=None, note=""):
    _require_inspector(user, inspection)
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已提交，不能再修改。")
    if group is not None and not group.org.path.startswith(inspection.org.path):
        raise ValidationError({"group": "抽查的微信群须属于被检查县区。"})
    spot = SpotCheck(inspection=inspection, group=group, question=question, passed=passed, note=note or "")
    spot.full_clean(exclude=_UNDECIDED)
    spot._history_user = user
    spot.save()
    return spot


@transaction.atomic
def photo_add(*, user, inspection, finding=None, uploads):
    """Photos taken on the spot; checked, resized and stripped of EXIF like activity photos."""
    _require_inspector(user, inspection)
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已提交，不能再上传照片。")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError("检查项不属于该检查。")
    jpegs = photo_jpegs(uploads, existing=inspection.photos.count(), limit=MAX_PHOTOS, what="每次检查")
    photos = []
    for content in jpegs:
        photo = InspectionPhoto(inspection=inspection, finding=finding)
        photo.image.save(content.name, content, save=False)
        photo.save()
        photos.append(photo)
    if photos:
        audit_log(obj=inspection, action=AuditAction.UPDATE, user=user, note=f"上传检查照片 {len(photos)} 张")
    return photos


@transaction.atomic
def inspection_submit(*, user, inspection):
    """已完成: every item has a verdict. The inspector can no longer change it."""
    _require_inspector(user, inspection)
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    if inspection.status not in EDITABLE:
        raise ValidationError("检查已提交。")
    if inspection.inspected_on and inspection.inspected_on > today():  # an inspection not held yet
        raise ValidationError(f"检查日期是 {inspection.inspected_on:%Y-%m-%d}，还没到，不能完成检查。"
                              "请在检查当天或之后提交；日期有变请市级管理员改检查日期。")
    missing = [f.get_item_display() for f in inspection.findings.all() if not f.verdict]
    if missing:
        raise ValidationError(f"请先给出结论：{'、'.join(missing)}。")
    inspection.status = InspectionStatus.SUBMITTED
    inspection.version += 1
    inspection._history_user = user
    inspection.save()
    return inspection


@transaction.atomic
def inspection_publish(*, user, inspection):
    """The city publishes a completed inspection; from now on the county sees it."""
    if not is_above(user, inspection.org) or not user.can_manage_users:
        raise PermissionDenied("检查结果由市级管理员发布。")
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    if inspection.status != InspectionStatus.SUBMITTED:
        raise ValidationError("只有已完成的检查可以发布。" if inspection.status != InspectionStatus.PUBLISHED else "检查结果已发布。")
    inspection.status = InspectionStatus.PUBLISHED
    inspection.published_at = timezone.now()
    inspection.version += 1
    inspection._history_user = user
    inspection.save()
    return inspection


@transaction.atomic
def finding_respond(*, user, finding, response, expected_version=None):
    """The county's 整改 answer to one finding of its published inspection."""
    inspection = Inspection.objects.select_related("org").get(pk=finding.inspection_id)  # the status now, not a cached copy
    if not is_own_org(user, inspection.org) or not user.can_edit:
        raise PermissionDenied("整改情况由被检查县区的管理员或填报员填写。")
    if inspection.status != InspectionStatus.PUBLISHED:
        raise ValidationError("检查结果发布后才能回复整改情况。")
    finding = Finding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "请填写整改情况。"})
    if response == finding.response:
        return finding
    if expected_version is not None and expected_version != finding.version:
        raise Conflict(finding)
    finding.response = response
    finding.responded_at = timezone.now()
    finding.version += 1
    finding._history_user = user
    finding.save()
    return finding
