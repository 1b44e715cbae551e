"""Load a folder of demo files through the real loaders, and count what the graph holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from graph.access import Caller
from graph.models.provenance import LIBRARY_LOADER
from graph.services.ingest import count_nodes_by_label, count_relationships_by_type
from graph.vocabulary import ENTITY_LABELS, RelType
from loaders.demo.csvout import DEMO_KINDS
from loaders.demo.history import HISTORY_FILE
from loaders.pipeline import LoadReport, Progress
from loaders.registry import load

__all__ = ["GraphCounts", "graph_counts", "load_demo_folder"]


def load_demo_folder(
    folder: Path,
    *,
    driver: Driver,
    database: str,
    batch_size: int = 2000,
    progress: Callable[[str], Progress | None] | None = None,
    loaded_by: Caller = LIBRARY_LOADER,
    place: str | None = None,
    place_name: str | None = None,
) -> list[LoadReport]:
    """Load ``<kind>.csv`` of every demo kind in dependency order; one report a file.

    Then ``history.csv`` (ties that ended, in the edges format) when the folder has one:
    its rows name the organisations and hub the other files make. Everything joins
    ``place`` (the default place when None). ``progress``, given a kind, returns where
    that file's loader reports progress. Rejected rows go to ``<kind>.rejects.csv``
    beside the file, as for any load.
    """
    missing = [kind for kind in DEMO_KINDS if not (folder / f"{kind}.csv").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(f'{k}.csv' for k in missing)}")
    files = [(kind, f"{kind}.csv") for kind in DEMO_KINDS]
    if (folder / HISTORY_FILE).is_file():
        files.append(("edges", HISTORY_FILE))
    return [
        load(
            kind,
            folder / name,
            driver=driver,
            database=database,
            batch_size=batch_size,
            progress=progress(kind) if progress else None,
            source=f"demo/{name}" if place is None else f"demo/{place}/{name}",
            loaded_by=loaded_by,
            place=place,
            place_name=place_name,
        )
        for kind, name in files
    ]


@dataclass(frozen=True)
class GraphCounts:
    """Nodes per entity label and relationships per type, zero counts left out.

    Bookkeeping nodes (schema migrations, load runs) are not part of the place
    and are not counted.
    """

    labels: dict[str, int]
    relationships: dict[str, int]


def graph_counts(driver: Driver, database: str) -> GraphCounts:
    nodes = count_nodes_by_label(driver, database)
    relationships = count_relationships_by_type(driver, database)
    return GraphCounts(
        labels={str(label): nodes[label] for label in ENTITY_LABELS if nodes.get(label)},
        relationships={
            str(rel): relationships[rel] for rel in sorted(RelType) if relationships.get(rel)
        },
    )
