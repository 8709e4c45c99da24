"""Which models are audited and can be restored from the 回收站.

Each app registers its own models in its AppConfig.ready() (`track(...)`), so this low
app names none of the apps above it. A short, URL-safe key maps to a model: the per-record
操作记录 page and the 回收站 look models up here, so a URL can never name an arbitrary model.
"""
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Tracked:
    key: str  # "group": in URLs (history/group/5/) and the restore service's argument name
    model: type
    restore: Optional[Callable] = None  # service(user=…, <key>=record); None: not in the 回收站


_TRACKED: dict[str, Tracked] = {}


def track(key, model, *, restore=None):
    """Register `model` under `key`; with `restore`, its soft-deleted rows are in the 回收站
    (the service checks the model's own rules, e.g. the parent org must be live)."""
    _TRACKED[key] = Tracked(key, model, restore)


def model_for(key):
    tracked = _TRACKED.get(key)
    return tracked.model if tracked else None


def trashable():
    """The trashable kinds, in registration order (the 回收站's sections)."""
    return [t for t in _TRACKED.values() if t.restore is not None]


def restore_service(key):
    tracked = _TRACKED.get(key)
    return tracked.restore if tracked else None
