"""Reads of the WeChat link, scoped through the 公众号's org (another county's is a 404)."""
from collections import Counter
from datetime import timedelta

from django.db.models import Count, Sum

from qingnong.ledger.models import OfficialAccount, WechatGroup
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import get_scoped_or_404

from .models import AccountLink, Follower, PublishedArticle, WecomGroup, WecomLink, WecomOwnerDay


def account_or_404(user, account_id):
    return get_scoped_or_404(OfficialAccount.objects.select_related("org"), user, pk=account_id)


def townships_of(account):
    return Org.objects.filter(parent=account.org, level=OrgLevel.TOWNSHIP, deleted_at__isnull=True).order_by("code", "name")


def link_of(account):
    return AccountLink.objects.filter(account=account).first()


def followers_by_township(link):
    """[(township, following, new in the last 30 days… )]: who follows through each township's
    code, every township of the county listed (0 too), in one GROUP BY; plus those who came
    another way (search, a shared article, before the codes)."""
    counts = {row["township"]: row["n"] for row in Follower.objects.filter(link=link, following=True)
              .values("township").annotate(n=Count("pk")).order_by()}
    rows = [(t, counts.get(t.pk, 0)) for t in townships_of(link.account)]
    return rows, counts.get(None, 0), sum(counts.values())


def county_followers(county):
    """For the county dashboard: (link, rows, other, total) of its verified 服务号's subscribers
    per township, or None when it has none linked (three statements however many townships)."""
    link = AccountLink.objects.filter(account__org=county, account__deleted_at__isnull=True, verified_service=True).first()
    return (link, *followers_by_township(link)) if link else None


def recent_runs(link, n=10):
    return list(link.runs.all()[:n])


def recent_days(link, n=14):
    """The last days fetched, each flagged when a figure typed in the ledger for it was more
    than DIFFER_SHARE away from the platform's."""
    days = list(link.days.all()[:n])
    for d in days:
        d.differs = _far_apart(d.typed, d.cumulated_users)
    return days


def articles_to_confirm(link, n=20):
    return list(link.articles.filter(message__isnull=True)[:n])


def article_or_404(user, article_id):
    return get_scoped_or_404(PublishedArticle.objects.select_related("link__account__org"), user, pk=article_id)


def codes_of(link):
    return list(link.codes.select_related("org").order_by("org__code", "org__name"))


def missing_codes(link):
    return townships_of(link.account).exclude(pk__in=link.codes.values("org_id")).count()


# ---------------------------------------------------------------- WeCom

DORMANT_DAYS = 30  # no message in any of the owner's groups for this long: dormant
DIFFER_SHARE = 0.2  # the ledger's typed member total and the platform's apart by more: flagged


def _far_apart(typed, platform):
    """A figure typed in the ledger more than DIFFER_SHARE away from the platform's (None: none typed)."""
    return typed is not None and max(typed, platform) > 0 and abs(typed - platform) / max(typed, platform) > DIFFER_SHARE


def wecom_link_of(org):
    return WecomLink.objects.filter(org=org).first()


def ledger_groups(county):
    """The ledger's live groups of the county (a 客户群 is matched to one of them)."""
    return WechatGroup.objects.filter(org__path__startswith=county.path, deleted_at__isnull=True).order_by("name")


def wecom_group_or_404(user, wecom_group_id):
    return get_scoped_or_404(WecomGroup.objects.select_related("link__org"), user, pk=wecom_group_id)


def wecom_health(link, *, as_of):
    """Each 客户群 with its health over the last 30 days. The platform counts by owner, not by
    group: a group's figures are its owner's, exact when the owner has one group (`exact`);
    a dormant owner (no message in 30 days) makes all their groups dormant. The owners'
    figures are one GROUP BY; `differs` flags a ledger member total far from the platform's."""
    since = as_of - timedelta(days=DORMANT_DAYS - 1)
    owners = {row["owner"]: row for row in WecomOwnerDay.objects.filter(link=link, day__range=(since, as_of))
              .values("owner").annotate(days=Count("pk"), with_messages=Sum("chats_with_messages"), spoke=Sum("members_spoke"),
                                        members=Sum("members"), messages=Sum("messages")).order_by()}
    groups = list(link.groups.select_related("group", "suggested"))
    per_owner = Counter(g.owner for g in groups)
    rows = []
    for g in groups:
        stats = owners.get(g.owner)
        typed = g.group.members_total if g.group else None
        rows.append({
            "group": g, "exact": per_owner[g.owner] == 1, "owner_groups": per_owner[g.owner],
            "messages": stats["messages"] if stats else None,
            "spoke_share": round(100 * stats["spoke"] / stats["members"]) if stats and stats["members"] else None,
            "dormant": bool(stats) and stats["days"] >= DORMANT_DAYS and not stats["with_messages"],
            "typed": typed,
            "differs": _far_apart(typed, g.members),
        })
    return rows
