"""Targets the ledger shows beside its records but does not own: the campaign sets them
(每名基层团干部联系青年不少于 N 名). The campaign app registers how to read them in its
AppConfig.ready(), so the ledger imports nothing above it; with no campaign, the 2014
plan's own figure holds (rules.YOUTHS_PER_CADRE)."""
from .rules import YOUTHS_PER_CADRE

_providers = {}


def provide(name, read):
    """Register `read(user)` → the target `name` in force for `user`, or None."""
    _providers[name] = read


def youths_per_cadre(user):
    read = _providers.get("youths_per_cadre")
    return (read(user) if read else None) or YOUTHS_PER_CADRE
