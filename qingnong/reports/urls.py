"""Reports URLs: the official forms on screen and as .xlsx (views.urlpatterns_forms)."""
from . import views

app_name = "reports"
urlpatterns = [*views.urlpatterns_forms]
