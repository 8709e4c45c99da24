"""Reports URLs: each views module lists its own patterns in `urls` (the official forms on
screen and as .xlsx in views, Excel imports in views_import)."""
from . import views, views_import

app_name = "reports"
urlpatterns = [*views.urls, *views_import.urls]
