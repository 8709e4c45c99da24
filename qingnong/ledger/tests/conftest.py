"""County A's group and official account from the shared world (the root conftest)."""
import pytest

from conftest import A_ACCOUNT, A_GROUP
from qingnong.ledger.models import OfficialAccount, WechatGroup


@pytest.fixture
def group(world):
    return WechatGroup.objects.get(name=A_GROUP)


@pytest.fixture
def official_account(world):
    return OfficialAccount.objects.get(name=A_ACCOUNT)
