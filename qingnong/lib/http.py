"""Request helpers shared by the audit log and the login lock-out."""
from django.conf import settings


def client_ip(request):
    """The client's address; trusts X-Forwarded-For only when told it sits behind a proxy."""
    if request is None:
        return None
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
