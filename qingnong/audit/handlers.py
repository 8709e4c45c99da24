"""Mirror every django-simple-history row into the org-indexed audit log.

A signal is used here (not for business steps) because audit must catch every write,
including the Django admin and shell, without each service remembering to call it.
"""
from .services import action_for, audit_log, history_changes


def write_audit_entry(sender, instance, history_instance, history_user, **kwargs):
    changes = history_changes(history_instance)
    if history_instance.history_type == "~" and not changes:
        return  # a save that changed nothing visible (e.g. last_login) is not an action
    # A service may explain the write (e.g. a duplicate the user confirmed) in `_audit_note`,
    # set on the instance next to `_history_user`.
    audit_log(obj=instance, action=action_for(history_instance, changes), user=history_user, changes=changes,
              note=getattr(instance, "_audit_note", ""))
