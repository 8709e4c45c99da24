"""Mirror every django-simple-history row into the org-indexed audit log.

A signal is used here (not for business steps) because audit must catch every write,
including the Django admin and shell, without each service remembering to call it.
"""
from simple_history.utils import get_history_manager_for_model

from .services import action_for, audit_log, history_changes


def write_audit_entry(sender, instance, history_instance, history_user, **kwargs):
    changes = history_changes(history_instance)
    if history_instance.history_type == "~" and not changes:
        return  # a save that changed nothing visible (e.g. last_login) is not an action
    # A service may explain the write (e.g. a duplicate the user confirmed) in `_audit_note`,
    # set on the instance next to `_history_user`.
    audit_log(obj=instance, action=action_for(history_instance, changes), user=history_user, changes=changes,
              note=getattr(instance, "_audit_note", ""))


def backfill_creation(sender, instance, raw=False, **kwargs):
    """Before the first save of a row that has no history (bulk-loaded: the division loader,
    the demo, synth's COPY, a bulk write), record its creation from the stored row, dated
    when it was made, so that this edit has a 修改前 (issue 17: the first edit of a demo
    cadre's mobile was in neither 修改历史 nor 操作记录). One indexed lookup per save; the
    loaders that can also write the creation up front (bulk_create_with_history)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if not hasattr(sender._meta, "simple_history_manager_attribute"):
        return
    history = get_history_manager_for_model(sender)
    if history.filter(**{sender._meta.pk.attname: instance.pk}).exists():
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        history.bulk_history_create([stored], default_change_reason="批量导入时创建",
                                    default_date=getattr(stored, "created_at", None))
