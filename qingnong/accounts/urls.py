from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("account/password/", views.password_change, name="password-change"),
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/", views.user_edit, name="user-edit"),
    path("users/<int:user_id>/reset-password/", views.user_reset_password, name="user-reset-password"),
    path("orgs/<int:org_id>/users/new/", views.user_create, name="user-create"),
]
