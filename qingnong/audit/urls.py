from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("orgs/<int:org_id>/history/", views.org_history, name="org-history"),
    path("history/<str:model_key>/<int:object_id>/", views.record_history, name="record-history"),
    path("trash/", views.trash, name="trash"),
    path("trash/<str:model_key>/<int:object_id>/restore/", views.restore, name="restore"),
]
