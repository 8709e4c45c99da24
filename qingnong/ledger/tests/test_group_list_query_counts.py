"""The group list costs the same queries with 1 group as with 40 (the org, the totals that
also give the paginator its count, one page), and its order is the org tree's, then by name."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.ledger.models import GroupKind, WechatGroup
from qingnong.ledger.totals import refresh


def add_groups(world, n, start):
    WechatGroup.objects.bulk_create([
        WechatGroup(org=world.village_a if i % 2 else world.township_a, name=f"群{start + i:03d}", kind=GroupKind.YOUTH,
                    members_total=10 + i)
        for i in range(n)
    ])
    refresh([world.village_a.pk, world.township_a.pk], ("groups",))  # bulk_create sends no post_save, as in the services


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", ["county_a_admin", "county_a_viewer"])
def test_group_list_queries_do_not_grow(client_for, world, persona, htmx):
    client = client_for(getattr(world, persona))
    if htmx:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    url = f"/ledger/orgs/{world.county_a.pk}/groups/"
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    n_small = small.context["totals"]["n"]

    add_groups(world, 40, 0)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url)
    # session, user and the org are every page's; then the totals (also the paginator's count) and one page.
    assert len(many) == len(few) == 6, [q["sql"][:80] for q in many.captured_queries]
    assert large.context["totals"]["n"] == n_small + 40
    page = list(large.context["page"].object_list)
    assert len(page) == min(30, n_small + 40)
    # Tree order (a township before its villages), then by name within an org.
    keys = [(g.org.path, g.name) for g in page]
    assert keys == sorted(keys)
    # The page reads the groups; the totals (an unfiltered list) read the summary rows only.
    ledger = [q["sql"] for q in many.captured_queries if "ledger_wechatgroup" in q["sql"]]
    summary = [q["sql"] for q in many.captured_queries if "ledger_grouptotals" in q["sql"]]
    assert (len(ledger), len(summary)) == (1, 1)
