"""The dashboard stays far under the phone budget (≈200 KB gzipped with its CSS and scripts):
the charts are SVG drawn on the server, the only script is the vendored htmx."""
import gzip
import re

from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET = 200 * 1024


def static_files(html):
    """The files the page loads from our static files (stylesheets, scripts, images)."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    return sorted(set(re.findall(rf'(?:href|src)="{re.escape(prefix)}([^"?#]+)', html)))


def test_city_dashboard_weighs_well_under_the_budget(client_for, world, capsys):
    response = client_for(world.city_admin).get(f"/campaign/dashboard/{world.city.pk}/")
    html = response.content.decode()
    files = static_files(html)
    assert "css/app.css" in files and any(f.endswith(".js") for f in files)
    assert "<script" not in html.replace('<script src="', "")  # no inline scripts: the charts are SVG
    sizes = {"(page)": len(gzip.compress(response.content))}
    for name in files:
        path = finders.find(name)
        assert path, f"{name} is not one of our static files"
        with open(path, "rb") as f:
            sizes[name] = len(gzip.compress(f.read()))
    total = sum(sizes.values())
    with capsys.disabled():
        print(f"\ndashboard weight, gzipped: {total / 1024:.1f} KB = " + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sizes.items()))
    assert total < BUDGET / 4  # well under: a quarter of the budget


def test_the_page_makes_no_request_outside_our_server(client_for, world):
    html = client_for(world.city_admin).get(f"/campaign/dashboard/{world.city.pk}/").content.decode()
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html)
