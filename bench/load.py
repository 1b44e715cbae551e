"""Loading the generated place through the real loaders, against a bare-driver baseline.

The baseline runs the very same UNWIND ... MERGE statements (graph/services/ingest)
with the same constraints and batch size, on rows parsed beforehand and outside
the clock: no reading, no validation, no reference checks, no progress display.
The loaders' figure includes all of those. Each side gets a fresh, empty store.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, fresh_database, stop_server, table, write_section
from graph.models.provenance import Provenance
from graph.services.ingest import count_relationships_by_type
from loaders.demo import DEMO_KINDS, generate_demo, load_demo_folder
from loaders.pipeline import Format
from loaders.reading import read_table
from loaders.registry import TABLE_FORMATS

BATCH = 2000


def _parsed(folder: Path) -> list[tuple[Format[Any, Any], list[Any]]]:
    parsed = []
    for kind in DEMO_KINDS:
        fmt = TABLE_FORMATS[kind]
        items = [
            fmt.convert(
                fmt.row_model.model_validate({k: v for k, v in row.values.items() if v is not None})
            )
            for row in read_table(folder / f"{kind}.csv")
        ]
        parsed.append((fmt, items))
    return parsed


def _baseline(folder: Path) -> tuple[int, float, int]:
    parsed = _parsed(folder)
    rows = sum(len(items) for _, items in parsed)
    provenance = Provenance(source="bench-baseline", loader_version="bench")
    with fresh_database() as (driver, settings):
        started = time.perf_counter()
        for fmt, items in parsed:
            for start in range(0, len(items), BATCH):
                fmt.write(driver, settings.database, items[start : start + BATCH], provenance)
        seconds = time.perf_counter() - started
        relationships = sum(count_relationships_by_type(driver, settings.database).values())
    return rows, seconds, relationships


def _loaders(folder: Path) -> tuple[int, float, int, int]:
    with fresh_database() as (driver, settings):
        started = time.perf_counter()
        reports = load_demo_folder(
            folder, driver=driver, database=settings.database, batch_size=BATCH
        )
        seconds = time.perf_counter() - started
        relationships = sum(count_relationships_by_type(driver, settings.database).values())
    loaded = sum(r.rows_loaded for r in reports)
    rejected = sum(r.rows_rejected for r in reports)
    return loaded, seconds, relationships, rejected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = ROOT / "var" / "bench" / f"place-{args.people}-{args.seed}"
    if not (folder / "edges.csv").exists():
        started = time.perf_counter()
        generate_demo(folder, people=args.people, seed=args.seed)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s")  # noqa: T201
    try:
        base_rows, base_s, base_rels = _baseline(folder)
        rows, load_s, rels, rejected = _loaders(folder)
    finally:
        stop_server()
    base_rate, load_rate = base_rows / base_s, rows / load_s
    ratio = load_rate / base_rate
    body = table(
        ["run", "rows", "relationships", "seconds", "rows/s"],
        [
            [
                "bare driver (same MERGE statements)",
                f"{base_rows:,}",
                f"{base_rels:,}",
                f"{base_s:.1f}",
                f"{base_rate:,.0f}",
            ],
            ["assetbridge loaders", f"{rows:,}", f"{rels:,}", f"{load_s:.1f}", f"{load_rate:,.0f}"],
        ],
    ) + (
        f"\n\nLoaders / baseline throughput: **{ratio:.2f}** (target at least 0.6). "
        f"Whole place loaded by the loaders in **{load_s:.0f} s** (target under 180 s); "
        f"{rejected} rows rejected. {args.people:,} people, seed {args.seed}, batches of {BATCH}."
    )
    write_section(f"Loading the {args.people:,}-person place", body)
    print(body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
