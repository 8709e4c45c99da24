"""Chinese error pages (also shown with DEBUG off inside WeChat's browser)."""
import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限进行此操作。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {}, status=404)


def server_error(request):
    """An unhandled error: a Chinese page, never a traceback. A database that cannot be reached
    (restarting, the network to it down) is a 503 that says nothing was saved and to try again:
    every write runs in one transaction, so a request cut off by it wrote nothing. Rendered
    without the request's context: the user and the session live in the database."""
    unreachable = isinstance(sys.exc_info()[1], DatabaseError)
    page = render_to_string("errors/500.html", {"unreachable": unreachable})
    response = HttpResponse(page, status=503 if unreachable else 500)
    if unreachable:
        response["Retry-After"] = "30"
    return response
