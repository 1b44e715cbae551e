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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import READ_ACCESS, Driver, ManagedTransaction, Session

from graph.cypher import journal as q
from graph.models.journal import Changes

__all__ = [
    "CatchUp",
    "JournalPosition",
    "catch_up",
    "journal_position",
    "reached",
    "transaction_id",
]

# A reader more changes behind than this rereads whole rather than apply them one by one.
MAX_CHANGES_READ = 2000

_T = TypeVar("_T")

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


def reached(position: JournalPosition | None, seen: int | None) -> bool:
    """Whether a reader at ``position`` accounts for every commit up to ``seen`` (a
    transaction id some other read's bookmark named), so needs no catch-up for it."""
    return (
        position is not None
        and position.transaction is not None
        and seen is not None
        and position.transaction >= seen
    )


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
    """Where the journal is now (for a reader starting from a whole read)."""
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        head, transaction = _between_commits(session, _head)
    return JournalPosition(head, transaction)


def catch_up(driver: Driver, database: str, after: JournalPosition) -> CatchUp:
    """The changes after ``after``; ``complete`` only if they are every commit since
    (none pruned, none made round the journal, not too many)."""
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        (head, rows), transaction = _between_commits(
            session, _changes_since, after.seq, unchanged_since=after.transaction
        )
    now = JournalPosition(head, transaction)
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


# Reads of the journal tried again while commits keep landing as they read.
READ_ATTEMPTS = 8


def _between_commits(
    session: Session, work: Callable[..., _T], *args: Any, unchanged_since: int | None = None
) -> tuple[_T, int | None]:
    """``work``'s read with the id of the last commit it reflects exactly.

    A read's bookmark names the last commit when the read ended, but the journal's head
    it read may predate a commit that landed while it read: counted in the id, not in
    the head, it looks like a write made round the journal (readers then drop what
    they hold and reread whole; in a busy place, with derived state following four
    times a second, several times a minute), and the pair would make the next catch-up
    wrong the other way. So the read is bracketed: when the bookmark of the read just
    before it (ended before it began) names the same commit as its own, no commit
    landed while it read, and its head and that id agree. Otherwise it is read again;
    past ``READ_ATTEMPTS``, the id is not given (``None``), which no later position
    accounts for: the reader rereads whole, as for a write round the journal.

    A reader that knows the id of the last commit it saw (``unchanged_since``) reads
    first without the bracket: if that read ends with the same id, nothing committed
    since the reader's position, so nothing landed during the read either. Most
    catch-ups (a kept answer given again, the follower's rounds) find nothing new, and
    this spares them a round trip; otherwise that read is the bracket's first half."""
    if unchanged_since is not None:
        found = session.execute_read(work, *args)
        before = transaction_id(session.last_bookmarks().raw_values)
        if before == unchanged_since:
            return found, before
    else:
        session.execute_read(_head)
        before = transaction_id(session.last_bookmarks().raw_values)
    for _ in range(READ_ATTEMPTS):
        found = session.execute_read(work, *args)
        ended = transaction_id(session.last_bookmarks().raw_values)
        if ended == before:
            return found, ended
        before = ended
    return found, None


def _head(tx: ManagedTransaction) -> int:
    return int(tx.run(q.JOURNAL_HEAD).single(strict=True)["head"])


def _changes_since(tx: ManagedTransaction, after: int) -> tuple[int, list[dict[str, Any]]]:
    row = tx.run(q.CHANGES_SINCE, after=after, limit=MAX_CHANGES_READ).single(strict=True)
    return int(row["head"]), list(row["changes"])
