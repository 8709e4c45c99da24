"""Ledger URLs: each views module lists its own patterns in `urls`."""
from .views import accounts, activities, cadres, figures, groups, messages, quality

app_name = "ledger"
urlpatterns = [*groups.urls, *cadres.urls, *accounts.urls, *messages.urls, *activities.urls, *figures.urls, *quality.urls]
