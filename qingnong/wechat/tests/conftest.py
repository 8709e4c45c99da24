import pytest

from qingnong.ledger.models import AccountType, OfficialAccount

from . import fake_platform


@pytest.fixture
def platform(httpserver, settings):
    """The fake platform, and the app pointed at it (the base URL is a setting, as a relay's)."""
    settings.WECHAT_API_BASE = httpserver.url_for("/")
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
