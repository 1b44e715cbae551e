"""One personal value in, ciphertext out: AES-256-GCM with the person's key.

The associated data binds a ciphertext to its person and field, so a value copied
onto another person or field fails to open rather than being shown as theirs.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["PREFIX", "is_sealed", "open_value", "seal_value"]

# A version tag, so a later scheme can sit beside this one during a migration.
PREFIX = "ab1:"
_NONCE_BYTES = 12


def _associated(person_id: str, field: str) -> bytes:
    return f"{person_id}\x1f{field}".encode()


def seal_value(key: bytes | AESGCM, person_id: str, field: str, value: str) -> str:
    """``value`` encrypted under ``key`` for this person and field, as text for Neo4j.
    (Pass an ``AESGCM`` made once to seal a whole record: making one costs more than
    sealing a short value.)"""
    cipher = key if isinstance(key, AESGCM) else AESGCM(key)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = cipher.encrypt(nonce, value.encode(), _associated(person_id, field))
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def open_value(key: bytes | AESGCM | None, person_id: str, field: str, value: object) -> str | None:
    """The plain value, or None when it cannot be opened: no key (erased), not
    ciphertext (never shown as is), or tampered with."""
    if key is None or not is_sealed(value):
        return None
    assert isinstance(value, str)
    try:
        raw = base64.b64decode(value[len(PREFIX) :], validate=True)
        cipher = key if isinstance(key, AESGCM) else AESGCM(key)
        plain = cipher.decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated(person_id, field)
        )
    except (ValueError, InvalidTag):
        return None
    return plain.decode()
