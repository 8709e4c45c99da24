"""Shared fixtures: the personas of every view test and the browser set-up."""
import os

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from types import SimpleNamespace

import pytest

PASSWORD = "test-password-2014"  # every persona's

# Markers that appear only in county A's data: no page seen by county B may show them.
A_VILLAGE = "甲村测试团支部"
A_USER_NAME = "甲县测试填报员"


def build_world():
    """Two real counties of 榆林 (榆阳区 = A, 横山区 = B) with one persona per role."""
    from qingnong.accounts.models import Role, User
    from qingnong.org.divisions import divisions_load
    from qingnong.org.models import Org, OrgLevel

    divisions_load(code="610802")
    divisions_load(code="610803")
    city = Org.objects.get(code="610800")
    county_a, county_b = Org.objects.get(code="610802"), Org.objects.get(code="610803")
    township_a = Org.objects.get(code="610802100")  # 鱼河镇
    township_b = Org.objects.filter(parent=county_b, level=OrgLevel.TOWNSHIP).order_by("code").first()
    Org.objects.create(name=A_VILLAGE, level=OrgLevel.VILLAGE, parent=township_a,
                       path=f"{township_a.path}ntestvillage/", depth=township_a.depth + 1)

    def user(username, org, role, **extra):
        u = User.objects.create(username=username, org=org, role=role, full_name=extra.pop("full_name", username), **extra)
        u.set_password(PASSWORD)
        u.save()
        return u

    user("city_admin", city, Role.ADMIN)
    user("county_a_admin", county_a, Role.ADMIN, mobile="13900000001")
    user("county_a_reporter", county_a, Role.REPORTER)
    user("county_a_viewer", county_a, Role.VIEWER)
    user("township_a_reporter", township_a, Role.REPORTER, full_name=A_USER_NAME, mobile="13900000002")
    user("county_b_admin", county_b, Role.ADMIN)
    user("county_b_reporter", county_b, Role.REPORTER)
    user("county_b_viewer", county_b, Role.VIEWER)
    build_ledger(township_a)
    from qingnong.campaign.services import campaign_create_default

    campaign_create_default(org=city, year=2014)  # the 2014 Yulin plan: its deadlines are past
    return township_b


A_GROUP = "甲村测试青年群"
A_CADRE = "甲县测试团干部"
A_ACCOUNT = "青农甲县测试公众号"
A_MESSAGE = "甲村测试发送记录"
A_ACTIVITY = "甲村测试活动"


def build_ledger(township_a):
    """County A's ledger records, one of each kind (the scope matrix opens each)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from qingnong.ledger.models import AccountAdmin, AdminRole, Cadre, GroupKind, OfficialAccount, WechatGroup

    cadre = Cadre.objects.create(org=township_a, name=A_CADRE, position="团委书记", mobile="13700000001")
    official_account = OfficialAccount.objects.create(org=township_a.parent, name=A_ACCOUNT, wechat_id="qingnong_jiaxian")
    AccountAdmin.objects.create(account=official_account, cadre=cadre, role=AdminRole.FULL_TIME)
    group = WechatGroup.objects.create(org=township_a, name=A_GROUP, kind=GroupKind.YOUTH, bases=",place,", owner=cadre)
    png = io.BytesIO()
    Image.new("1", (21, 21), 1).save(png, "PNG")  # stands in for the join QR code
    group.qr_code.save("qr.png", ContentFile(png.getvalue()), save=True)
    build_message_and_activity(township_a)


def build_message_and_activity(township_a):
    """County A's message record and activity with one photo (a real tiny JPEG on disk)."""
    import io
    from datetime import date

    from django.core.files.base import ContentFile
    from PIL import Image

    from qingnong.ledger.models import Activity, ActivityPhoto, ActivityType, MessageCategory, MessageRecord, WechatGroup

    group = WechatGroup.objects.get(org=township_a, name=A_GROUP)
    MessageRecord.objects.create(org=township_a, group=group, period_start=date(2014, 10, 6), period_end=date(2014, 10, 12),
                                 month=date(2014, 10, 1), count=5, category=MessageCategory.POLICY, title=A_MESSAGE)
    activity = Activity.objects.create(org=township_a, held_on=date(2014, 10, 8), activity_type=ActivityType.SKILLS,
                                       title=A_ACTIVITY, participants=30, group=group)
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(jpeg, "JPEG")
    photo = ActivityPhoto(activity=activity)
    photo.image.save("sample.jpg", ContentFile(jpeg.getvalue()), save=True)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Files the tests upload go to a temporary folder, never to var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the world once per session; each test then runs inside a rolled-back transaction."""
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db):
    from qingnong.accounts.models import User
    from qingnong.org.models import Org, OrgLevel

    if not User.objects.filter(username="city_admin").exists():  # transactional tests flush the DB
        build_world()
    users = {u.username: u for u in User.objects.select_related("org")}
    county_b = Org.objects.get(code="610803")
    return SimpleNamespace(
        city=Org.objects.get(code="610800"),
        county_a=Org.objects.get(code="610802"),
        county_b=county_b,
        township_a=Org.objects.get(code="610802100"),
        township_b=Org.objects.filter(parent=county_b, level=OrgLevel.TOWNSHIP).order_by("code").first(),
        village_a=Org.objects.get(name=A_VILLAGE),
        **users,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


def log_in(page, base, username, password=PASSWORD):
    """Sign in through the login page, as a browser test's user would."""
    page.goto(f"{base}/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request, tmp_path_factory):
    """Browser tests put SQLite's test database in a file, as in production.

    Django's default in-memory test database uses SQLite's shared cache, where a page load
    that meets a concurrent save fails at once with "database table is locked" instead of
    waiting; a file with WAL lets readers go on while one request writes."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and any(item.get_closest_marker("browser") for item in request.session.items):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "browser.sqlite3")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai", "device_scale_factor": 1}


def report_for(run):
    """The ledger report a confirmed 附件3 import makes, for tests that write its rows by hand."""
    from django.utils import timezone

    from qingnong.ledger.models import ProgressReport, ReportSource

    run.report = ProgressReport.objects.create(org=run.org, as_of=run.as_of or run.created_at.date(), source=ReportSource.EXCEL,
                                               submitted_at=run.confirmed_at or timezone.now())
    run.save(update_fields=["report"])
    return run.report


def recorded_on(records, day):
    """Date the records' creation (created_at and their 修改历史's first row) on `day` and
    refresh the summary rows: a test's cadre made today did not stand in 2014 (issue 13:
    past figures count what stood then)."""
    from datetime import datetime, time

    from django.utils import timezone

    from qingnong.ledger.totals import refresh

    records = list(records)
    if not records:
        return
    model = type(records[0])
    when = timezone.make_aware(datetime.combine(day, time(9)))
    model._base_manager.filter(pk__in=[r.pk for r in records]).update(created_at=when)
    if hasattr(model, "history"):
        model.history.model.objects.filter(id__in=[r.pk for r in records], history_type="+").update(history_date=when)
    refresh({r.org_id for r in records})


def pytest_collection_modifyitems(config, items):
    """Tests marked postgresql run in the PostgreSQL pass only (deselected, not skipped, on SQLite)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if not item.get_closest_marker("postgresql")]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("postgresql")])
        items[:] = kept
