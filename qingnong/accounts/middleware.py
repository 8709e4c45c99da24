"""Signing out a session left idle (issue 15: a phone left on a desk in the township office);
asking for a new password first after an administrator set one (issue 18)."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SEEN = "_seen"  # the session key: when this session last made a request (seconds)
TOUCH_SECONDS = 300  # re-saved at most this often: a page costs no extra write


class IdleTimeoutMiddleware:
    """After settings.SESSION_IDLE_MINUTES without a request the session is signed out and
    the next page asks to sign in again, saying why. Placed after the authentication and
    message middleware, before LoginRequiredMiddleware (which then sends to /login/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now, seen = int(time.time()), request.session.get(SEEN)
            if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, f"超过 {settings.SESSION_IDLE_MINUTES} 分钟没有操作，已自动退出，请重新登录。")
            elif seen is None or now - seen > TOUCH_SECONDS:
                request.session[SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account whose password an administrator made (new, or reset) is sent to 修改密码
    from every page until its holder picks their own: the one-time password was seen by
    someone else. Signing out and static files stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            change, logout_url = reverse("accounts:password-change"), reverse("accounts:logout")
            if request.path not in (change, logout_url) and not request.path.startswith(settings.STATIC_URL):
                messages.info(request, "这是管理员设置的临时密码：请先设置您自己的新密码。")
                return redirect(change)
        return self.get_response(request)
