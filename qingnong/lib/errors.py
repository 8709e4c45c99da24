"""Chinese error pages (also shown with DEBUG off inside WeChat's browser)."""
from django.shortcuts import render


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限进行此操作。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {}, status=404)
