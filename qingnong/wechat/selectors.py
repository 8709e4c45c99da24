"""Reads of the WeChat link, scoped through the 公众号's org (another county's is a 404)."""
from django.db.models import Count

from qingnong.ledger.models import OfficialAccount
from qingnong.org.scoping import get_scoped_or_404

from .models import AccountLink, Follower, PublishedArticle
from .services import townships_of


def account_or_404(user, account_id):
    return get_scoped_or_404(OfficialAccount.objects.select_related("org"), user, pk=account_id)


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


def recent_runs(link, n=10):
    return list(link.runs.all()[:n])


def recent_days(link, n=14):
    return list(link.days.all()[:n])


def articles_to_confirm(link, n=20):
    return list(link.articles.filter(message__isnull=True)[:n])


def article_or_404(user, article_id):
    return get_scoped_or_404(PublishedArticle.objects.select_related("link__account__org"), user, pk=article_id)


def codes_of(link):
    return list(link.codes.select_related("org").order_by("org__code", "org__name"))


def missing_codes(link):
    return townships_of(link.account).exclude(pk__in=link.codes.values("org_id")).count()
