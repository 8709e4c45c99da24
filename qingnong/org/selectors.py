"""Reads of the org tree. Every function takes the user first and returns scoped rows."""
import os

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr

from .models import Org, OrgLevel
from .scoping import in_scope, scoped, visible_orgs


def subtree_aggregate(qs, aggregate=None, default=0):
    """One aggregate (COUNT by default) of `qs` rows, as a correlated subquery: `qs` filters
    on OuterRef("path") to reach the outer org's subtree."""
    sub = qs.order_by().annotate(_k=Value(1)).values("_k").annotate(v=aggregate or Count("pk")).values("v")
    return Coalesce(Subquery(sub[:1]), default) if default is not None else Subquery(sub[:1])


def _count_in_subtree(qs):
    return subtree_aggregate(qs)


def with_counts(orgs):
    """Annotate each org with the size of its subtree, all in the same SQL statement."""
    below = Org.objects.filter(path__startswith=OuterRef("path")).exclude(pk=OuterRef("pk"))  # not the org itself
    return orgs.annotate(
        township_count=_count_in_subtree(below.filter(level=OrgLevel.TOWNSHIP)),
        village_count=_count_in_subtree(below.filter(level=OrgLevel.VILLAGE)),
        direct_count=_count_in_subtree(below.filter(level=OrgLevel.DIRECT)),
    )


def org_children(user, org):
    return scoped(org.children.all(), user).order_by("level", "code", "name")


def root_orgs(user):
    """The top of what `user` sees: their own org, or every root for a superuser."""
    if user.org_id:
        return visible_orgs(user).filter(pk=user.org_id)
    return visible_orgs(user).filter(parent__isnull=True)


def org_search(user, query, *, level=None):
    orgs = visible_orgs(user)
    if query:
        orgs = orgs.filter(Q(name__icontains=query) | Q(code__startswith=query))
    if level:
        orgs = orgs.filter(level=level)
    return orgs.order_by("path")


def ancestors_by_path(orgs):
    """{path: Org} for every ancestor of `orgs`, in one query, for breadcrumbs."""
    paths = {p for org in orgs for p in org.ancestor_paths()}
    return {o.path: o for o in Org.all_objects.filter(path__in=paths).only("id", "name", "path", "level")}


def with_ancestor_names(orgs):
    """Set `ancestor_names` on each org of a page (one query for the whole page)."""
    orgs = list(orgs)
    ancestors = ancestors_by_path(orgs)
    for org in orgs:
        org.ancestor_names = [ancestors[p].name for p in org.ancestor_paths() if p in ancestors]
    return orgs


def breadcrumbs(user, org):
    """Ancestors of `org` that `user` may see, root first."""
    ancestors = ancestors_by_path([org])
    return [ancestors[p] for p in org.ancestor_paths() if p in ancestors and in_scope(user, ancestors[p])]


def common_path(paths):
    """The longest whole-segment prefix of `paths` ("610000/610800/" for two of its counties)."""
    common = os.path.commonprefix(list(paths))
    return common[: common.rfind("/") + 1]


def rollup(orgs, queryset, *, path="org__path", by=(), **aggregates):
    """Aggregates of `queryset` over each org's subtree, for many orgs at once:
    {org path: {name: value}} (or {(org path, *by values): …} with `by`).

    One GROUP BY over the orgs' common ancestor only, keyed by the leading part of each
    row's path: a whole province's counties cost one scan per table instead of one
    subquery per county and figure. Orgs at several depths (a parent and its children)
    share that one scan when every aggregate is Count/Sum/Max/Min: rows are grouped by the
    longest path length and the shorter paths add up the groups under them (bench/RESULTS.md:
    the province dashboard scanned each table twice before)."""
    by_length = {}
    for org in orgs:
        by_length.setdefault(len(org.path), []).append(org.path)
    if len(by_length) > 1 and all(_combiner(a) for a in aggregates.values()):
        return _rollup_once([p for paths in by_length.values() for p in paths], queryset, path, by, aggregates)
    result = {}
    for length, paths in by_length.items():
        common = common_path(paths)
        wanted = set(paths)
        rows = (queryset.filter(**{f"{path}__startswith": common})
                .annotate(_subtree=Substr(path, 1, length)).values("_subtree", *by)
                .annotate(**aggregates).order_by())
        for row in rows:
            if row["_subtree"] in wanted:
                key = (row["_subtree"], *(row[b] for b in by)) if by else row["_subtree"]
                result[key] = {name: row[name] for name in aggregates}
    return result


def _combiner(aggregate):
    """How two partial values of `aggregate` combine, or None if they cannot (Avg, DISTINCT)."""
    if getattr(aggregate, "distinct", False):
        return None
    return {Count: _add, Sum: _add, Max: max, Min: min}.get(type(aggregate))


def _add(a, b):
    return a + b


def _rollup_once(paths, queryset, path, by, aggregates):
    longest = max(len(p) for p in paths)
    common = common_path(paths)
    wanted = set(paths)
    combine = {name: _combiner(a) for name, a in aggregates.items()}
    rows = (queryset.filter(**{f"{path}__startswith": common})
            .annotate(_subtree=Substr(path, 1, longest)).values("_subtree", *by)
            .annotate(**aggregates).order_by())
    result = {}
    for row in rows:
        sub = row["_subtree"]
        # The wanted paths above this row: "/"-ending prefixes of its (cut) path.
        cut = sub.find("/")
        while cut != -1:
            prefix = sub[: cut + 1]
            if prefix in wanted:
                key = (prefix, *(row[b] for b in by)) if by else prefix
                current = result.get(key)
                if current is None:
                    result[key] = {name: row[name] for name in aggregates}
                else:
                    for name, fn in combine.items():
                        a, b = current[name], row[name]
                        current[name] = b if a is None else a if b is None else fn(a, b)
            cut = sub.find("/", cut + 1)
    return result
