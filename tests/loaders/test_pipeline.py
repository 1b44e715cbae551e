"""The loading pipeline end to end on a real Neo4j: rejects, idempotence, dry runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.loaders.helpers import (
    FIXTURES,
    graph_counts,
    load_file,
    load_small_place,
    read_rejects,
    write_csv,
)

PEOPLE_HEADER = ["id", "name", "date_of_birth", "home_area_id", "stage", "skill_ids"]


def test_bad_rows_are_rejected_by_line_and_field_and_good_rows_load(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    people = write_csv(
        tmp_path / "people.csv",
        PEOPLE_HEADER,
        [
            ["p-1", "Good One", "1985-02-03", "E01011331", "engaged", "skill-triage"],
            ["", "Missing Id", "1985-02-03", "E01011331", "engaged", ""],
            ["p-3", "Bad Date", "1985-02-30", "E01011331", "engaged", ""],
            ["p-4", "Good Two", "", "", "placement", "skill-meds;skill-triage"],
        ],
    )
    report = load_file(clean_db, db, "people", people)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 2, 2)
    edges = write_csv(
        tmp_path / "edges.csv",
        ["kind", "from_id", "to_id", "strength"],
        [
            ["KNOWS", "p-1", "p-4", "0.7"],
            ["SUPPORTED_BY", "p-1", "org-nowhere", "0.9"],
            ["SUPPORTED_BY", "p-4", "org-welcome", "0.6"],
        ],
    )
    edge_report = load_file(clean_db, db, "edges", edges)
    assert (edge_report.rows_loaded, edge_report.rows_rejected) == (2, 1)

    assert read_rejects(tmp_path / "people.rejects.csv") == [
        (3, "id", "Field required"),
        (4, "date_of_birth", "Input should be a valid date or datetime, day value is outside "
         "expected range"),
    ]  # fmt: skip
    assert read_rejects(tmp_path / "edges.rejects.csv") == [
        (3, "to_id", "unknown CommunityOrganisation id 'org-nowhere'")
    ]
    nodes, rels = graph_counts(clean_db, db)
    assert nodes["Person"] == 2
    assert nodes["PersonalRecord"] == 2
    assert rels["HAS_SKILL"] == 3
    assert rels["KNOWS"] == 1
    assert rels["SUPPORTED_BY"] == 1
    assert rels["LIVES_IN"] == 1


def test_rejected_rows_never_copy_personal_data(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    people = write_csv(
        tmp_path / "people.csv",
        ["id", "name", "nationality", "stage"],
        [["p-1", "Secret Name", "Secret Nationality", "not-a-stage"]],
    )
    load_file(clean_db, neo4j_settings.database, "people", people)
    text = (tmp_path / "people.rejects.csv").read_text()
    assert "stage" in text
    assert "Secret" not in text


def test_loading_twice_changes_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    people = FIXTURES / "small" / "people.csv"
    shutil.copy(people, tmp_path / "people.csv")
    load_file(clean_db, db, "people", tmp_path / "people.csv")
    first = graph_counts(clean_db, db)
    props_query = (
        "MATCH (p:Person) RETURN p.id AS id, p.stage AS stage, p.languages AS l ORDER BY id"
    )
    first_props, _, _ = clean_db.execute_query(props_query, database_=db)
    load_small_place(clean_db, db)
    load_file(clean_db, db, "people", tmp_path / "people.csv")
    second_props, _, _ = clean_db.execute_query(props_query, database_=db)
    assert graph_counts(clean_db, db) == first
    assert [r.data() for r in second_props] == [r.data() for r in first_props]


def test_dry_run_validates_and_writes_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    areas = write_csv(
        tmp_path / "areas.csv",
        ["id", "name", "kind"],
        [["E08000035", "Leeds", "local_authority"], ["X1", "Nowhere", "planet"]],
    )
    report = load_file(clean_db, neo4j_settings.database, "areas", areas, dry_run=True)
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert graph_counts(clean_db, neo4j_settings.database) == ({}, {})


def test_xlsx_survey_loads_like_csv(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    db = neo4j_settings.database
    load_small_place(clean_db, db)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Date of birth", "IELTS overall", "Stage", "Skill ids"])
    sheet.append(["p-x1", "1990-05-06", 7, "accreditation", "skill-triage"])
    sheet.append(["p-x2", "not a date", 6.5, "engaged", ""])
    book.save(tmp_path / "survey.xlsx")
    report = load_file(clean_db, db, "people", tmp_path / "survey.xlsx")
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert read_rejects(tmp_path / "survey.rejects.csv")[0][:2] == (3, "date_of_birth")
    records, _, _ = clean_db.execute_query(
        "MATCH (p:Person {id: 'p-x1'}) RETURN p.ielts_overall AS ielts, p.stage AS stage",
        database_=db,
    )
    assert records[0].data() == {"ielts": 7.0, "stage": "accreditation"}


def test_cli_exit_codes_and_reject_file(neo4j_settings: Neo4jSettings, clean_db: Driver,
                                        tmp_path: Path) -> None:  # fmt: skip
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
        "COLUMNS": "200",
    }
    areas = write_csv(tmp_path / "areas.csv", ["id", "name", "kind"], [["E1", "One", "ward"]])
    bad = write_csv(tmp_path / "bad.csv", ["id", "name", "kind"], [["E2", "Two", "county"]])

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assetbridge", "load", *args],
            capture_output=True, text=True, env=env, check=False, timeout=120,
        )  # fmt: skip

    ok = run("areas", str(areas))
    assert ok.returncode == 0, ok.stderr
    assert "Load summary" in ok.stdout
    rejected = run("areas", str(bad), "--rejects", str(tmp_path / "out.csv"))
    assert rejected.returncode == 2
    assert read_rejects(tmp_path / "out.csv")[0][:2] == (2, "kind")
    unknown = run("planets", str(areas))
    assert unknown.returncode == 1
    assert "unknown kind 'planets'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = run("areas", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr


def test_geojson_points_load_as_properties(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    import json

    db = neo4j_settings.database
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.5134, 53.8112]},
            "properties": {"id": "prop-1", "name": "Old Library", "kind": "building",
                           "available_for_community": True},
        },
        {"type": "Feature", "geometry": None, "properties": {"id": "prop-2", "name": "No Kind"}},
    ]  # fmt: skip
    path = tmp_path / "properties.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = load_file(clean_db, db, "properties", path)
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert read_rejects(tmp_path / "properties.rejects.csv")[0][:2] == (2, "kind")
    records, _, _ = clean_db.execute_query(
        "MATCH (p:Property {id: 'prop-1'}) "
        "RETURN p.latitude AS lat, p.longitude AS lon, p.available_for_community AS free",
        database_=db,
    )
    assert records[0].data() == {"lat": 53.8112, "lon": -1.5134, "free": True}


def test_edge_list_types_are_exactly_the_loadable_ones() -> None:
    from graph.models.edges import EDGE_ENDPOINTS
    from loaders.formats.edges import EdgeListType

    assert {str(t) for t in EdgeListType} >= {str(rel) for rel, _, _ in EDGE_ENDPOINTS}
