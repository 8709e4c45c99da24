"""Reports URLs: the official forms on screen and as .xlsx (views.urlpatterns_forms), and Excel imports
(views_import.urlpatterns_import)."""
from . import views, views_import

app_name = "reports"
urlpatterns = [*views.urlpatterns_forms, *views_import.urlpatterns_import]
