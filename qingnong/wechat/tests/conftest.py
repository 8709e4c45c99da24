import pytest

from qingnong.ledger.models import AccountType, OfficialAccount

from . import fake_platform


@pytest.fixture
def platform(httpserver, settings):
    """The fake platform, and the app pointed at it (the base URL is a setting, as a relay's)."""
    settings.WECHAT_API_BASE = settings.WECOM_API_BASE = httpserver.url_for("/")
    settings.WECHAT_TIMEOUT = 0.5
    return fake_platform.install(httpserver)


@pytest.fixture
def account(world):
    """County A's 公众号, a service account."""
    account = OfficialAccount.objects.filter(org=world.county_a).first()
    account.account_type = AccountType.SERVICE
    account.save()
    return account


@pytest.fixture
def linked(platform, account, world):
    from qingnong.wechat.services import link_account

    return link_account(user=world.county_a_admin, account=account, app_id=fake_platform.APP_ID,
                        secret=fake_platform.SECRET, aes_key="a" * 43, verified_service=True)


@pytest.fixture
def wecom(platform, world):
    """County A's WeCom linked; the fake's second group carries the name of county A's ledger group."""
    from conftest import A_GROUP
    from qingnong.wechat.services import link_wecom

    name, owner, joins = platform.chats["c2"]
    platform.chats["c2"] = (A_GROUP, owner, joins)
    return link_wecom(user=world.county_a_admin, org=world.county_a, corp_id=fake_platform.CORP_ID, secret=fake_platform.CORP_SECRET)
