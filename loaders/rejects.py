"""The reject file: every row that did not load, with its line, field and reason."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

__all__ = ["Reject", "RejectWriter"]


@dataclass(frozen=True)
class Reject:
    line: int
    field: str
    reason: str
    row: dict[str, str | None]


class RejectWriter:
    """Writes rejects as CSV (source, line, field, reason, row as JSON) as they come."""

    COLUMNS = ("source", "line", "field", "reason", "row")

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = source
        self.count = 0
        self.lines: set[int] = set()
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

    def redact(self, columns: frozenset[str]) -> None:
        """Write these columns' values as "(redacted)" from now on."""
        self._redacted = columns

    def write(self, reject: Reject) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.DictWriter(self._file, fieldnames=self.COLUMNS)
            self._writer.writeheader()
        self._writer.writerow(
            {
                "source": self.source,
                "line": reject.line,
                "field": reject.field,
                "reason": reject.reason,
                "row": json.dumps(self._shown(reject.row), ensure_ascii=False)[:10_000],
            }
        )
        self.count += 1
        self.lines.add(reject.line)

    def _shown(self, row: dict[str, str | None]) -> dict[str, str | None]:
        return {
            name: "(redacted)" if name in self._redacted and value is not None else value
            for name, value in row.items()
        }

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None
