"""The demo as `assetbridge demo load` makes it: two places in two cities, with history.

The first is the neighbourhood every figure of the case study is read from, in the default
place; the second is the same generator's place at a fifth of the size with another seed,
moved to another city (``relocate``). One regional programme works in both and is one node
in both places. Each place has five years of ties that ended (``history``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from graph.access import Caller
from graph.models.provenance import LIBRARY_LOADER
from loaders.demo.generate import GenerationReport, generate_demo
from loaders.demo.history import write_history
from loaders.demo.loading import load_demo_folder
from loaders.demo.relocate import relocate_place
from loaders.pipeline import LoadReport, Progress

__all__ = [
    "SECOND_PLACE",
    "SHARED_IDS",
    "DemoPlace",
    "PlaceFiles",
    "generate_places",
    "load_places",
]


@dataclass(frozen=True)
class DemoPlace:
    id: str
    name: str
    # Put before every id of the place's own nodes, so they never meet the first place's.
    prefix: str


SECOND_PLACE = DemoPlace(id="calderford", name="Calderford", prefix="cal-")
FIRST_CITY = "Riverbridge"
# A regional programme that works in both cities: one node, in both places.
SHARED_IDS = ("org-healthcare-pathways",)


@dataclass(frozen=True)
class PlaceFiles:
    place_id: str
    place_name: str | None  # None: the default place keeps the name it has
    report: GenerationReport
    history_rows: int


def generate_places(
    out: Path,
    *,
    people: int,
    seed: int,
    first_place_id: str,
    second: bool = True,
    history: bool = True,
) -> tuple[PlaceFiles, ...]:
    """Write each place's files into ``out/<place id>/``: the neighbourhood, and unless
    ``second`` is false Calderford, with a fifth of the people (at least 300) and seed
    ``seed + 1``; each with its history unless ``history`` is false. Same arguments,
    same bytes."""
    first = generate_demo(out / first_place_id, people=people, seed=seed)
    places = [PlaceFiles(first_place_id, None, first, _history(first, history))]
    if second:
        report = generate_demo(out / SECOND_PLACE.id, people=max(300, people // 5), seed=seed + 1)
        rows = _history(report, history)
        relocate_place(
            report.folder,
            prefix=SECOND_PLACE.prefix,
            city=SECOND_PLACE.name,
            was=FIRST_CITY,
            shared=SHARED_IDS,
        )
        places.append(PlaceFiles(SECOND_PLACE.id, SECOND_PLACE.name, report, rows))
    return tuple(places)


def _history(report: GenerationReport, wanted: bool) -> int:
    return write_history(report.folder, report.seed) if wanted else 0


def load_places(
    places: tuple[PlaceFiles, ...],
    *,
    driver: Driver,
    database: str,
    batch_size: int = 2000,
    progress: Callable[[str], Progress | None] | None = None,
    loaded_by: Caller = LIBRARY_LOADER,
) -> list[LoadReport]:
    """Load each place's folder into its place, in order (the first place first: the
    shared node's row is the first place's, so loading it again changes nothing of it)."""
    return [
        report
        for place in places
        for report in load_demo_folder(
            place.report.folder,
            driver=driver,
            database=database,
            batch_size=batch_size,
            progress=progress,
            loaded_by=loaded_by,
            place=place.place_id,
            place_name=place.place_name,
        )
    ]
