"""Secrets at rest (issue 14): sealed, not readable in the row, opened with the key, rotated
by putting a new key in front, and a clear message when the key that sealed one is gone."""
import pytest

from qingnong.lib.secrets import SecretUnreadable, seal, unseal


def test_sealed_text_is_not_the_secret_and_opens_again(settings):
    settings.QINGNONG_FIELD_KEYS = ["key-one"]
    sealed = seal("0123456789abcdef0123456789abcdef")
    assert "0123456789abcdef" not in sealed and unseal(sealed) == "0123456789abcdef0123456789abcdef"
    assert seal("") == "" and unseal("") == ""


def test_rotation_opens_old_secrets_and_seals_with_the_new_key(settings):
    settings.QINGNONG_FIELD_KEYS = ["old"]
    old = seal("s")
    settings.QINGNONG_FIELD_KEYS = ["new", "old"]
    assert unseal(old) == "s"
    settings.QINGNONG_FIELD_KEYS = ["new"]
    assert unseal(seal("t")) == "t"
    with pytest.raises(SecretUnreadable, match="重新填写"):
        unseal(old)


def test_without_keys_the_secret_key_seals(settings):
    settings.QINGNONG_FIELD_KEYS = []
    settings.SECRET_KEY = "a" * 50
    sealed = seal("x")
    settings.SECRET_KEY = "b" * 50
    with pytest.raises(SecretUnreadable):
        unseal(sealed)
