"""Portal URLs: each views module lists its own patterns in `urls`."""
from .views import history, orgs

app_name = "portal"
urlpatterns = [*orgs.urls, *history.urls]
