"""Reads of WeChat groups: scoped, filtered, paged by the caller."""
from django.db.models import Count, Q, Sum

from qingnong.lib.dates import today
from qingnong.org.scoping import scoped

from ..models import MemberSnapshot, WechatGroup
from ..rules import QR_WARN_DAYS


def group_list(account, org, *, kind="", status="", basis="", query=""):
    """Groups owned by `org` or anything below it."""
    groups = scoped(WechatGroup.objects.select_related("org", "owner"), account).filter(org__path__startswith=org.path)
    if kind:
        groups = groups.filter(kind=kind)
    if status:
        groups = groups.filter(status=status)
    if basis:
        groups = groups.filter(bases__contains=f",{basis},")
    if query:
        groups = groups.filter(Q(name__icontains=query) | Q(org__name__icontains=query))
    return groups.order_by("org__path", "name")


def group_totals(groups):
    """Counts and current members of a filtered group list, in one query."""
    return groups.order_by().aggregate(
        n=Count("pk"), members=Sum("members_total"),
        youth=Count("pk", filter=Q(kind="youth")), work=Count("pk", filter=Q(kind="work")),
    )


def group_snapshots(account, group, *, limit=60):
    return scoped(MemberSnapshot.objects.filter(group=group), account).select_related("entered_by").order_by("-taken_on")[:limit]


def qr_warning(group):
    """Why the join QR code may not work (expired, expiring, or the group is past 200)."""
    from ..models import QR_MEMBER_LIMIT

    if not group.qr_code:
        return ""
    if group.members_total >= QR_MEMBER_LIMIT:
        return f"群成员已达 {group.members_total} 人，超过 {QR_MEMBER_LIMIT} 人后二维码无法扫码入群，请改为群主邀请。"
    if group.qr_expires_on:
        days = (group.qr_expires_on - today()).days
        if days < 0:
            return f"入群二维码已于 {group.qr_expires_on} 过期，请上传新的二维码。"
        if days <= QR_WARN_DAYS:
            return f"入群二维码将于 {group.qr_expires_on} 过期（还剩 {days} 天），请及时更新。"
    return ""


def weekly_groups(account, org):
    """Active and planned groups under `org` for the one-page weekly entry."""
    return scoped(WechatGroup.objects.select_related("org"), account).filter(
        org__path__startswith=org.path, status__in=["active", "planned", "dormant"]
    ).order_by("org__path", "name")
