from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class UsernameOrMobileBackend(ModelBackend):
    """Log in with the username or the 11-digit mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        username = username.strip()
        user = User.objects.filter(Q(username=username) | Q(mobile=username)).order_by("pk").first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials=None):
    """The name django-axes counts failures under: the account's username, whether the
    user typed it or the mobile number, so both spellings share one lock-out."""
    raw = ((credentials or {}).get("username") or request.POST.get("username", "")).strip()
    if raw.isdigit():
        user = User.objects.filter(mobile=raw).only("username").first()
        if user:
            return user.username
    return raw
