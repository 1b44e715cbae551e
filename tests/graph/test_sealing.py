"""Sealed personal values: bound to their person and field, and never shown unopened."""

from __future__ import annotations

import base64
import os
import sqlite3
from pathlib import Path

import pytest

from graph.crypto.keystore import KeySettings, KeyStore, KeyStoreError, open_key_store
from graph.crypto.records import open_record, seal_record
from graph.crypto.sealing import PREFIX, open_value, seal_value

KEY = os.urandom(32)


def test_a_value_opens_only_for_its_person_and_field() -> None:
    sealed = seal_value(KEY, "p-1", "name", "Amina")
    assert sealed.startswith(PREFIX)
    assert "Amina" not in sealed
    assert open_value(KEY, "p-1", "name", sealed) == "Amina"
    assert open_value(KEY, "p-2", "name", sealed) is None
    assert open_value(KEY, "p-1", "email", sealed) is None
    assert open_value(os.urandom(32), "p-1", "name", sealed) is None
    assert open_value(None, "p-1", "name", sealed) is None


@pytest.mark.parametrize("stored", ["Amina", PREFIX + "not base64!", PREFIX, 42, None])
def test_plaintext_and_garbage_are_never_shown(stored: object) -> None:
    assert open_value(KEY, "p-1", "name", stored) is None


def test_a_tampered_value_does_not_open() -> None:
    sealed = seal_value(KEY, "p-1", "name", "Amina")
    raw = bytearray(base64.b64decode(sealed[len(PREFIX) :]))
    raw[-1] ^= 1
    assert open_value(KEY, "p-1", "name", PREFIX + base64.b64encode(bytes(raw)).decode()) is None


def test_a_record_round_trips_and_two_seals_differ() -> None:
    values = {
        "id": "p-1",
        "name": "Amina",
        "date_of_birth": __import__("datetime").date(1988, 4, 2),
    }
    once, twice = seal_record(KEY, "p-1", values), seal_record(KEY, "p-1", values)
    assert once["name"] != twice["name"]  # a fresh nonce each time
    assert once["email"] is None
    assert open_record(KEY, "p-1", once) == {"name": "Amina", "date_of_birth": "1988-04-02"}


def test_keys_are_made_once_destroyed_and_need_the_right_master(tmp_path: Path) -> None:
    master = os.urandom(32)
    store = KeyStore(tmp_path / "keys.sqlite3", master)
    first = store.ensure_keys(["p-1", "p-2"])
    assert store.ensure_keys(["p-1"]) == {"p-1": first["p-1"]}
    with sqlite3.connect(store.path) as db:
        [(wrapped,)] = db.execute("SELECT wrapped FROM person_keys WHERE person_id = 'p-1'")
    assert wrapped in store.path.read_bytes()
    assert store.destroy(["p-1"]) == 1
    assert store.keys_for(["p-1", "p-2"]) == {"p-2": first["p-2"]}
    with pytest.raises(KeyStoreError, match="does not open with this master key"):
        KeyStore(tmp_path / "keys.sqlite3", os.urandom(32)).keys_for(["p-2"])
    # secure_delete: the destroyed key's bytes are not left in a free page of the file.
    assert wrapped not in store.path.read_bytes()


def test_production_needs_a_master_key(tmp_path: Path) -> None:
    settings = KeySettings(keystore_path=tmp_path / "k.sqlite3", api_environment="production")
    with pytest.raises(KeyStoreError, match="ASSETBRIDGE_MASTER_KEY is not set"):
        open_key_store(settings)
    bad = KeySettings(keystore_path=tmp_path / "k.sqlite3", master_key="short")
    with pytest.raises(KeyStoreError, match="32 random bytes in base64"):
        open_key_store(bad)
