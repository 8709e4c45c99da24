from django.urls import path

from .views import history, orgs

app_name = "portal"
urlpatterns = [
    path("", orgs.home, name="home"),
    path("orgs/", orgs.tree, name="org-tree"),
    path("orgs/<int:org_id>/", orgs.detail, name="org-detail"),
    path("orgs/<int:org_id>/children/", orgs.children, name="org-children"),
    path("orgs/<int:org_id>/add/", orgs.add_child, name="org-add-child"),
    path("orgs/<int:org_id>/edit/", orgs.edit, name="org-edit"),
    path("orgs/<int:org_id>/delete/", orgs.delete, name="org-delete"),
    path("orgs/<int:org_id>/history/", history.org_history, name="org-history"),
    path("history/<str:model_key>/<int:object_id>/", history.record_history, name="record-history"),
    path("trash/", history.trash, name="trash"),
    path("trash/<str:model_key>/<int:object_id>/restore/", history.restore, name="restore"),
]
