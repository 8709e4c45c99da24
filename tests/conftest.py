"""Cross-app tests (figures that the ledger writes and the campaign and forms read; audit
entries of every app's records) share the ledger's fixtures."""
from qingnong.ledger.tests.conftest import official_account, group  # noqa: F401
