"""Account pages cost the same number of queries with 3 rows as with 20."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.ledger.models import AccountAdmin, AdminRole, Cadre, OfficialAccount, SubscriberSnapshot
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel


def measure(client, url):
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def add_direct_accounts(parent, n, start):
    """Accounts need an org each (one per org); 直属 orgs stand in for more committees."""
    orgs = Org.objects.bulk_create([Org(name=f"测试直属{start + i}", level=OrgLevel.DIRECT, parent=parent,
                                        path=f"{parent.path}nq{start + i}/", depth=parent.depth + 1) for i in range(n)])
    OfficialAccount.objects.bulk_create([OfficialAccount(org=o, name=f"测试号{o.name}") for o in orgs])


def test_account_list_queries_do_not_grow(client_for, world, django_assert_num_queries):
    client = client_for(world.city_admin)
    url = f"/ledger/orgs/{world.city.pk}/accounts/"
    add_direct_accounts(world.county_b, 2, 0)  # 3 with county A's
    few, small = measure(client, url)
    assert len(small.context["page"].object_list) == 3

    add_direct_accounts(world.county_b, 17, 100)
    with django_assert_num_queries(few):
        large = client.get(url)

    assert len(large.context["page"].object_list) == 20


def test_account_detail_queries_do_not_grow_with_admins_or_snapshots(client_for, world):
    oa = OfficialAccount.objects.get(org=world.county_a)
    client = client_for(world.county_a_viewer)
    url = f"/ledger/accounts/{oa.pk}/"

    def add(n, start):
        cadres = Cadre.objects.bulk_create([Cadre(org=world.county_a, name=f"管理员{start + i}", mobile=f"139{start + i:08d}")
                                            for i in range(n)])
        AccountAdmin.objects.bulk_create([AccountAdmin(account=oa, cadre=c, role=AdminRole.PART_TIME) for c in cadres])
        SubscriberSnapshot.objects.bulk_create([SubscriberSnapshot(account=oa, taken_on=today() - timedelta(days=start + i),
                                                                   subscribers=10 * i) for i in range(n)])

    add(2, 0)
    few, small = measure(client, url)
    assert len(small.context["admins"]) == 3

    add(17, 100)
    many, large = measure(client, url)

    assert len(large.context["admins"]) == 20
    assert many == few
