"""Reads of cadres (团干部): scoped, filtered, paged by the caller."""
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Sum, Value, When

from qingnong.org.scoping import scoped

from ..models import AccountAdmin, Cadre, WechatGroup
from ..rules import YOUTHS_PER_CADRE


def reach_gap(target):
    """How many youths a grassroots cadre still lacks to reach `target` (0 once reached)."""
    return Case(When(is_grassroots=True, youths_reached__lt=target, then=Value(target) - F("youths_reached")),
                default=Value(0), output_field=IntegerField())


def cadre_list(user, org, *, grassroots="", query="", target=YOUTHS_PER_CADRE):
    """Cadres of `org` or anything below it, with the groups each owns (one prefetch) and
    each one's gap to the campaign's `target`."""
    cadres = scoped(Cadre.objects.select_related("org"), user).filter(org__path__startswith=org.path)
    if grassroots == "1":
        cadres = cadres.filter(is_grassroots=True)
    elif grassroots == "0":
        cadres = cadres.filter(is_grassroots=False)
    if query:
        # Name, position and org only: a viewer must not find a masked phone by searching it.
        cadres = cadres.filter(Q(name__icontains=query) | Q(position__icontains=query) | Q(org__name__icontains=query))
    owned = Prefetch("groups", queryset=WechatGroup.objects.only("pk", "name", "owner_id").order_by("name"))
    return cadres.prefetch_related(owned).annotate(gap=reach_gap(target)).order_by("org__path", "name", "pk")


def cadre_totals(cadres, *, target=YOUTHS_PER_CADRE):
    """Counts, youths reached and the total gap to the campaign's `target`, in one query."""
    totals = cadres.order_by().aggregate(
        n=Count("pk"),
        grassroots=Count("pk", filter=Q(is_grassroots=True)),
        met=Count("pk", filter=Q(is_grassroots=True, youths_reached__gte=target)),
        reached=Sum("youths_reached"),
        total_gap=Sum(reach_gap(target)),
    )
    return {**totals, "gap": totals.pop("total_gap"), "target": target}


def cadre_detail_extras(user, cadre):
    """The groups a cadre owns and the official accounts they help run."""
    groups = scoped(WechatGroup.objects.select_related("org"), user).filter(owner=cadre).order_by("name")
    roles = scoped(AccountAdmin.objects.select_related("account"), user).filter(cadre=cadre, account__deleted_at__isnull=True).order_by("account__name")
    return list(groups), list(roles)
