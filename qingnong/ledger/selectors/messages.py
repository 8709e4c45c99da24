"""Reads of message records (发送微信): scoped, filtered, totalled in SQL, paged by the caller."""

from django.db.models import Count, Q, Sum

from qingnong.org.scoping import scoped

from ..models import MessageCategory, MessageRecord, OfficialAccount, WechatGroup, is_weekly_entry

MAX_TARGETS = 500  # the group/account picker; a county has a few hundred groups at most


def message_list(user, org, *, category="", group_id=None, account_id=None, start=None, end=None):
    """Records of `org` and everything below it; dates filter on the period's first day."""
    messages = scoped(MessageRecord.objects.all(), user).filter(org__path__startswith=org.path)
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


def message_targets(user, org):
    """(groups, accounts) under `org` that a record may be for: live, in scope, by name."""
    groups = scoped(WechatGroup.objects.all(), user).filter(org__path__startswith=org.path)
    accounts = scoped(OfficialAccount.objects.all(), user).filter(org__path__startswith=org.path)
    return (
        groups.select_related("org").order_by("org__path", "name")[:MAX_TARGETS],
        accounts.select_related("org").order_by("org__path")[:MAX_TARGETS],
    )


def group_messages(user, group, *, as_of, limit=5):
    """(the group's latest `limit` records, messages this month), for its page: two queries."""
    records = scoped(MessageRecord.objects.filter(group=group), user)
    recent = list(records.select_related("entered_by").order_by("-period_start", "-id")[:limit])
    for record in recent:
        record.entry_kind = entry_kind(record)
    month = records.filter(month=as_of.replace(day=1)).aggregate(n=Sum("count"))["n"] or 0
    return recent, month


def entry_kind(record):
    """Where a record came from, as the overlap warning names it; anything else is 逐条记录."""
    return "每周填报" if is_weekly_entry(record.period_start, record.period_end, record.source) else "逐条记录"


def message_overlaps(user, *, group_id=None, account_id=None, category, start, end, exclude_pk=None, limit=20):
    """Live records of the same group (or account) and category whose period overlaps
    start–end, in `user`'s scope, oldest first, each with its `entry_kind`: one query."""
    records = MessageRecord.objects.filter(category=category, period_start__lte=end, period_end__gte=start)
    records = records.filter(group_id=group_id) if group_id else records.filter(account_id=account_id)
    if exclude_pk:
        records = records.exclude(pk=exclude_pk)
    overlaps = list(scoped(records, user).order_by("period_start", "id")[:limit])
    for record in overlaps:
        record.entry_kind = entry_kind(record)
    return overlaps


def weekly_messages(groups, monday, sunday):
    """(own, others) for the weekly grid of `groups`, in one query:

    - own: {group id: {category: (id, version, n)}}, the week's own weekly-entry record of
      each group and category (Monday–Sunday, MANUAL; the lowest id if there are several, the
      one services.groups._weekly_messages updates). The grid starts from these, so that
      saving the page again keeps them (a blank box would remove them), and its rows' stamps
      name them (services.groups.weekly_stamp).
    - others: {group id: {"total": n, "records": r, "by_category": [(label, n), …]}}, the other
      live records overlapping the week. A record spanning more than the week counts whole;
      the numbers only warn against entering them again."""
    rows = (MessageRecord.objects.filter(group__in=groups, period_start__lte=sunday, period_end__gte=monday)
            .order_by("pk").values_list("pk", "version", "group_id", "category", "count", "period_start", "period_end", "source"))
    labels = dict(MessageCategory.choices)
    own, others = {}, {}
    for pk, version, group_id, category, count, start, end, source in rows:
        mine = own.setdefault(group_id, {})
        # A Monday–Sunday record overlapping this week is this week's.
        if is_weekly_entry(start, end, source) and category not in mine:
            mine[category] = (pk, version, count)
            continue
        other = others.setdefault(group_id, {"total": 0, "records": 0, "counts": {}})
        other["total"] += count
        other["records"] += 1
        other["counts"][category] = other["counts"].get(category, 0) + count
    for other in others.values():
        other["by_category"] = [(labels[c], other["counts"][c]) for c in MessageCategory.values if c in other["counts"]]
    return own, others
