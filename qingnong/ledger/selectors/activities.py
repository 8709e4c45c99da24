"""Reads of offline activities (线下活动) and their photos: scoped, filtered, paged by the caller."""
from django.db.models import Count, Q, Sum
from django.http import Http404

from qingnong.org.scoping import get_scoped_or_404, scoped

from ..models import Activity, ActivityPhoto, ActivityType, StagedPhoto, WechatGroup


def activity_list(user, org, *, activity_type="", start=None, end=None):
    """Activities of `org` and everything below it, newest first."""
    activities = scoped(Activity.objects.all(), user).filter(org__path__startswith=org.path)
    if activity_type:
        activities = activities.filter(activity_type=activity_type)
    if start:
        activities = activities.filter(held_on__gte=start)
    if end:
        activities = activities.filter(held_on__lte=end)
    return activities.order_by("-held_on", "-id")


def activity_rows(activities):
    """What a list page shows of each activity (one query for the page): org, group, photo count."""
    return activities.select_related("org", "group").annotate(photo_count=Count("photos"))


def activity_totals(activities):
    """Activities by 附件3 type and participants of a filtered list, in one query."""
    by_type = {t: Count("pk", filter=Q(activity_type=t)) for t in ActivityType.values}
    totals = activities.order_by().aggregate(n=Count("pk"), participants=Sum("participants", default=0), **by_type)
    totals["by_type"] = [(label, totals[value]) for value, label in ActivityType.choices]
    return totals


def activity_photos(user, activity):
    return scoped(ActivityPhoto.objects.filter(activity=activity), user).order_by("pk")


def staged_photos(user, ids):
    """The photos `user` has held for a form (their ids posted back with it); anyone
    else's, or a forged id, is not there."""
    ids = [int(i) for i in ids if str(i).isdigit()]
    return list(StagedPhoto.objects.filter(user=user, pk__in=ids).order_by("pk")) if ids else []


def staged_photo_or_404(user, photo_id):
    item = StagedPhoto.objects.filter(user=user, pk=photo_id).first()
    if item is None:
        raise Http404
    return item


def activity_groups(user, org):
    """Groups an activity of `org` may be linked to: the org's own and its subtree's.
    Not sliced: a ModelChoiceField validates the choice with .get() on this queryset."""
    return scoped(WechatGroup.objects.select_related("org"), user).filter(
        org__path__startswith=org.path).order_by("org__path", "name")


def photo_or_404(user, photo_id):
    """A photo of a live activity in `user`'s scope; anything else is a 404."""
    return get_scoped_or_404(ActivityPhoto.objects.filter(activity__deleted_at__isnull=True), user, pk=photo_id)
