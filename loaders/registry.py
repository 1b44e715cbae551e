"""Every input format by name, and the entry point that loads a file of one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import Driver
from pydantic import BaseModel

from graph.access import Caller, check_place_ids
from graph.migrations import apply_migrations
from graph.models.provenance import LIBRARY_LOADER, Provenance
from loaders.formats import entities
from loaders.formats.edges import EDGES
from loaders.formats.esco import ESCO_DESCRIPTION, ESCO_ROW_MODELS, load_esco
from loaders.formats.hsds import HSDS_DESCRIPTION, HSDS_ROW_MODELS, load_hsds
from loaders.formats.people import PEOPLE
from loaders.pipeline import Format, LoadReport, Progress, run_format
from loaders.reading import read_table
from loaders.rejects import RejectWriter

__all__ = [
    "DIRECTORY_FORMATS",
    "DIRECTORY_LOADERS",
    "LOADER_VERSION",
    "TABLE_FORMATS",
    "default_rejects_path",
    "load",
]

LOADER_VERSION = "0.1.0"

TABLE_FORMATS: dict[str, Format[Any, Any]] = {
    fmt.kind: fmt
    for fmt in (
        entities.AREAS,
        entities.SKILLS,
        entities.OCCUPATIONS,
        entities.QUALIFICATIONS,
        entities.ORGANISATIONS,
        entities.SERVICES,
        entities.ANCHORS,
        entities.DEPARTMENTS,
        entities.VACANCIES,
        entities.PROPERTIES,
        PEOPLE,
        EDGES,
    )
}

# Formats that are a folder of files (HSDS data packages, the ESCO CSV release).
# Each takes (path, driver, database, provenance, rejects, batch_size, dry_run, progress).
DirectoryLoader = Callable[..., LoadReport]
DIRECTORY_LOADERS: dict[str, DirectoryLoader] = {"esco": load_esco, "hsds": load_hsds}

# For the documentation: each folder format's description and its files' row models.
DIRECTORY_FORMATS: dict[str, tuple[str, dict[str, type[BaseModel]]]] = {
    "esco": (ESCO_DESCRIPTION, ESCO_ROW_MODELS),
    "hsds": (HSDS_DESCRIPTION, HSDS_ROW_MODELS),
}


def default_rejects_path(path: Path) -> Path:
    """Beside the input when that folder is writable (a shared, read-only source
    folder is common), else in the current directory."""
    base = path if path.is_dir() else path.with_suffix("")
    name = f"{base.name}.rejects.csv"
    folder = base.parent
    return folder / name if os.access(folder, os.W_OK) else Path.cwd() / name


def load(
    kind: str,
    path: Path,
    *,
    driver: Driver,
    database: str,
    rejects_path: Path | None = None,
    dry_run: bool = False,
    batch_size: int = 2000,
    progress: Progress | None = None,
    source: str | None = None,
    loaded_by: Caller = LIBRARY_LOADER,
    place: str | None = None,
    place_name: str | None = None,
) -> LoadReport:
    """Load one file (or folder) of the named kind; migrations are applied first.

    Each batch commits with its audit event naming ``loaded_by``. Every person,
    organisation, service, anchor, department, vacancy, property and area written joins
    ``place`` (the default place when left out), named ``place_name`` if given."""
    if kind not in TABLE_FORMATS and kind not in DIRECTORY_LOADERS:
        known = ", ".join(sorted([*TABLE_FORMATS, *DIRECTORY_LOADERS]))
        raise ValueError(f"unknown kind {kind!r}; choose one of: {known}")
    check_place(place, place_name)
    if not dry_run:
        apply_migrations(driver, database)
    provenance = Provenance(
        source=source or path.name, loader_version=LOADER_VERSION, loaded_by=loaded_by,
        **({"place_id": place} if place is not None else {}), place_name=place_name,
    )  # fmt: skip
    with RejectWriter(rejects_path or default_rejects_path(path), provenance.source) as rejects:
        if kind in DIRECTORY_LOADERS:
            return DIRECTORY_LOADERS[kind](
                path,
                driver=driver,
                database=database,
                provenance=provenance,
                rejects=rejects,
                batch_size=batch_size,
                dry_run=dry_run,
                progress=progress,
            )
        return run_format(
            TABLE_FORMATS[kind],
            read_table(path),
            driver=driver,
            database=database,
            provenance=provenance,
            rejects=rejects,
            batch_size=batch_size,
            dry_run=dry_run,
            progress=progress,
        )


def check_place(place: str | None, place_name: str | None) -> None:
    """Refuse a place id or name a load could not write, naming the option."""
    if place is not None:
        check_place_ids([place], "--place")
    if place_name is not None and not 1 <= len(place_name.strip()) <= 200:
        raise ValueError("--place-name: give a name of 1 to 200 characters")
