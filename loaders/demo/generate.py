"""Write the demo place as loader input files: one CSV a format, streamed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from random import Random

from loaders.demo.anchors import (
    anchor_rows,
    department_rows,
    property_rows,
    property_use_edges,
    service_delivery_edges,
)
from loaders.demo.csvout import DemoFiles
from loaders.demo.geography import build_geography
from loaders.demo.organisations import build_organisations
from loaders.demo.people import PeopleGenerator
from loaders.demo.taxonomy import occupation_rows, qualification_rows, skill_rows
from loaders.demo.workforce import build_workforce

__all__ = ["DEFAULT_PEOPLE", "DEFAULT_SEED", "DEMO_PEOPLE", "GenerationReport", "generate_demo"]

# The reference place: what the tests load and docs/model.md counts, person by person.
DEFAULT_PEOPLE = 300
DEFAULT_SEED = 2007
# The demo a newcomer sees (`make demo`, and `assetbridge demo load|generate` without
# --people): at 300 people nearly every count a place leader's page shows is a small cell
# and hidden; at this size the brokerage candidates, the critical brokers and the funnel
# clear the threshold (tests/loaders/test_demo_place_leader.py).
DEMO_PEOPLE = 6000


@dataclass(frozen=True)
class GenerationReport:
    folder: Path
    people: int
    seed: int
    rows: dict[str, int]
    seconds: float
    # People whose only organisations sit in the brokerage gap.
    gap_people: int


def _stream(seed: int, concern: str) -> Random:
    # One stream a concern, so the people cannot shift the organisations' draws
    # (or the reverse) and a larger place keeps the smaller one's organisations.
    return Random(f"assetbridge-demo/{seed}/{concern}")


def generate_demo(
    out: Path, *, people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED
) -> GenerationReport:
    """Write ``<kind>.csv`` for every demo kind into ``out``; same arguments, same bytes.

    Everything is drawn from ``random.Random`` instances seeded from ``seed``;
    the global random state is never touched.
    """
    if people < 1:
        raise ValueError("the demo place needs at least one person")
    started = time.perf_counter()
    geo = build_geography(people)
    orgs = build_organisations(geo, people, _stream(seed, "organisations"))
    workforce = build_workforce(geo, people, _stream(seed, "workforce"))
    generator = PeopleGenerator(
        geo, workforce, orgs.supporters, _stream(seed, "people"), _stream(seed, "ready")
    )
    with DemoFiles(out) as files:
        files["areas"].write_all(geo.rows)
        files["skills"].write_all(skill_rows())
        files["occupations"].write_all(occupation_rows())
        files["qualifications"].write_all(qualification_rows())
        files["organisations"].write_all(orgs.rows)
        files["services"].write_all(orgs.services)
        files["anchors"].write_all(anchor_rows(geo))
        files["departments"].write_all(department_rows(geo))
        files["vacancies"].write_all(workforce.rows)
        files["properties"].write_all(property_rows(geo, people))
        edges = files["edges"]
        edges.write_all(orgs.edges)
        uses = property_use_edges(people, list(orgs.extra_ids))
        edges.write_all(uses)
        edges.write_all(service_delivery_edges(uses, orgs.first_services()))
        survey = files["people"]
        for index in range(people):
            row, person_edges = generator.person(index)
            survey.write(row)
            edges.write_all(person_edges)
        rows = files.row_counts()
    return GenerationReport(
        folder=out,
        people=people,
        seed=seed,
        rows=rows,
        seconds=time.perf_counter() - started,
        gap_people=generator.pocket_count,
    )
