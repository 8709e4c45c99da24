"""Reads of the 操作记录 and the 回收站, scoped like every other read."""
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from qingnong.org.scoping import get_scoped_or_404, scoped

from qingnong.audit.models import AuditEntry
from qingnong.audit.registry import model_for, trashable


def org_history(user, org, *, action=""):
    """操作记录 of everything under `org` (which the caller has already scoped)."""
    entries = scoped(AuditEntry.objects.select_related("content_type"), user).filter(org_path__startswith=org.path)
    if action:
        entries = entries.filter(action=action)
    return entries


def tracked_record_or_404(user, model_key, object_id):
    model = model_for(model_key)
    if model is None:
        raise Http404("记录不存在")
    manager = getattr(model, "all_objects", model._default_manager)
    return get_scoped_or_404(manager.all(), user, pk=object_id)


def record_history(user, record):
    content_type = ContentType.objects.get_for_model(type(record))
    return scoped(AuditEntry.objects.filter(content_type=content_type, object_id=record.pk), user)


def trash(user):
    """[(key, verbose name, page of deleted rows in scope)] for every trashable model."""
    sections = []
    for kind in trashable():
        rows = scoped(kind.model.all_objects.filter(deleted_at__isnull=False).select_related("deleted_by"), user)
        sections.append((kind.key, kind.model._meta.verbose_name, rows.order_by("-deleted_at")))
    return sections
