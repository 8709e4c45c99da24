"""Reports URLs: each views module lists its own patterns in `urls` (the official forms on
screen and as .xlsx in views, Excel imports in views_import, the 附件3 报送 cycle in views_reporting)."""
from . import views, views_bulk, views_import, views_reporting

app_name = "reports"
urlpatterns = [*views.urls, *views_import.urls, *views_reporting.urls, *views_bulk.urls]
