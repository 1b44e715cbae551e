"""Following the change journal, and telling when a write went round it.

The product's every write appends one ``Change`` under the audit chain's gap-free
``seq`` in the write's own transaction (``graph.services.audit``). A reader at ``seq``
N reads the changes after N in one range read. What the journal cannot show is a write
made outside the product (Neo4j Browser, cypher-shell, another tool). Neo4j Community
has no change data capture, but every read's bookmark names the last transaction the
database had committed when the read ended, and that id counts every commit. So a
reader also keeps the transaction id it caught up to: if between two catch-ups more
transactions committed than journal entries appeared, something wrote round the
journal and the reader must reread whole. Neo4j's own bookkeeping commits (a label or
property name used for the first time) count as such writes: rare, and only slower.

The transaction id is read out of the bookmark (Neo4j 5's encoding, checked against
the server in the tests). A bookmark in any other encoding (another server version,
a cluster's) gives no id; then every commit counts as unexplained and readers reread
whole: never stale, only slower.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph.cypher import journal as q
from graph.models.journal import Changes

__all__ = ["CatchUp", "JournalPosition", "catch_up", "journal_position", "transaction_id"]

# A reader more changes behind than this rereads whole rather than apply them one by one.
MAX_CHANGES_READ = 2000

_BOOKMARK_PREFIX = "FB:"
# Neo4j 5's bookmark, after base64: a one-item list of the database's 16-byte id, then
# the transaction id as a PackStream integer, then an empty list.
_DATABASE_ID = bytes([0x91, 0xCC, 0x10])
_INTEGER_SIZES = {0xC8: 1, 0xC9: 2, 0xCA: 4, 0xCB: 8}


@dataclass(frozen=True)
class JournalPosition:
    """How far a reader has followed: the journal's ``seq``, and the database's last
    committed transaction id at that point (``None``: the bookmark gave none)."""

    seq: int
    transaction: int | None

    def accounts_for(self, later: JournalPosition) -> bool:
        """Whether every commit between this position and ``later`` is in the journal."""
        if self.transaction is None or later.transaction is None:
            return self == later
        return later.transaction - self.transaction == later.seq - self.seq


@dataclass(frozen=True)
class CatchUp:
    """What a reader learns from one catch-up: where the journal now is, and either
    what changed since the reader's position (``complete``) or that it cannot know."""

    position: JournalPosition
    changes: tuple[Changes, ...]
    complete: bool

    @property
    def changed(self) -> Changes:
        joined = Changes()
        for change in self.changes:
            joined = joined | change
        return joined


def transaction_id(bookmarks: Iterable[str]) -> int | None:
    """The transaction id a Neo4j 5 bookmark names, or ``None`` if it is not one."""
    values = list(bookmarks)
    if len(values) != 1 or not values[0].startswith(_BOOKMARK_PREFIX):
        return None
    try:
        raw = base64.b64decode(values[0][len(_BOOKMARK_PREFIX) :] + "==")
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_DATABASE_ID) or len(raw) < len(_DATABASE_ID) + 18:
        return None
    rest = raw[len(_DATABASE_ID) + 16 :]
    if not rest or rest[-1] != 0x90:
        return None
    number = rest[:-1]
    if len(number) == 1:
        value = number[0]
        return value if value < 0x80 else None
    size = _INTEGER_SIZES.get(number[0])
    if size is None or len(number) != size + 1:
        return None
    return int.from_bytes(number[1:], "big", signed=True)


def journal_position(driver: Driver, database: str) -> JournalPosition:
    """Where the journal is now (for a reader starting from a whole read).

    The transaction id is taken before the head is read, so the head holds at least
    every commit the id counts. Taken after, a commit landing between the two would be
    counted in the id but not in ``seq``; a catch-up from there whose own bookmark then
    counted a commit it had not read (one landing as it finished) would balance the two
    and look complete, and the reader would claim a commit it never applied."""
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        session.execute_read(_head)  # only for its bookmark
        transaction = transaction_id(session.last_bookmarks().raw_values)
        return JournalPosition(session.execute_read(_head), transaction)


def catch_up(driver: Driver, database: str, after: JournalPosition) -> CatchUp:
    """The changes after ``after``, in one read; ``complete`` only if they are every
    commit since (none pruned, none made round the journal, not too many)."""
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        head, rows = session.execute_read(_changes_since, after.seq)
        now = JournalPosition(head, transaction_id(session.last_bookmarks().raw_values))
    changes = tuple(
        Changes(frozenset(r["kinds"] or []), frozenset(r["ids"] or []), bool(r["whole"]))
        for r in rows
    )
    seqs = [int(r["seq"]) for r in rows]
    complete = (
        seqs == list(range(after.seq + 1, head + 1))
        and after.accounts_for(now)
        and not any(change.whole for change in changes)
    )
    return CatchUp(now, changes, complete)


def _head(tx: ManagedTransaction) -> int:
    return int(tx.run(q.JOURNAL_HEAD).single(strict=True)["head"])


def _changes_since(tx: ManagedTransaction, after: int) -> tuple[int, list[dict[str, Any]]]:
    row = tx.run(q.CHANGES_SINCE, after=after, limit=MAX_CHANGES_READ).single(strict=True)
    return int(row["head"]), list(row["changes"])
