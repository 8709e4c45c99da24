"""Writes to the audit log, and the soft delete / restore every domain record shares."""
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qingnong.lib.http import client_ip

from .models import AuditAction, AuditEntry
from .registry import restore_service


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def _display(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fit(note):
    """A note longer than the column holds is cut with an ellipsis, never refused (a
    reminder that names 30 townships is still recorded; PostgreSQL enforces the length)."""
    limit = AuditEntry._meta.get_field("note").max_length
    return note if len(note) <= limit else note[:limit - 1] + "…"


def audit_log(*, obj, action, user=None, changes=None, note="", request=None):
    """Record one action on `obj`. Called by the history signal and by services
    for actions that change no tracked field (password reset, bulk loads)."""
    request = request or _current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        user=user,
        user_label=(user.get_full_name() or user.username) if user else "系统",
        ip=client_ip(request),
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        org_path=obj.owner_org.path if obj.owner_org else "",
        changes=changes or {},
        note=_fit(note),
    )


def audit_log_bulk(entries, *, user):
    """Many audit entries in one INSERT (bulk services: the weekly entry, imports).
    `entries` are dicts with obj, action, changes and note."""
    request = _current_request()
    ip = client_ip(request)
    label = (user.get_full_name() or user.username) if user else "系统"
    types = {}
    rows = []
    for entry in entries:
        obj = entry["obj"]
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        rows.append(AuditEntry(
            user=user, user_label=label, ip=ip, action=entry["action"], content_type=types[model],
            object_id=obj.pk, object_repr=str(obj)[:200], org_path=obj.owner_org.path,
            changes=entry.get("changes") or {}, note=_fit(entry.get("note", "")),
        ))
    AuditEntry.objects.bulk_create(rows)


def _field_display(field, value):
    """A stored value as the UI shows it: choice labels, 是/否, the related record's name."""
    if field is None or value is None or value == "":
        return _display(value)
    shown = getattr(field.model, "audit_display", {}).get(field.name)  # a model's own way to show a stored value
    if shown is not None:
        return shown(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.many_to_one:  # history stores the key; the log shows whom/what it points to
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return _display(value)


def audit_export(*, org, user, what):
    """An Excel download of `org`'s data (`what`: "微信群台帐（全部，共 120 条）"), in its 操作记录:
    the ledger lists and forms carry names and phone numbers."""
    return audit_log(obj=org, action=AuditAction.EXPORT, user=user, note=f"导出{what}")


def history_changes(history_instance):
    """{字段中文名: [之前, 之后]} between a historical row and the one before it; for a
    new record, its initial values (之前 is "")."""
    previous = history_instance.prev_record
    if previous is None:
        if history_instance.history_type != "+":
            return {}
        pairs = [(f.name, None, getattr(history_instance, f.attname)) for f in history_instance.tracked_fields
                 if f.editable and not f.primary_key and getattr(history_instance, f.attname) not in (None, "", False)]
    else:
        pairs = [(c.field, c.old, c.new) for c in history_instance.diff_against(previous).changes]
    model = history_instance.instance_type
    changes = {}
    for name, old, new in pairs:
        if name in {"version", "updated_at"}:
            continue
        try:
            field = model._meta.get_field(name)
            label = str(field.verbose_name)
        except Exception:  # a field removed since; keep its name
            field, label = None, name
        changes[label] = [_field_display(field, old), _field_display(field, new)]
    return changes


def action_for(history_instance, changes):
    if history_instance.history_type == "+":
        return AuditAction.CREATE
    if history_instance.history_type == "-":
        return AuditAction.DELETE
    deleted_label = "删除时间"
    if deleted_label in changes:
        before, after = changes[deleted_label]
        if not before and after:
            return AuditAction.DELETE
        if before and not after:
            return AuditAction.RESTORE
    return AuditAction.UPDATE


def check_version(obj, expected_version):
    """Refuse an edit made on an older copy of the record."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise ValidationError("该记录已被他人修改（您看到的是旧版本），请刷新页面后重新填写。")


def save_edit(obj, *, user):
    """Save an edit made through a service: bump the version (a form showing an older one
    is then refused by check_version), validate, and name the user on the history row."""
    obj.version += 1
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


@transaction.atomic
def record_soft_delete(*, obj, user):
    obj.deleted_at = timezone.now()
    obj.deleted_by = user
    obj.version += 1
    obj._history_user = user
    obj.save()


@transaction.atomic
def record_restore(*, obj, user):
    obj.deleted_at = None
    obj.deleted_by = None
    obj.version += 1
    obj._history_user = user
    obj.save()


def restore_trashed(model_key, *, user, record):
    """Run the restore service of a trashable model (it checks that model's own rules,
    e.g. the parent org must be live); a service may return warnings for the page."""
    return restore_service(model_key)(user=user, **{model_key: record})
