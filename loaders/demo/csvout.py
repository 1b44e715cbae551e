"""Streaming CSV writers for the demo files, one a loader format.

The header of each file is the field list of the format's own row model, so a
column the loader does not know cannot be written, and cells are rendered the
way the loaders parse them back (ISO dates, ``true``/``false``, ``;`` lists).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from loaders.registry import TABLE_FORMATS

__all__ = ["DEMO_KINDS", "DemoFiles", "TableWriter", "cell"]

# The order the files must load in: every file names only nodes of files above it.
DEMO_KINDS: tuple[str, ...] = (
    "areas",
    "skills",
    "occupations",
    "qualifications",
    "organisations",
    "services",
    "anchors",
    "departments",
    "vacancies",
    "properties",
    "people",
    "edges",
)

Row = Mapping[str, object]


def cell(value: object) -> str:
    """One value as the loaders read it back."""
    # Exact type checks, commonest first: this runs for every cell of a million rows.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(cell(item) for item in value)
    return str(value)


class TableWriter:
    """Writes rows of one format as they come; counts them."""

    def __init__(self, handle: TextIO, kind: str) -> None:
        self.kind = kind
        self.columns: tuple[str, ...] = tuple(TABLE_FORMATS[kind].row_model.model_fields)
        self._known = frozenset(self.columns)
        self.rows = 0
        # "\n" line ends so the bytes are the same on every platform.
        self._writer = csv.writer(handle, lineterminator="\n")
        self._writer.writerow(self.columns)

    def write(self, row: Row) -> None:
        unknown = row.keys() - self._known
        if unknown:
            raise KeyError(f"{self.kind} has no column(s) {sorted(unknown)}")
        get = row.get
        # Blank and text cells inline: most cells of the edge list are one or the other.
        self._writer.writerow(
            [
                "" if (value := get(name)) is None else value if type(value) is str else cell(value)
                for name in self.columns
            ]
        )
        self.rows += 1

    def write_all(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.write(row)


class DemoFiles:
    """A folder of open writers, one ``<kind>.csv`` a format."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._handles: list[TextIO] = []
        self.writers: dict[str, TableWriter] = {}

    def __enter__(self) -> DemoFiles:
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind in DEMO_KINDS:
            handle = (self.folder / f"{kind}.csv").open("w", newline="", encoding="utf-8")
            self._handles.append(handle)
            self.writers[kind] = TableWriter(handle, kind)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for handle in self._handles:
            handle.close()

    def __getitem__(self, kind: str) -> TableWriter:
        return self.writers[kind]

    def row_counts(self) -> dict[str, int]:
        return {kind: writer.rows for kind, writer in self.writers.items()}
