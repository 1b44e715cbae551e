"""The ids a load has read so far, for naming a duplicate's first line, in flat memory.

A file of two million people holds two million ids; as a dict they took more memory than
the rest of the load. They live instead in a private temporary SQLite database (the
standard library's), whose page cache is a couple of megabytes whatever the file's size.
SQLite deletes the file when the load closes it. The ids are the pseudonymous keys the
graph holds anyway, never a personal value.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SeenKeys"]

# All SQL of this module: a private scratch table, not the knowledge graph.
_CREATE = "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID"
_ADD = "INSERT INTO seen (key, line) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"
_LINE = "SELECT line FROM seen WHERE key = ?"


class SeenKeys:
    """Keys with the line each was first read on.

    >>> seen = SeenKeys()
    >>> seen.first_line("p-1", 2), seen.first_line("p-2", 3), seen.first_line("p-1", 9)
    (None, None, 2)
    >>> seen.close()
    """

    def __init__(self) -> None:
        # "" is a temporary database on disk, removed when the connection closes.
        self._db = sqlite3.connect("", isolation_level=None)
        # Scratch data that dies with the load needs no journal and no sync.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(_CREATE)

    def first_line(self, key: str, line: int) -> int | None:
        """Record ``key`` as read on ``line``; if it was read before, the line it was
        first read on (and the record keeps that first line)."""
        if self._db.execute(_ADD, (key, line)).rowcount:
            return None
        found: tuple[int] = self._db.execute(_LINE, (key,)).fetchone()
        return found[0]

    def close(self) -> None:
        self._db.close()
