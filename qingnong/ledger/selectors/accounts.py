"""Reads of official accounts (微信公众号), their admin teams and subscriber history."""
from django.db.models import Count, Exists, OuterRef, Q, Sum

from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped

from ..models import AccountAdmin, Cadre, OfficialAccount, SubscriberSnapshot


def account_list(user, org, *, status=""):
    """Accounts of `org` or anything below it, each with its number of live admins."""
    accounts = scoped(OfficialAccount.objects.select_related("org"), user).filter(org__path__startswith=org.path)
    if status:
        accounts = accounts.filter(status=status)
    return accounts.annotate(
        admin_count=Count("admins", filter=Q(admins__deleted_at__isnull=True)),
    ).order_by("org__path", "pk")


def account_totals(accounts):
    return accounts.order_by().aggregate(n=Count("pk"), opened=Count("pk", filter=Q(status="opened")),
                                         subscribers=Sum("subscribers"))


def org_has_account(org):
    return OfficialAccount.objects.filter(org=org).exists()


def counties_without_account(user, org, *, limit=30):
    """County committees under `org` (or `org` itself) that have no live account yet:
    方案要求每个团县委设立一个公众号。"""
    live = OfficialAccount.objects.filter(org=OuterRef("pk"))
    return list(scoped(Org.objects.all(), user).filter(path__startswith=org.path, level=OrgLevel.COUNTY)
                .exclude(Exists(live)).order_by("path")[:limit])


def account_admins(user, official_account):
    """The admin team (附件2 columns: 姓名、专兼职、手机号、微信号、QQ)."""
    return list(scoped(AccountAdmin.objects.select_related("cadre", "cadre__org"), user)
                .filter(account=official_account).order_by("role", "cadre__name"))


def admin_candidates(user, official_account):
    """Cadres who may join the team: in the user's scope, of the account's org or below it,
    not already on the team; the account org's own cadres first."""
    team = AccountAdmin.objects.filter(account=official_account).values("cadre_id")
    return (scoped(Cadre.objects.select_related("org"), user)
            .filter(org__path__startswith=official_account.org.path).exclude(pk__in=team)
            .order_by("org__depth", "org__path", "name"))


def subscriber_snapshots(user, official_account, *, limit=60):
    return (scoped(SubscriberSnapshot.objects.filter(account=official_account), user)
            .select_related("entered_by").order_by("-taken_on")[:limit])
