"""The key store: one random AES-256 key per person, wrapped with the master key,
in a SQLite file kept apart from the graph (``ASSETBRIDGE_KEYSTORE_PATH``).

The master key comes from the environment (``ASSETBRIDGE_MASTER_KEY``, 32 bytes in
base64); only in development mode is there a default, which is published and so
protects nothing. Rotation: set the new key as ``ASSETBRIDGE_MASTER_KEY`` and the old
one as ``ASSETBRIDGE_PREVIOUS_MASTER_KEY``, then ``assetbridge keys rotate`` re-wraps
every person's key in one SQLite transaction; the graph is not touched.

Deleted rows are overwritten (``secure_delete``), so a destroyed key does not linger
in the file's free pages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.private_files import create_private, make_private_dir
from graph.secret_strength import MIN_DISTINCT_BYTES, weakness

__all__ = [
    "DEVELOPMENT_MASTER_KEY",
    "KeySettings",
    "KeyStore",
    "KeyStoreError",
    "decode_master",
    "get_key_settings",
    "master_key_id",
    "open_key_store",
]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
# Published in the source: it keeps development data apart from nothing.
DEVELOPMENT_MASTER_KEY = base64.b64encode(b"assetbridge-development-only-key").decode()
_NONCE_BYTES = 12

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS person_keys (
         person_id TEXT PRIMARY KEY,
         wrapped BLOB NOT NULL,
         master_key_id TEXT NOT NULL,
         created_at TEXT NOT NULL)""",
    # Files the product wrote that hold a person's personal values (access exports),
    # so erasure can remove them.
    """CREATE TABLE IF NOT EXISTS person_files (
         person_id TEXT NOT NULL,
         path TEXT NOT NULL,
         PRIMARY KEY (person_id, path))""",
)


class KeyStoreError(Exception):
    """The key store cannot be used as configured; the message says what to set."""


class KeySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSETBRIDGE_", env_file=".env", extra="ignore")

    keystore_path: Path = _PROJECT_ROOT / "var" / "keystore.sqlite3"
    master_key: SecretStr | None = None
    previous_master_key: SecretStr | None = None
    # The API's mode decides whether the development master key may be used.
    api_environment: Literal["development", "production"] = Field("development")
    # Where `audit verify` keeps the audit chain's witness (graph/services/audit_witness.py):
    # beside the key store unless set, outside the graph either way.
    audit_witness_path: Path | None = None

    @property
    def witness_path(self) -> Path:
        if self.audit_witness_path is not None:
            return self.audit_witness_path
        return self.keystore_path.with_name(f"{self.keystore_path.stem}.audit-witness.json")


@lru_cache(maxsize=1)
def get_key_settings() -> KeySettings:
    return KeySettings()


def decode_master(value: str, variable: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise KeyStoreError(
            f"{variable} must be 32 random bytes in base64 "
            '(e.g. python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())")'
        )
    return key


def master_key_id(master: bytes) -> str:
    """A short fingerprint naming which master key wrapped a row (not the key)."""
    return hashlib.sha256(b"assetbridge master key id\x00" + master).hexdigest()[:16]


def check_master_key(settings: KeySettings | None = None) -> None:
    """Raise ``KeyStoreError`` unless a master key is usable: set and well formed, or the
    published development one in development mode. The API checks this at start, so a
    production service without one refuses to start rather than fail each read."""
    _master(settings or get_key_settings())


def _master(settings: KeySettings) -> bytes:
    if settings.master_key is not None:
        master = decode_master(settings.master_key.get_secret_value(), "ASSETBRIDGE_MASTER_KEY")
        if settings.api_environment == "production":
            _refuse_weak_master(master)
        return master
    if settings.api_environment == "development":
        return decode_master(DEVELOPMENT_MASTER_KEY, "the development master key")
    raise KeyStoreError("ASSETBRIDGE_MASTER_KEY is not set; production mode has no default")


def _refuse_weak_master(master: bytes) -> None:
    # Only the current key is judged: a weak previous one is what rotation retires.
    problem = weakness(
        master,
        min_length=len(master),
        min_distinct=MIN_DISTINCT_BYTES,
        published=(base64.b64decode(DEVELOPMENT_MASTER_KEY),),
    )
    if problem is not None:
        raise KeyStoreError(
            f"ASSETBRIDGE_MASTER_KEY is too weak for production: it {problem}. Make one with "
            'python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())", '
            "then re-wrap the keys under it with `assetbridge keys rotate` "
            "(the old key as ASSETBRIDGE_PREVIOUS_MASTER_KEY)"
        )


class KeyStore:
    """Per-person keys. Every method opens its own short SQLite connection, so one
    store may be shared by threads and processes."""

    def __init__(self, path: Path, master: bytes) -> None:
        self.path = path
        self._master = master
        self._master_id = master_key_id(master)
        make_private_dir(path.parent)
        # Made owner-only before SQLite opens it; SQLite gives its journal the same mode.
        create_private(path)
        with self._connect() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA secure_delete = ON")
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def _wrap(self, person_id: str, key: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + AESGCM(self._master).encrypt(nonce, key, person_id.encode())

    def _unwrap(self, person_id: str, wrapped: bytes, master: bytes) -> bytes:
        try:
            return AESGCM(master).decrypt(
                wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], person_id.encode()
            )
        except InvalidTag as error:
            raise KeyStoreError(
                f"the key of {person_id!r} does not open with this master key "
                "(was it rotated? see `assetbridge keys rotate`)"
            ) from error

    def keys_for(self, person_ids: Iterable[str]) -> dict[str, bytes]:
        """The keys that exist for these people; an erased person has none."""
        wanted = sorted(set(person_ids))
        if not wanted:
            return {}
        with self._connect() as db:
            db.execute("CREATE TEMP TABLE wanted (person_id TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO wanted VALUES (?)", [(ident,) for ident in wanted])
            rows = db.execute(
                "SELECT k.person_id, k.wrapped FROM person_keys k JOIN wanted USING (person_id)"
            ).fetchall()
        return {ident: self._unwrap(ident, wrapped, self._master) for ident, wrapped in rows}

    def ensure_keys(self, person_ids: Iterable[str]) -> dict[str, bytes]:
        """Each person's key, made now where there is none (safe to call again)."""
        wanted = sorted(set(person_ids))
        now = datetime.now(UTC).isoformat()
        with self._connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO person_keys VALUES (?, ?, ?, ?)",
                [
                    (i, self._wrap(i, AESGCM.generate_key(256)), self._master_id, now)
                    for i in wanted
                ],
            )
        return self.keys_for(wanted)

    def destroy(self, person_ids: Iterable[str]) -> int:
        """Destroy these people's keys: what was sealed with them cannot be opened again."""
        with self._connect() as db:
            cursor = db.executemany(
                "DELETE FROM person_keys WHERE person_id = ?", [(i,) for i in set(person_ids)]
            )
            return cursor.rowcount

    def rotate(self, previous: bytes) -> int:
        """Re-wrap every key made under ``previous`` with the current master key."""
        previous_id = master_key_id(previous)
        with self._connect() as db:
            rows = db.execute(
                "SELECT person_id, wrapped FROM person_keys WHERE master_key_id = ?",
                (previous_id,),
            ).fetchall()
            db.executemany(
                "UPDATE person_keys SET wrapped = ?, master_key_id = ? WHERE person_id = ?",
                [
                    (self._wrap(i, self._unwrap(i, w, previous)), self._master_id, i)
                    for i, w in rows
                ],
            )
        return len(rows)

    def record_file(self, person_id: str, path: Path) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO person_files VALUES (?, ?)",
                (person_id, str(path.resolve())),
            )

    def files_for(self, person_id: str) -> list[Path]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT path FROM person_files WHERE person_id = ? ORDER BY path", (person_id,)
            ).fetchall()
        return [Path(path) for (path,) in rows]

    def forget_files(self, person_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM person_files WHERE person_id = ?", (person_id,))


def open_key_store(settings: KeySettings | None = None) -> KeyStore:
    """The key store configured by the environment (or ``settings``)."""
    settings = settings or get_key_settings()
    return _store(settings.keystore_path, _master(settings))


@lru_cache(maxsize=8)
def _store(path: Path, master: bytes) -> KeyStore:
    # Opening creates the tables: once per process and configuration, not per read.
    return KeyStore(path, master)
