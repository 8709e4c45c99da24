"""Inspection URLs: each views module lists its own patterns in `urls`."""
from .views import assessment, inspections

app_name = "inspection"
urlpatterns = [*inspections.urls, *assessment.urls]
