"""Encryption of sensitive fields at rest and keyed hashes for exact look-up.

A token is "<key id>$<base64(nonce + AES-GCM ciphertext)>": the key id lets old keys keep
decrypting after LINLI_FIELD_KEY is rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(master: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        master.encode()
    )


@cache
def _keys() -> tuple[str, dict[str, AESGCM], bytes]:
    current = settings.FIELD_ENCRYPTION_KEY
    ciphers: dict[str, AESGCM] = {}
    current_id = ""
    for master in [current, *settings.FIELD_ENCRYPTION_OLD_KEYS]:
        key = _derive(master, b"linli field encryption v1")
        key_id = hashlib.sha256(key).hexdigest()[:8]
        ciphers[key_id] = AESGCM(key)
        current_id = current_id or key_id
    lookup_key = _derive(settings.FIELD_LOOKUP_KEY, b"linli lookup hash v1")
    return current_id, ciphers, lookup_key


def reset_keys() -> None:
    """Forget derived keys (tests that change the settings call this)."""
    _keys.cache_clear()


def encrypt(plaintext: str) -> str:
    key_id, ciphers, _lookup = _keys()
    nonce = os.urandom(12)
    sealed = ciphers[key_id].encrypt(nonce, plaintext.encode(), None)
    return f"{key_id}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    _current, ciphers, _lookup = _keys()
    key_id, _sep, body = token.partition("$")
    cipher = ciphers.get(key_id)
    if cipher is None:
        raise ValueError(f"no key {key_id!r} to decrypt this field; set LINLI_FIELD_OLD_KEYS")
    raw = base64.b64decode(body)
    return cipher.decrypt(raw[:12], raw[12:], None).decode()


def encrypt_bytes(data: bytes) -> bytes:
    key_id, ciphers, _lookup = _keys()
    nonce = os.urandom(12)
    return key_id.encode() + b"$" + nonce + ciphers[key_id].encrypt(nonce, data, None)


def decrypt_bytes(blob: bytes) -> bytes:
    _current, ciphers, _lookup = _keys()
    key_id, _sep, body = blob.partition(b"$")
    return ciphers[key_id.decode()].decrypt(body[:12], body[12:], None)


def lookup_hash(value: str) -> str:
    """A keyed hash of a normalised value: equal inputs match, the value cannot be recovered."""
    _current, _ciphers, key = _keys()
    normalised = value.strip().upper().encode()
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """1101**********123X: region prefix and last four, nothing that gives the birth date."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(value: str) -> str:
    return "••••••" if value else ""
