from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.tree, name="tree"),
    path("orgs/<int:org_id>/", views.detail, name="detail"),
    path("orgs/<int:org_id>/children/", views.children, name="children"),
    path("orgs/<int:org_id>/add/", views.add_child, name="add-child"),
    path("orgs/<int:org_id>/edit/", views.edit, name="edit"),
    path("orgs/<int:org_id>/delete/", views.delete, name="delete"),
]
