"""Campaign URLs: each views module lists its own patterns in `urls`."""
from .views import dashboard, plans, reminders, settings

app_name = "campaign"
urlpatterns = [*settings.urls, *plans.urls, *dashboard.urls, *reminders.urls]
