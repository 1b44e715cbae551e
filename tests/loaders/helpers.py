"""Small factories for loader tests: write CSV files and read the graph back."""

from __future__ import annotations

import csv
from pathlib import Path

from neo4j import Driver

from graph.services.ingest import count_nodes_by_label, count_relationships_by_type
from loaders.pipeline import LoadReport
from loaders.registry import load

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_rejects(path: Path) -> list[tuple[int, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(int(r["line"]), r["field"], r["reason"]) for r in csv.DictReader(handle)]


def load_file(
    driver: Driver, database: str, kind: str, path: Path, **options: object
) -> LoadReport:
    return load(kind, path, driver=driver, database=database, **options)  # type: ignore[arg-type]


def graph_counts(driver: Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    nodes = count_nodes_by_label(driver, database)
    # Bookkeeping, not the place: migrations, the audit log, API keys; and the Place node
    # every load writes into (tests/graph/test_places.py).
    for label in ("SchemaMigration", "AuditEvent", "AuditChainHead", "Change", "IdempotencyKey",
                  "ApiKey", "Place"):  # fmt: skip
        nodes.pop(label, None)
    return nodes, count_relationships_by_type(driver, database)


def load_small_place(driver: Driver, database: str) -> None:
    """Areas, organisations and skills of tests/fixtures/small, which people refer to."""
    for kind in ("areas", "organisations", "skills"):
        report = load_file(driver, database, kind, FIXTURES / "small" / f"{kind}.csv")
        assert report.rows_rejected == 0
