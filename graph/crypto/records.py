"""Personal records sealed and opened field by field with their person's key."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from graph.crypto.sealing import open_value, seal_value

__all__ = ["PERSONAL_FIELDS", "open_record", "row_digest", "seal_fields", "seal_record"]

PERSONAL_FIELDS: tuple[str, ...] = ("name", "email", "phone", "date_of_birth", "nationality",
                                    "immigration_status", "address", "postcode")  # fmt: skip


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def seal_fields(key: bytes, person_id: str, values: Mapping[str, Any]) -> dict[str, str]:
    """The personal fields of ``values`` that have a value, sealed."""
    cipher = AESGCM(key)
    return {
        field: seal_value(cipher, person_id, field, _text(value))
        for field, value in values.items()
        if field in PERSONAL_FIELDS and value is not None
    }


def seal_record(key: bytes, person_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with every personal field sealed (absent or null fields stay null)."""
    return {
        **values,
        **dict.fromkeys(PERSONAL_FIELDS),
        **seal_fields(key, person_id, values),
    }


def open_record(key: bytes | None, person_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The personal fields opened; a field that cannot be opened (no key, not sealed,
    tampered with) is left out rather than shown."""
    opened: dict[str, Any] = {}
    cipher = AESGCM(key) if key is not None else None
    for field in PERSONAL_FIELDS:
        plain = open_value(cipher, person_id, field, values.get(field))
        if plain is not None:
            opened[field] = plain
    return opened


def row_digest(key: bytes | None, values: Mapping[str, Any]) -> str:
    """A digest of what a source said of a person, to tell a changed row from the same
    row loaded again. Keyed (HMAC-SHA256 under a key derived from the person's own) when
    ``key`` is given, as it must be whenever ``values`` hold personal values: a plain hash
    of a name and a birth date could be confirmed by guessing them. Destroying the key
    (erasure) leaves the digest meaning nothing."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), default=_text)
    if key is None:
        return hashlib.sha256(text.encode()).hexdigest()
    derived = hmac.new(key, b"assetbridge row digest", hashlib.sha256).digest()
    return hmac.new(derived, text.encode(), hashlib.sha256).hexdigest()
