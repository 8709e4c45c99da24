"""The scope matrix: every URL × every role, in the right county and in the wrong one.

URL patterns are read from the resolver, so a page added later is covered without
touching this file; a new URL parameter name fails loudly until it gets a sample below.
"""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import A_ACCOUNT, A_ACTIVITY, A_CADRE, A_GROUP, A_MESSAGE, A_USER_NAME, A_VILLAGE
from qingnong.accounts.models import ROLE_RANK

# URLs anyone may open (the login page itself).
# The platform's callback is public by design: the WeChat signature, not a session, admits a
# push (qingnong/wechat/tests/test_callback.py shows a forged one is refused).
PUBLIC = {"accounts:login", "accounts:logout", "wechat:callback"}

# URL parameter → an object of county A, taken from the `world` fixture.
SAMPLES = {
    "org_id": lambda w: w.village_a.pk,
    "user_id": lambda w: w.township_a_reporter.pk,
    "model_key": lambda w: "org",
    "object_id": lambda w: w.village_a.pk,
    "group_id": lambda w: _a(w, "ledger.WechatGroup", name=A_GROUP),
    "cadre_id": lambda w: _a(w, "ledger.Cadre", name=A_CADRE),
    "account_id": lambda w: _a(w, "ledger.OfficialAccount", name=A_ACCOUNT),
    "admin_id": lambda w: _a(w, "ledger.AccountAdmin", account__name=A_ACCOUNT, cadre__name=A_CADRE),
    "message_id": lambda w: _a(w, "ledger.MessageRecord", title=A_MESSAGE),
    "activity_id": lambda w: _a(w, "ledger.Activity", title=A_ACTIVITY),
    "photo_id": lambda w: _a(w, "ledger.ActivityPhoto", activity__title=A_ACTIVITY),
    "county_id": lambda w: w.county_a.pk,
    "campaign_id": lambda w: _a(w, "campaign.Campaign", org__code="610800", year=2014),
    "run_id": lambda w: _import_run(w),
    "inspection_id": lambda w: _inspection(w).pk,
    "round_id": lambda w: _inspection(w).round_id,
    "inspection_photo_id": lambda w: _inspection(w).photos.get().pk,
    "period_id": lambda w: _period(w).pk,
    "submission_id": lambda w: _submission(w).pk,
    "code": lambda w: "cadres",  # a bulk-entry list (reports.bulk)
    "staged_id": lambda w: _staged(w.township_a_reporter),
    "article_id": lambda w: _article(w),
    "wecom_group_id": lambda w: _wecom_group(w),
}

# Pages of what one user holds for themself alone (a photo of a form sent back with an
# error): each persona gets its own, and anyone else's is a 404 (test_activity_held_photos).
PER_USER = {"staged_id": lambda user: _staged(user)}

# The org that owns a sample when it is not county A's record. A workflow view may need a
# relation to it besides a role (`required_relation`: org.scoping's is_own_org — the county
# fills in its own 附件1; is_above — the city reviews it; in_scope — the city edits its
# campaign). And a city's campaign governs county B too: B may read it, never change it.
OWNERS = {
    "county_id": lambda w: w.county_a,
    "campaign_id": lambda w: w.city,
    "inspection_id": lambda w: w.county_a,
    "round_id": lambda w: w.city,
    "submission_id": lambda w: w.township_a,
    "org_id": lambda w: w.village_a,  # the org a workflow on it needs a relation to (附件3 报送: its own)
}


def _owner(params, world):
    return next((OWNERS[p](world) for p in params if p in OWNERS), None)


def _a(world, label, **lookup):
    """The pk of county A's sample record of model `label` (built in conftest.build_ledger)."""
    from django.apps import apps

    model = apps.get_model(label)
    return getattr(model, "all_objects", model._default_manager).get(**lookup).pk


def _staged(user):
    """A photo `user` holds for a 线下活动 form."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from qingnong.ledger.models import StagedPhoto

    item = StagedPhoto.objects.filter(user=user).first()
    if item is None:
        jpeg = io.BytesIO()
        Image.new("RGB", (8, 6), "green").save(jpeg, "JPEG")
        item = StagedPhoto(user=user)
        item.image.save("held.jpg", ContentFile(jpeg.getvalue()), save=True)
    return item.pk


def _article(world):
    """An article county A's 公众号 published, fetched from the platform, not yet confirmed."""
    from qingnong.ledger.models import OfficialAccount
    from qingnong.lib.secrets import seal
    from qingnong.wechat.models import AccountLink, PublishedArticle

    account = OfficialAccount.objects.get(name=A_ACCOUNT)
    link, _ = AccountLink.objects.get_or_create(account=account, defaults={
        "app_id": "wx00000000000000aa", "secret_sealed": seal("s" * 32), "callback_token": "t" * 32})
    article, _ = PublishedArticle.objects.get_or_create(link=link, article_id="A1", defaults={
        "title": "甲县测试文章", "published_on": "2014-11-20"})
    return article.pk


def _wecom_group(world):
    """A WeCom 客户群 of county A, as the sync keeps it."""
    from qingnong.lib.secrets import seal
    from qingnong.wechat.models import WecomGroup, WecomLink

    link, _ = WecomLink.objects.get_or_create(org=world.county_a, defaults={"corp_id": "ww00000000000000aa", "secret_sealed": seal("s")})
    group, _ = WecomGroup.objects.get_or_create(link=link, chat_id="c-a", defaults={"name": "甲县客户群", "owner": "zhang"})
    return group.pk


def _import_run(world):
    """County A's sample Excel import, with its file; it has errors, so confirming it changes nothing."""
    from django.core.files.base import ContentFile

    from qingnong.reports.models import ImportRun

    run = ImportRun.objects.filter(org=world.county_a, file_name="甲县测试.xlsx").first()
    if run is None:
        run = ImportRun(org=world.county_a, form_code="progress", file_name="甲县测试.xlsx", status="failed",
                        problems=[{"cell": "A1", "level": "error", "message": "样例"}])
        run.file.save("sample.xlsx", ContentFile(b"PK"), save=True)
    return run.pk


def _period(world):
    """The first 附件3 reporting period of the city's 2014 campaign."""
    from qingnong.campaign.models import ReportingPeriod

    return ReportingPeriod.objects.filter(campaign__org=world.city, campaign__year=2014).order_by("starts_on").first()


def _submission(world):
    """鱼河镇's submitted 附件3 for that period (the county reviews it)."""
    from django.utils import timezone

    from qingnong.campaign.models import ProgressSubmission

    submission, _ = ProgressSubmission.objects.get_or_create(
        period=_period(world), org=world.township_a, defaults={"submitted_at": timezone.now()})
    return submission


def _inspection(world):
    """County A's published inspection (so that the county may read it) with one photo."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from qingnong.campaign.models import Campaign
    from qingnong.inspection.models import Inspection, InspectionPhoto, InspectionRound

    inspection = Inspection.objects.filter(org=world.county_a, round__name="甲县测试检查").first()
    if inspection is None:
        campaign = Campaign.objects.get(org=world.city, year=2014)
        round = InspectionRound.objects.create(campaign=campaign, org=world.city, name="甲县测试检查",
                                               starts_on="2014-11-20", ends_on="2014-11-30")
        inspection = Inspection.objects.create(round=round, org=world.county_a, inspector=world.city_admin,
                                               status="published", inspected_on="2014-11-20")
        jpeg = io.BytesIO()
        Image.new("RGB", (8, 6), "blue").save(jpeg, "JPEG")
        photo = InspectionPhoto(inspection=inspection)
        photo.image.save("sample.jpg", ContentFile(jpeg.getvalue()), save=True)
    return inspection


RIGHT_SCOPE = ["county_a_admin", "county_a_reporter", "county_a_viewer", "city_admin"]
WRONG_SCOPE = ["county_b_admin", "county_b_reporter", "county_b_viewer"]


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern), list(p.pattern.converters)


PATTERNS = sorted({(name, route, tuple(params)) for name, route, params in all_patterns()})
PROTECTED = [p for p in PATTERNS if p[0] not in PUBLIC]


def url_for(name, params, world):
    from django.urls import reverse

    missing = [p for p in params if p not in SAMPLES]
    assert not missing, f"{name}: add a county-A sample for URL parameter(s) {missing} to SAMPLES"
    return reverse(name, kwargs={p: SAMPLES[p](world) for p in params})


def fetch(client, url):
    """GET the page; for POST-only views, POST instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def test_the_matrix_sees_the_pages():
    names = {name for name, _, _ in PATTERNS}
    assert {"portal:home", "portal:org-detail", "accounts:users", "portal:trash", "portal:org-history"} <= names


@pytest.mark.parametrize("name,route,params", PROTECTED, ids=[p[0] for p in PROTECTED])
def test_anonymous_is_sent_to_login(client, world, name, route, params):
    response = client.get(url_for(name, params, world))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", WRONG_SCOPE)
@pytest.mark.parametrize("name,route,params", PROTECTED, ids=[p[0] for p in PROTECTED])
def test_other_county_cannot_reach_county_a(client_for, world, persona, name, route, params):
    client = client_for(getattr(world, persona))
    url = url_for(name, params, world)
    get = client.get(url)
    post = client.post(url)
    owner = _owner(params, world)
    if owner is not None and owner.path in getattr(world, persona).org.ancestor_paths():
        # Set above county B (the city's campaign): readable, never writable, no county A data.
        assert get.status_code in (200, 403, 405), f"GET {url} as {persona}: {get.status_code}"
        assert post.status_code in (403, 405), f"POST {url} as {persona}: {post.status_code}"
        for marker in (A_VILLAGE, A_USER_NAME, A_GROUP, A_CADRE, A_ACCOUNT, A_MESSAGE, A_ACTIVITY):
            assert marker not in get.content.decode(), f"{url} shows county A data ({marker}) to {persona}"
    elif params:
        # A record of another county is a 404, for reads and writes, whatever the role.
        assert get.status_code in (404, 405), f"GET {url} as {persona}: {get.status_code}"
        assert post.status_code in (404, 405), f"POST {url} as {persona}: {post.status_code}"
        assert 404 in (get.status_code, post.status_code)
    else:
        # A list page shows only the user's own subtree (or 403 for a role without access).
        for response in (get, post):
            assert response.status_code in (200, 302, 403, 405)
            body = response.content.decode()
            for marker in (A_VILLAGE, A_USER_NAME, A_GROUP, A_CADRE, A_ACCOUNT, A_MESSAGE, A_ACTIVITY):
                assert marker not in body, f"{url} shows county A data ({marker}) to {persona}"


@pytest.mark.parametrize("persona", RIGHT_SCOPE)
@pytest.mark.parametrize("name,route,params", PROTECTED, ids=[p[0] for p in PROTECTED])
def test_right_scope_gets_the_page(client_for, world, persona, name, route, params):
    from django.urls import resolve

    from django.urls import reverse

    user = getattr(world, persona)
    url = url_for(name, params, world)
    if set(params) & set(PER_USER):
        url = reverse(name, kwargs={p: (PER_USER.get(p) or (lambda _: SAMPLES[p](world)))(user) for p in params})
    required = getattr(resolve(url).func, "required_role", None)
    allowed = required is None or ROLE_RANK[user.role] >= ROLE_RANK[required]
    relation = getattr(resolve(url).func, "required_relation", None)
    if relation is not None:
        allowed = allowed and relation(user, _owner(params, world))
    response = fetch(client_for(user), url)
    if allowed:
        assert response.status_code in (200, 302), f"{url} as {persona}: {response.status_code}"
    else:
        assert response.status_code == 403, f"{url} as {persona} (needs {required}): {response.status_code}"


@pytest.mark.parametrize("persona", WRONG_SCOPE)
def test_list_pages_with_search_do_not_leak(client_for, world, persona):
    from qingnong.org.services import org_delete

    org_delete(user=world.county_a_admin, org=world.village_a)  # so the 回收站 has county A data
    client = client_for(getattr(world, persona))
    for url in ["/orgs/?q=甲村", "/orgs/?q=6108021", "/users/?q=township_a", "/trash/"]:
        body = client.get(url).content.decode()
        assert A_VILLAGE not in body and A_USER_NAME not in body, url


OUR_APPS = {"org", "accounts", "audit", "ledger", "campaign", "reports", "inspection"}


def _row_counts():
    """Rows of every table of our apps, history tables included (an edit adds a history row,
    a soft delete too): equal counts before and after mean nothing was written."""
    from django.apps import apps

    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models() if m._meta.app_label in OUR_APPS}


@pytest.mark.parametrize("name,route,params", PROTECTED, ids=[p[0] for p in PROTECTED])
def test_a_viewers_post_put_and_delete_change_nothing(world, name, route, params):
    """County A's 查看员 sends each page's own form (as the admin's page renders it: valid data,
    so only the role check can stop it) by POST, PUT and DELETE: refused, and the database
    holds the same rows after as before."""
    from django.test import Client
    from django.urls import resolve

    from tests.forms_html import post_forms

    url = url_for(name, params, world)
    admin, viewer = Client(), Client()
    admin.force_login(world.county_a_admin)
    viewer.force_login(world.county_a_viewer)
    page = admin.get(url)
    html = page.status_code == 200 and page["Content-Type"].startswith("text/html")
    forms = post_forms(page.content.decode(), url) if html else []
    data = forms[0] if forms else {}
    required = getattr(resolve(url).func, "required_role", None)
    before = _row_counts()
    for method in ("post", "put", "delete"):
        response = getattr(viewer, method)(url, data) if method == "post" else getattr(viewer, method)(url)
        assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
        if method == "post" and required is not None and ROLE_RANK[world.county_a_viewer.role] < ROLE_RANK[required]:
            assert response.status_code in (403, 405), f"POST {url} as a viewer: {response.status_code}"
    assert _row_counts() == before, f"a viewer's request to {url} wrote to the database"


@pytest.mark.parametrize("name,route,params", [p for p in PROTECTED if p[2]], ids=[p[0] for p in PROTECTED if p[2]])
def test_put_and_delete_on_another_countys_record_are_refused(client_for, world, name, route, params):
    url = url_for(name, params, world)
    if _owner(params, world) is not None and _owner(params, world).path in world.county_b_admin.org.ancestor_paths():
        return  # the city's campaign: readable by county B (test_other_county_cannot_reach_county_a)
    client = client_for(world.county_b_admin)
    before = _row_counts()
    for method in (client.put, client.delete, client.patch):
        assert method(url).status_code in (404, 405), f"{url}"
    assert _row_counts() == before
