"""The loading pipeline every format shares.

Read rows, validate each with its pydantic model, refuse duplicates and rows
that name unknown nodes, and hand good rows to ``graph`` services in batches.
Bad rows go to the reject file with their line, field and reason; good rows
load regardless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Generic, TypeVar

from neo4j import Driver
from neo4j.exceptions import ConstraintError, CypherTypeError, DatabaseError
from pydantic import BaseModel, ValidationError

from graph.models.provenance import Provenance
from graph.services.ingest import Problem
from loaders.ahead import read_ahead
from loaders.reading import SourceRow
from loaders.rejects import Reject, RejectWriter
from loaders.seen import SeenKeys

__all__ = ["Format", "LoadReport", "Progress", "run_format"]

Item = TypeVar("Item")
RowModel = TypeVar("RowModel", bound=BaseModel)


class Progress:
    """Where the pipeline says how far it has got; the CLI draws a bar from it."""

    def advance(self, rows: int) -> None:
        """Called after each batch with the number of rows it held."""


@dataclass(frozen=True)
class Format(Generic[RowModel, Item]):
    """One input format: its row model, how a row becomes a graph item, and how
    a batch of items is checked against the graph and written."""

    kind: str
    row_model: type[RowModel]
    convert: Callable[[RowModel], Item]
    key: Callable[[Item], str]
    check: Callable[[Driver, str, Sequence[Item]], list[Problem]]
    write: Callable[[Driver, str, Sequence[Item], Provenance], None]
    description: str = ""
    # Columns never copied into the reject file (personal data stays in its source).
    sensitive_columns: frozenset[str] = frozenset()


@dataclass
class LoadReport:
    kind: str
    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    # Rows deliberately passed over (neither loaded nor wrong), e.g. ESCO skill groups.
    rows_skipped: int = 0
    seconds: float = 0.0
    rejects_path: Path | None = None
    dry_run: bool = False
    parts: list[LoadReport] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows_loaded / self.seconds if self.seconds > 0 else 0.0


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _validation_rejects(row: SourceRow, error: ValidationError) -> list[Reject]:
    rejects = []
    for detail in error.errors(include_url=False):
        location = ".".join(str(part) for part in detail["loc"]) or "row"
        rejects.append(Reject(row.line, location, detail["msg"], row.values))
    return rejects


# The database refusing a value (too large for an index, a type it cannot store): a
# fault of the row, not of the connection.
_REFUSALS = (DatabaseError, ConstraintError, CypherTypeError)


def _write_bisecting(
    fmt: Format[RowModel, Item],
    pairs: list[tuple[SourceRow, Item]],
    driver: Driver,
    database: str,
    provenance: Provenance,
    rejects: RejectWriter,
) -> int:
    """Write the batch; if the database refuses it, write each half alone, down to the
    single rows it refuses, which go to the reject file. Returns the rows written."""
    try:
        fmt.write(driver, database, [item for _, item in pairs], provenance)
    except _REFUSALS as error:
        if len(pairs) == 1:
            row = pairs[0][0]
            # The first sentence says what; the rest names internal index and element ids.
            reason = (error.message or "").split(". ")[0][:200]
            rejects.write(Reject(row.line, "row", f"Neo4j refused it: {reason}", row.values))
            return 0
        middle = len(pairs) // 2
        return sum(
            _write_bisecting(fmt, half, driver, database, provenance, rejects)
            for half in (pairs[:middle], pairs[middle:])
        )
    return len(pairs)


@dataclass
class _Validated(Generic[Item]):
    """One batch read and validated: its size, its rows' rejects so far in line order,
    and the rows that passed with their items."""

    rows: int
    rejects: list[Reject] = field(default_factory=list)
    good_rows: list[SourceRow] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def _validated(
    fmt: Format[RowModel, Item], rows: Iterable[SourceRow], batch_size: int
) -> Iterator[_Validated[Item]]:
    """Batches of rows validated, converted and cleared of duplicates: Python's share of
    a load, which nothing in the graph decides."""
    seen = SeenKeys()
    try:
        for batch in _batches(rows, batch_size):
            done: _Validated[Item] = _Validated(len(batch))
            for row in batch:
                if row.misaligned is not None:
                    # A value may sit under another column's name (a name under a skill,
                    # say): none of them is shown, only where the row is and what is wrong.
                    done.rejects.append(Reject(row.line, "row", row.misaligned, {}))
                    continue
                try:
                    present = {k: value for k, value in row.values.items() if value is not None}
                    item = fmt.convert(fmt.row_model.model_validate(present))
                except ValidationError as error:
                    done.rejects.extend(_validation_rejects(row, error))
                    continue
                except ValueError as error:
                    done.rejects.append(Reject(row.line, "row", str(error), row.values))
                    continue
                key = fmt.key(item)
                first = seen.first_line(key, row.line)
                if first is not None:
                    reason = f"duplicate id {key!r}, first on line {first}"
                    done.rejects.append(Reject(row.line, "id", reason, row.values))
                    continue
                done.good_rows.append(row)
                done.items.append(item)
            yield done
    finally:
        seen.close()


def run_format(
    fmt: Format[RowModel, Item],
    rows: Iterable[SourceRow],
    *,
    driver: Driver,
    database: str,
    provenance: Provenance,
    rejects: RejectWriter,
    batch_size: int = 2000,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Load ``rows`` in the given format; return what was read, loaded and rejected.

    The next batch is read and validated (in a thread) while this one is checked and
    written; batches are still checked, written and committed one after another."""
    report = LoadReport(fmt.kind, provenance.source, dry_run=dry_run, rejects_path=rejects.path)
    rejects.show_columns(frozenset(fmt.row_model.model_fields), fmt.sensitive_columns)
    started = time.perf_counter()
    with closing(read_ahead(_validated(fmt, rows, batch_size))) as batches:
        for batch in batches:
            report.rows_read += batch.rows
            for reject in batch.rejects:
                rejects.write(reject)
            good_rows, items = batch.good_rows, batch.items
            problems = fmt.check(driver, database, items)
            refused = {problem.index for problem in problems}
            for problem in problems:
                row = good_rows[problem.index]
                rejects.write(Reject(row.line, problem.field, problem.reason, row.values))
            accepted = [
                (good_rows[index], item) for index, item in enumerate(items) if index not in refused
            ]
            if accepted and not dry_run:
                written = _write_bisecting(fmt, accepted, driver, database, provenance, rejects)
            else:
                written = len(accepted)
            report.rows_loaded += written
            if progress is not None:
                progress.advance(batch.rows)
    report.rows_rejected = report.rows_read - report.rows_loaded
    report.seconds = time.perf_counter() - started
    return report
