"""The demo place: deterministic files that load cleanly, with the counts the docs state."""

from __future__ import annotations

import csv
import doctest
import re
from collections import Counter
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.settings import Neo4jSettings
from loaders.demo import (
    DEMO_KINDS,
    GenerationReport,
    generate_demo,
    graph_counts,
    load_demo_folder,
    readiness,
)
from loaders.demo.taxonomy import OCCUPATIONS, skill_rows
from loaders.pipeline import LoadReport
from loaders.registry import TABLE_FORMATS
from tests.conftest import CLEAR_GRAPH

MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"

DEFAULT_ROWS = {
    "areas": 17,
    "skills": 39,
    "occupations": 8,
    "qualifications": 32,
    "organisations": 50,
    "services": 65,
    "anchors": 5,
    "departments": 8,
    "vacancies": 27,
    "properties": 9,
    "people": 300,
    "edges": 1580,
}

# Connected within six hops, either way along a tie: word of mouth and referral
# routes both carry people in both directions.
HUB_REACH = """
MATCH (hub:Department {kind: 'employment_hub'})
MATCH (p:Person)
OPTIONAL MATCH route = shortestPath((p)-[:SUPPORTED_BY|REFERS_TO|KNOWS*..6]-(hub))
RETURN length(route) AS hops, count(*) AS people
ORDER BY hops
"""

PEOPLE_BY_STAGE = """
MATCH (p:Person)
RETURN p.stage AS stage, count(*) AS people
"""

PEOPLE_PROFILE = """
MATCH (p:Person)
RETURN p.right_to_work AS right_to_work,
       p.consent_given_at IS NOT NULL AS consent_given,
       p.consent_withdrawn_at IS NOT NULL AS consent_withdrawn,
       CASE
         WHEN p.ielts_overall IS NULL THEN 'untested'
         WHEN p.ielts_overall >= 7.0 THEN '7.0+'
         WHEN p.ielts_overall >= 5.5 THEN '5.5-6.5'
         ELSE 'below 5.5'
       END AS ielts
"""


def documented_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type from the tables of "The demo place"."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    section = text.split("\n## The demo place", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, int]] = {"label": {}, "relationship type": {}}
    current: dict[str, int] | None = None
    for line in section.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip().strip("`*") for cell in line.strip().strip("|").split("|")]
        if current is None:
            current = tables.get(cells[0].lower())
            continue
        if set(line) <= set("|-: ") or current is None:
            continue
        current[cells[0]] = int(cells[1].replace(",", ""))
    for table in tables.values():
        total = table.pop("total")
        assert total == sum(table.values())
    return tables["label"], tables["relationship type"]


@pytest.fixture(scope="module")
def demo_place(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[GenerationReport, list[LoadReport]]:
    """The default demo place generated and loaded once into an empty graph."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run(CLEAR_GRAPH).consume()
    generated = generate_demo(tmp_path_factory.mktemp("demo"))
    reports = load_demo_folder(generated.folder, driver=driver, database=neo4j_settings.database)
    return generated, reports


def _bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- the files ---------------------------------------------------------------------------


def test_the_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", people=500, seed=11)
    second = generate_demo(tmp_path / "b", people=500, seed=11)
    assert first.rows == second.rows
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_another_seed_gives_other_people_in_the_same_place(tmp_path: Path) -> None:
    generate_demo(tmp_path / "a", seed=1)
    generate_demo(tmp_path / "b", seed=2)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert a["people.csv"] != b["people.csv"]
    assert a["areas.csv"] == b["areas.csv"]
    assert a["skills.csv"] == b["skills.csv"]


def test_the_default_place_has_a_file_of_each_format(tmp_path: Path) -> None:
    report = generate_demo(tmp_path)
    assert report.rows == DEFAULT_ROWS
    assert report.gap_people == 30
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{kind}.csv" for kind in DEMO_KINDS
    )
    for kind in DEMO_KINDS:
        with (tmp_path / f"{kind}.csv").open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == list(TABLE_FORMATS[kind].row_model.model_fields)


def test_a_larger_place_keeps_the_shape(tmp_path: Path) -> None:
    report = generate_demo(tmp_path, people=5000)
    assert report.rows == {
        "areas": 17,
        "skills": 39,
        "occupations": 8,
        "qualifications": 32,
        "organisations": 59,
        "services": 74,
        "anchors": 5,
        "departments": 8,
        "vacancies": 45,
        "properties": 9,
        "people": 5000,
        "edges": 27_318,
    }
    with (tmp_path / "edges.csv").open(encoding="utf-8") as handle:
        kinds = Counter(row["kind"] for row in csv.DictReader(handle))
    assert kinds["KNOWS"] == 12_199
    assert kinds["SUPPORTED_BY"] == 7_317
    assert report.gap_people == 382


def test_the_taxonomy_names_only_skills_it_defines() -> None:
    defined = {str(row["id"]).rsplit("/", 1)[1] for row in skill_rows()}
    used = {slug for spec in OCCUPATIONS.values() for slug in spec.skills}
    assert used <= defined


def test_ielts_bands_round_as_ielts_does() -> None:
    assert doctest.testmod(readiness).failed == 0


def test_generate_command_writes_the_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "generate", "--people", "40", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "40 people, seed 2007" in result.output
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(DEMO_KINDS)


# -- the loaded graph --------------------------------------------------------------------


def test_the_files_load_with_no_rejects(
    demo_place: tuple[GenerationReport, list[LoadReport]],
) -> None:
    generated, reports = demo_place
    assert [(r.kind, r.rows_read, r.rows_loaded, r.rows_rejected) for r in reports] == [
        (kind, rows, rows, 0) for kind, rows in generated.rows.items()
    ]
    assert not list(generated.folder.glob("*.rejects.csv"))


def test_every_readiness_stage_is_present(
    demo_place: tuple[GenerationReport, list[LoadReport]],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
) -> None:
    records, _, _ = driver.execute_query(PEOPLE_BY_STAGE, database_=neo4j_settings.database)
    assert {r["stage"]: r["people"] for r in records} == {
        "engaged": 100,
        "language_training": 98,
        "accreditation": 39,
        "placement": 25,
        "employed": 27,
        "registered": 11,
    }


def test_people_vary_as_the_domain_says(
    demo_place: tuple[GenerationReport, list[LoadReport]],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
) -> None:
    records, _, _ = driver.execute_query(PEOPLE_PROFILE, database_=neo4j_settings.database)
    assert Counter(r["right_to_work"] for r in records) == {True: 238, False: 62}
    assert Counter((r["consent_given"], r["consent_withdrawn"]) for r in records) == {
        (True, False): 254,
        (False, False): 32,
        (True, True): 14,
    }
    assert Counter(r["ielts"] for r in records) == {
        "7.0+": 77,
        "5.5-6.5": 122,
        "below 5.5": 37,
        "untested": 64,
    }


def test_some_people_have_no_route_to_the_hub(
    demo_place: tuple[GenerationReport, list[LoadReport]],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
) -> None:
    generated, _ = demo_place
    records, _, _ = driver.execute_query(HUB_REACH, database_=neo4j_settings.database)
    by_hops = {r["hops"]: r["people"] for r in records}
    assert by_hops == {2: 208, 3: 62, None: 30}
    # Exactly the people whose organisations all sit in the brokerage gap.
    assert by_hops[None] == generated.gap_people


def test_demo_load_gives_the_counts_in_the_model_doc(
    clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: None
) -> None:
    # The reference place alone: `make demo` loads a larger one (test_demo_place_leader.py)
    # and a second place beside it (test_demo_places.py).
    result = CliRunner().invoke(
        app, ["demo", "load", "--people", "300", "--one-place", "--no-history"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"300 people \(seed 2007\); 30 of them", result.output)
    counts = graph_counts(clean_db, neo4j_settings.database)
    labels, relationships = documented_counts()
    assert counts.labels == labels
    assert counts.relationships == relationships
