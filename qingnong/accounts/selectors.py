from django.db.models import OuterRef, Q

from qingnong.org.scoping import scoped
from qingnong.org.selectors import subtree_aggregate

from .models import User


def user_list(user, *, query="", role=""):
    users = scoped(User.objects.select_related("org"), user)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query) | Q(mobile__startswith=query))
    if role:
        users = users.filter(role=role)
    return users.order_by("org__path", "username")


def org_users(user, org):
    return scoped(User.objects.filter(org=org), user).order_by("-is_active", "role", "username")


def with_user_counts(orgs):
    """Annotate each org with its subtree's active accounts, in the same SQL statement."""
    return orgs.annotate(user_count=subtree_aggregate(User.objects.filter(org__path__startswith=OuterRef("path"), is_active=True)))
