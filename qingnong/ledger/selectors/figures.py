"""Reads of townships' own figures (团支部数、团干部数、团员青年数)."""
from django.db.models import OuterRef, Subquery

from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped

from ..models import TownshipFigures


def figures_history(user, township):
    return scoped(TownshipFigures.objects.filter(org=township), user).select_related("entered_by").order_by("-as_of")


def figures_on(user, township, as_of):
    return figures_history(user, township).filter(as_of=as_of).first()


def township_latest(user, org):
    """The townships under `org`, each with its latest figures, in one query: the latest row
    per township is a correlated subquery on the (org, as_of) unique index."""
    latest = TownshipFigures.objects.filter(org=OuterRef("pk")).order_by("-as_of")
    return scoped(Org.objects.filter(path__startswith=org.path, level=OrgLevel.TOWNSHIP), user).annotate(
        as_of=Subquery(latest.values("as_of")[:1]),
        branch_count=Subquery(latest.values("branch_count")[:1]),
        cadre_count=Subquery(latest.values("cadre_count")[:1]),
        youth_count=Subquery(latest.values("youth_count")[:1]),
    ).order_by("path")


def county_list(user, org):
    """The counties under a city (or province) node, for picking one."""
    return scoped(Org.objects.filter(path__startswith=org.path, level=OrgLevel.COUNTY), user).order_by("path")
