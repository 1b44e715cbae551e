"""A small place, loaded through the real loaders from CSV files, and a way to
run GraphQL against it without HTTP."""

from __future__ import annotations

import asyncio
import csv
from functools import cache
from pathlib import Path
from typing import Any

import strawberry
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings, get_place_settings
from graph.vocabulary import PLACED_LABELS
from loaders.registry import load
from schema import GraphContext, build_schema
from schema.limits import GraphQLSettings

# (kind, header, rows), in load order: a row may name only what came before.
PLACE: list[tuple[str, list[str], list[list[object]]]] = [
    (
        "areas",
        ["id", "name", "kind", "parent_id"],
        [
            ["E08000035", "Leeds", "local_authority", ""],
            ["E05011400", "Gipton and Harehills", "ward", "E08000035"],
            ["E05011401", "Burmantofts and Richmond Hill", "ward", "E08000035"],
            ["E01011331", "Leeds 036A", "lsoa", "E05011400"],
            ["E01011332", "Leeds 036B", "lsoa", "E05011400"],
        ],
    ),
    (
        "skills",
        ["id", "preferred_label", "alt_labels", "skill_type"],
        [
            ["skill-care", "patient care", "", "skill/competence"],
            ["skill-triage", "triage patients", "patient triage;triaging", "skill/competence"],
            ["skill-meds", "administer medication", "", "skill/competence"],
            ["skill-english", "English", "", "language"],
        ],
    ),
    (
        "occupations",
        ["id", "preferred_label", "regulated", "regulator"],
        [
            ["occ-nurse", "nurse", "true", "Nursing and Midwifery Council"],
            ["occ-hca", "healthcare assistant", "false", ""],
        ],
    ),
    (
        "qualifications",
        ["id", "title", "awarding_country", "occupation_id", "recognition"],
        [["q-bsc-nursing", "BSc Nursing", "Syria", "occ-nurse", "partial"]],
    ),
    (
        "organisations",
        ["id", "name", "org_type", "founded_year", "website", "area_id"],
        [
            ["org-welcome", "Refugee Welcome", "frontline", "2007", "", "E05011400"],
            ["org-english", "English for Work", "intermediary", "2012", "", "E01011331"],
            ["org-church", "St Aidan's Welcome", "faith_group", "1999", "", "E01011332"],
        ],
    ),
    (
        "services",
        ["id", "name", "service_type", "organisation_id"],
        [
            ["svc-ielts", "IELTS preparation", "ielts_tuition", "org-english"],
            ["svc-casework", "Casework", "casework", "org-welcome"],
        ],
    ),
    (
        "anchors",
        ["id", "name", "sector", "employees", "area_id"],
        [
            ["anchor-lth", "Leeds Teaching Hospitals", "health", "20000", "E08000035"],
            ["anchor-council", "Leeds City Council", "council", "14000", "E08000035"],
        ],
    ),
    (
        "departments",
        ["id", "name", "kind", "anchor_id", "area_id"],
        [["dept-hub", "Learning Works", "employment_hub", "anchor-lth", "E05011400"]],
    ),
    (
        "vacancies",
        [
            "id",
            "title",
            "anchor_id",
            "occupation_id",
            "essential_skill_ids",
            "optional_skill_ids",
            "min_ielts",
            "shortage",
            "status",
            "closes",
            "area_id",
        ],
        [
            [
                "vac-nurse",
                "Staff nurse",
                "anchor-lth",
                "occ-nurse",
                "skill-triage;skill-meds",
                "skill-english",
                "7.0",
                "true",
                "open",
                "2025-03-31",
                "E01011331",
            ],
            [
                "vac-hca",
                "Healthcare assistant",
                "anchor-lth",
                "occ-hca",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    ),
    (
        "properties",
        ["id", "name", "kind", "owner_id", "available_for_community", "size_sqm", "area_id"],
        [
            ["prop-hall", "Church hall", "building", "org-church", "true", "240", "E01011332"],
            ["prop-land", "Hospital land", "land", "anchor-lth", "false", "", "E08000035"],
        ],
    ),
    (
        "people",
        [
            "id",
            "name",
            "email",
            "date_of_birth",
            "nationality",
            "immigration_status",
            "address",
            "home_area_id",
            "right_to_work",
            "trained_as",
            "languages",
            "ielts_overall",
            "ielts_reading",
            "stage",
            "stage_history",
            "consent_given_at",
            "consent_withdrawn_at",
            "skill_ids",
            "organisation_ids",
        ],
        [
            [
                "p-1",
                "Amina Y",
                "amina@example.org",
                "1988-04-02",
                "Syrian",
                "refugee",
                "1 Secret Street",
                "E01011331",
                "yes",
                "occ-nurse",
                "ar:C2;en:B2",
                "6.5",
                "7.0",
                "language_training",
                "engaged@2023-01-10;language_training@2023-06-01",
                "2023-01-10T10:00:00",
                "",
                "skill-triage",
                "org-welcome",
            ],
            [
                "p-2",
                "Bogdan K",
                "",
                "",
                "Ukrainian",
                "",
                "",
                "E01011332",
                "yes",
                "occ-hca",
                "uk:C2",
                "",
                "",
                "engaged",
                "",
                "2024-02-01T09:00:00",
                "",
                "",
                "org-church",
            ],
            # Never consented: may be counted, never shown.
            [
                "p-3",
                "Hidden Never",
                "",
                "",
                "",
                "",
                "",
                "E01011331",
                "",
                "occ-nurse",
                "",
                "",
                "",
                "engaged",
                "",
                "",
                "",
                "skill-triage",
                "org-welcome",
            ],
            # Consented, then withdrew.
            [
                "p-4",
                "Hidden Withdrawn",
                "",
                "",
                "",
                "",
                "",
                "E01011331",
                "",
                "occ-nurse",
                "",
                "8.0",
                "",
                "engaged",
                "",
                "2023-03-01T09:00:00",
                "2024-01-01T09:00:00",
                "skill-triage",
                "org-welcome",
            ],
        ],
    ),
    (
        "edges",
        ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "count"],
        [
            ["SUPPORTED_BY", "p-1", "org-welcome", "", "", "0.9", "2023-01-10", ""],
            ["SUPPORTED_BY", "p-1", "org-english", "", "", "0.6", "", ""],
            ["REFERS_TO", "org-welcome", "org-english", "", "", "0.8", "2019-05-01", "12"],
            ["REFERS_TO", "org-welcome", "dept-hub", "", "department", "0.7", "", "30"],
            ["PARTNERS_WITH", "org-english", "anchor-lth", "", "anchor", "0.5", "", ""],
            ["PARTNERS_WITH", "org-church", "org-welcome", "", "", "", "", ""],
        ],
    ),
]

# Links that no table format writes: the skill hierarchy and occupations' skills.
TAXONOMY_LINKS = """
MATCH (care:Skill {id: 'skill-care'}), (triage:Skill {id: 'skill-triage'}),
      (meds:Skill {id: 'skill-meds'}), (nurse:Occupation {id: 'occ-nurse'})
CREATE (triage)-[:BROADER]->(care),
       (meds)-[:BROADER]->(care),
       (nurse)-[:REQUIRES {essential: true}]->(triage),
       (nurse)-[:REQUIRES {essential: false}]->(meds)
"""


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# Tests that write a graph by hand write it in no place; tokens name the default place
# unless told otherwise, so such a graph goes there, as loads and migration 0010 put it.
INTO_DEFAULT_PLACE = """
MATCH (n)
WHERE n.place_ids IS NULL
  AND any(label IN labels(n) WHERE label IN $labels)
SET n.place_ids = [$place_id]
"""


def into_default_place(driver: Driver, database: str) -> None:
    """Every node of a placed label that is in no place joins the default place."""
    driver.execute_query(
        INTO_DEFAULT_PLACE,
        labels=[label.value for label in PLACED_LABELS],
        place_id=get_place_settings().default_place_id,
        database_=database,
    )


def load_tables(
    driver: Driver,
    database: str,
    folder: Path,
    tables: list[tuple[str, list[str], list[list[object]]]],
    place: str | None = None,
) -> None:
    """Each table loaded through its loader, in order; with ``place``, as ``--place``."""
    for index, (kind, header, rows) in enumerate(tables):
        path = write_csv(folder / f"{place or ''}{index:02d}-{kind}.csv", header, rows)
        report = load(kind, path, driver=driver, database=database, place=place)
        assert report.rows_rejected == 0, (place, kind, report)


def load_places(
    driver: Driver,
    database: str,
    folder: Path,
    places: dict[str, list[tuple[str, list[str], list[list[object]]]]],
) -> None:
    """The nurse occupation, then each place's tables loaded with ``--place`` as it."""
    occupations = write_csv(folder / "occupations.csv", ["id", "preferred_label"],
                            [["occ-nurse", "nurse"]])  # fmt: skip
    assert load("occupations", occupations, driver=driver, database=database).rows_rejected == 0
    for place, tables in places.items():
        load_tables(driver, database, folder, tables, place=place)


def load_place(driver: Driver, database: str, folder: Path) -> None:
    load_tables(driver, database, folder, PLACE)
    driver.execute_query(TAXONOMY_LINKS, database_=database)


ADMIN = Caller(subject="test-admin", role=Role.ADMIN)


@cache
def _schema() -> strawberry.Schema:
    # These queries test batching and field coverage, not the request limits
    # (tests/schema/test_hardening.py does), so the cost budget is lifted.
    return build_schema(GraphQLSettings(max_cost=10_000_000))


def run(
    driver: Driver,
    settings: Neo4jSettings,
    query: str,
    variables: dict[str, Any] | None = None,
    caller: Caller | None = ADMIN,
    kept_answers: KeptAnswers | None = None,
    candidate_index: CandidateIndexHolder | None = None,
) -> dict[str, Any]:
    """Execute ``query`` as the API would (as ``caller``, an administrator unless
    said otherwise; with ``kept_answers`` or ``candidate_index``, as a process keeping
    them), and return the response's JSON shape."""
    schema = _schema()

    async def execute() -> dict[str, Any]:
        context = GraphContext(driver, settings, caller=caller, kept_answers=kept_answers,
                               candidate_index=candidate_index)  # fmt: skip
        result = await schema.execute(query, variable_values=variables, context_value=context)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body

    return asyncio.run(execute())
