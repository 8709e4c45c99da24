"""Accounts URLs: the views module lists its patterns in `urls`."""
from . import views

app_name = "accounts"
urlpatterns = views.urls
