"""A folder of files loaded as one (an HSDS package, an ESCO release): each file
present goes through the shared pipeline, in the order their references need,
as one part of the folder's report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from neo4j import Driver

from graph.models.provenance import Provenance
from graph.services.ingest import Problem
from graph.vocabulary import Label
from loaders.pipeline import Format, LoadReport, Progress, run_format
from loaders.reading import SourceRow, read_table
from loaders.rejects import RejectWriter

__all__ = ["Accepted", "Check", "FolderFile", "folder_report", "load_files"]

Item = TypeVar("Item")
Check = Callable[[Driver, str, Sequence[Item]], list[Problem]]


class Accepted:
    """The ids that earlier files of one folder load accepted, by label.

    A later file may name them; a dry run writes nothing, so without this memory the
    database would know none of them and every later file would be refused.
    """

    def __init__(self) -> None:
        self._ids: dict[Label, set[str]] = defaultdict(set)

    def __getitem__(self, label: Label) -> set[str]:
        """The ids of ``label`` accepted so far (the set itself, which grows)."""
        return self._ids[label]

    def remembering(
        self, check: Check[Item], label: Label, key: Callable[[Item], str]
    ) -> Check[Item]:
        """``check``, also noting the id of every item it passes as accepted."""

        def remember(driver: Driver, database: str, items: Sequence[Item]) -> list[Problem]:
            problems = check(driver, database, items)
            refused = {problem.index for problem in problems}
            self._ids[label].update(key(item) for n, item in enumerate(items) if n not in refused)
            return problems

        return remember


@dataclass(frozen=True)
class FolderFile:
    name: str
    fmt: Format[Any, Any]
    # Rows passed over unvalidated and counted in rows_skipped, neither loaded nor wrong.
    skip: Callable[[SourceRow], bool] | None = None


def load_files(
    path: Path,
    files: Iterable[FolderFile],
    *,
    driver: Driver,
    database: str,
    provenance: Provenance,
    rejects: RejectWriter,
    batch_size: int,
    dry_run: bool,
    progress: Progress | None,
) -> list[LoadReport]:
    """A report for each of ``files`` present in ``path``, loaded in the order given;
    rejects name the file they came from."""
    parts = []
    folder_source = rejects.source
    try:
        for file in files:
            if not (path / file.name).is_file():
                continue
            rejects.source = file.name
            skipped = _Count()
            rows = read_table(path / file.name)
            done = run_format(
                file.fmt,
                _passing(rows, file.skip, skipped) if file.skip is not None else rows,
                driver=driver,
                database=database,
                provenance=provenance,
                rejects=rejects,
                batch_size=batch_size,
                dry_run=dry_run,
                progress=progress,
            )
            parts.append(
                replace(
                    done,
                    source=file.name,
                    rows_read=done.rows_read + skipped.n,
                    rows_skipped=skipped.n,
                )
            )
    finally:
        rejects.source = folder_source
    return parts


def folder_report(
    kind: str, source: str, parts: list[LoadReport], *, rejects: RejectWriter, dry_run: bool
) -> LoadReport:
    """The folder's report: its parts, and their sums."""
    return LoadReport(
        kind,
        source,
        rows_read=sum(p.rows_read for p in parts),
        rows_loaded=sum(p.rows_loaded for p in parts),
        rows_rejected=sum(p.rows_rejected for p in parts),
        rows_skipped=sum(p.rows_skipped for p in parts),
        seconds=sum(p.seconds for p in parts),
        rejects_path=rejects.path,
        dry_run=dry_run,
        parts=list(parts),
    )


class _Count:
    def __init__(self) -> None:
        self.n = 0


def _passing(
    rows: Iterable[SourceRow], skip: Callable[[SourceRow], bool], skipped: _Count
) -> Iterator[SourceRow]:
    for row in rows:
        if skip(row):
            skipped.n += 1
            continue
        yield row
