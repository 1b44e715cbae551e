"""The audit chain's witness: the newest event ``audit verify`` found intact, kept outside
the graph (beside the key store) to compare with next time.

The hash chain shows an event changed, removed from the middle or reordered; it cannot
show that the newest events were removed with the head moved back to match, because what
is left is a shorter chain that is whole. The witness can: a later check must still find
the witnessed event, with the same hash. It is written only by a check, not by every
write, so the service's writes never wait for a file.

One file holds a witness per database, keyed by the database's id (``db.info()``), so a
key store directory shared by several databases (a test server, a development one)
keeps them apart. Written whole to a temporary file, then renamed over the old one, with
mode 0600.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.cypher import audit as q
from graph.private_files import make_private_dir, open_private

__all__ = ["Witness", "WitnessError", "database_id", "read_witness", "write_witness"]

_VERSION = 1
RESET_HINT = (
    "after restoring the database from a backup (which is meant to shorten the log), "
    "`assetbridge audit verify --reset-witness` starts a new witness from the chain as it is"
)


class WitnessError(Exception):
    """The witness file cannot be read or written; the message names the file."""


@dataclass(frozen=True)
class Witness:
    """Event ``seq`` with hash ``hash`` was the chain's newest, found intact at ``at``."""

    database_id: str
    seq: int
    hash: str
    at: datetime


def database_id(driver: Driver, database: str) -> str:
    """The database's own id: a database made anew gets another, a restore keeps it."""
    records, _, _ = driver.execute_query(q.DATABASE_ID, database_=database, routing_="r")
    return str(records[0]["id"])


def read_witness(path: Path, database: str) -> Witness | None:
    """The witness kept for the database with id ``database``, or ``None`` if there is none."""
    entry = _entries(path).get(database)
    if entry is None:
        return None
    try:
        return Witness(
            database, int(entry["seq"]), str(entry["hash"]), datetime.fromisoformat(entry["at"])
        )
    except (KeyError, TypeError, ValueError) as error:
        raise WitnessError(
            f"the audit witness {path} has a malformed entry for database {database} "
            f"({error}); {RESET_HINT}"
        ) from error


def write_witness(path: Path, witness: Witness, *, replace: bool = False) -> Witness:
    """Keep ``witness`` for its database and return the one kept: a witness further along
    the chain (from a check that ran at the same time) is kept unless ``replace``."""
    try:
        entries = _entries(path)
    except WitnessError:
        if not replace:
            raise
        entries = {}
    held = entries.get(witness.database_id)
    if held is not None and not replace and int(held.get("seq", 0)) > witness.seq:
        return read_witness(path, witness.database_id) or witness
    entries[witness.database_id] = {
        "seq": witness.seq,
        "hash": witness.hash,
        "at": witness.at.astimezone(UTC).isoformat(),
    }
    make_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open_private(temporary) as out:
            json.dump({"version": _VERSION, "databases": entries}, out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise WitnessError(f"the audit witness {path} cannot be written: {error}") from error
    return witness


def _entries(path: Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise WitnessError(f"the audit witness {path} cannot be read: {error}") from error
    try:
        document = json.loads(text)
        entries = document["databases"]
        if not isinstance(entries, dict):
            raise TypeError("databases is not an object")
    except (ValueError, KeyError, TypeError) as error:
        raise WitnessError(
            f"the audit witness {path} is not a witness file ({error}); {RESET_HINT}"
        ) from error
    return entries
