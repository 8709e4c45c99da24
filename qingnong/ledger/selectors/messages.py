"""Reads of message records (发送微信): scoped, filtered, totalled in SQL, paged by the caller."""
from django.db.models import Count, Q, Sum

from qingnong.org.scoping import scoped

from ..models import MessageCategory, MessageRecord, OfficialAccount, WechatGroup

MAX_TARGETS = 500  # the group/account picker; a county has a few hundred groups at most


def message_list(account, org, *, category="", group_id=None, account_id=None, start=None, end=None):
    """Records of `org` and everything below it; dates filter on the period's first day."""
    messages = scoped(MessageRecord.objects.all(), account).filter(org__path__startswith=org.path)
    if category:
        messages = messages.filter(category=category)
    if group_id:
        messages = messages.filter(group_id=group_id)
    if account_id:
        messages = messages.filter(account_id=account_id)
    if start:
        messages = messages.filter(period_start__gte=start)
    if end:
        messages = messages.filter(period_start__lte=end)
    return messages.select_related("org", "group", "account", "entered_by").order_by("-period_start", "-id")


def message_totals(messages):
    """Records and messages of a filtered list, with the 附件3 categories, in one query."""
    sums = {c: Sum("count", filter=Q(category=c), default=0) for c in MessageCategory.values}
    totals = messages.order_by().aggregate(records=Count("pk"), messages=Sum("count", default=0), **sums)
    totals["by_category"] = [(label, totals[value]) for value, label in MessageCategory.choices]
    return totals


def message_targets(account, org):
    """(groups, accounts) under `org` that a record may be for: live, in scope, by name."""
    groups = scoped(WechatGroup.objects.all(), account).filter(org__path__startswith=org.path)
    accounts = scoped(OfficialAccount.objects.all(), account).filter(org__path__startswith=org.path)
    return (
        groups.select_related("org").order_by("org__path", "name")[:MAX_TARGETS],
        accounts.select_related("org").order_by("org__path")[:MAX_TARGETS],
    )
