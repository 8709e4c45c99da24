from django.db.models import Q

from qingnong.org.scoping import scoped

from .models import User


def user_list(account, *, query="", role=""):
    users = scoped(User.objects.select_related("org"), account)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query) | Q(mobile__startswith=query))
    if role:
        users = users.filter(role=role)
    return users.order_by("org__path", "username")
