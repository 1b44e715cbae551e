"""The reject file: every row that did not load, with its line, field and reason."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

from graph.csv_cells import safe_cell, safe_mapping
from graph.private_files import open_private

__all__ = ["Reject", "RejectWriter"]


@dataclass(frozen=True)
class Reject:
    line: int
    field: str
    reason: str
    row: dict[str, str | None]


class RejectWriter:
    """Writes rejects as CSV (source, line, field, reason, row as JSON) as they come.

    The row shows only the columns the format reads; personal ones as "(redacted)" and
    unknown ones not at all, since a column the format does not know may hold anything.
    Every cell, and every value inside the row, follows the spreadsheet rule of
    ``graph.csv_cells``: a reject file is opened in a spreadsheet to fix the source.
    """

    COLUMNS = ("source", "line", "field", "reason", "row")

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = source
        self.count = 0
        self._shown: frozenset[str] | None = None
        self._redacted: frozenset[str] = frozenset()
        self._file: TextIO | None = None
        self._writer: csv.DictWriter[str] | None = None

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def show_columns(self, known: frozenset[str], personal: frozenset[str]) -> None:
        """From now on show only ``known`` columns' values, ``personal`` ones as "(redacted)"."""
        self._shown = known
        self._redacted = personal

    def write(self, reject: Reject) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open_private(self.path, newline="")
            self._writer = csv.DictWriter(self._file, fieldnames=self.COLUMNS)
            self._writer.writeheader()
        self._writer.writerow(
            safe_mapping(
                {
                    "source": self.source,
                    "line": reject.line,
                    "field": reject.field,
                    "reason": reject.reason,
                    "row": json.dumps(self._row(reject.row), ensure_ascii=False)[:10_000],
                }
            )
        )
        self.count += 1

    def _row(self, row: dict[str, str | None]) -> dict[str, object]:
        return {
            name: "(redacted)" if name in self._redacted and value is not None else safe_cell(value)
            for name, value in row.items()
            if self._shown is None or name in self._shown
        }

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None
