"""Secrets kept in the database (a 公众号's AppSecret, its EncodingAESKey): sealed with Fernet
(AES-128-CBC with an HMAC, from `cryptography`) so that a dump or a backup of the database
does not give them away. The keys come from settings.QINGNONG_FIELD_KEYS (the first seals,
every one opens: add a new key in front to rotate), or SECRET_KEY when none is set."""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """Sealed under a key that is no longer configured."""


def _fernet():
    keys = settings.QINGNONG_FIELD_KEYS or [settings.SECRET_KEY]
    # Any string is stretched to a Fernet key by SHA-256 (a key written as a Fernet key works too).
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"qingnong-field:{k}".encode()).digest())) for k in keys])


def seal(text):
    return _fernet().encrypt(text.encode()).decode() if text else ""


def unseal(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("保存的密钥无法解密（服务器的加密密钥已更换）。请重新填写 AppSecret。")
