"""Random and malformed rows into the real loaders, checked in the real graph.

Each example is a whole file of good and bad rows mixed (every bad row with one
defect: a wrong type, a missing or huge value, a duplicate id, an unknown node),
written in UTF-8, UTF-8 with a BOM, or Windows-1252. The properties: nothing
escapes (the CLI exits 0 or 2, never with a traceback), every bad row is in the
reject file under its line and the field at fault, and every good row is in Neo4j.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.crypto import open_key_store
from graph.crypto.records import open_record
from graph.settings import Neo4jSettings
from loaders.reading import SourceError, SourceRow, read_table
from loaders.registry import load
from tests.conftest import CLEAR_GRAPH

# A database write per example is the cost: few examples, each a whole file.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip

REFERENCE_PLACE = """
CREATE (:Area {id: 'E01011331', name: 'Leeds 036A', kind: 'lsoa'}),
       (:Area {id: 'E05011400', name: 'Gipton', kind: 'ward'}),
       (:Skill {id: 'skill-triage', preferred_label: 'triage'}),
       (:Skill {id: 'skill-meds', preferred_label: 'medication'}),
       (:CommunityOrganisation {id: 'org-a', name: 'A'}),
       (:CommunityOrganisation {id: 'org-b', name: 'B'}),
       (:Department {id: 'dept-hub', name: 'Hub', kind: 'employment_hub'}),
       (:AnchorInstitution {id: 'anchor-x', name: 'Trust', sector: 'health'}),
       (:Vacancy {id: 'vac-1', title: 'Nurse', status: 'open'}),
       (:Person {id: 'p-ref-1', stage: 'engaged'}),
       (:Person {id: 'p-ref-2', stage: 'engaged'})
"""
AREAS = ["E01011331", "E05011400"]
SKILLS = ["skill-triage", "skill-meds"]
ORGANISATIONS = ["org-a", "org-b"]

# Windows-1252 files get letters whose bytes can never read as UTF-8 (no byte in
# 0x80-0xBF), so that the reader's choice of encoding is not a guess.
CP1252_TEXT = st.text(alphabet=st.sampled_from("abcXYZ '-,\"\néöñçüÉ"), max_size=40)
UNICODE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from('\n,"\r'),
    max_size=40,
)


@dataclass(frozen=True)
class Row:
    """One row of a generated file: its cells, and the field a bad row is wrong in."""

    cells: dict[str, str]
    fault: str | None = None
    extra_cells: int = 0


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None
    rejects: dict[int, set[str]]
    good_lines: set[int]


def _write(path: Path, header: list[str], rows: list[Row], encoding: str) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.cells.get(name, "") for name in header] + ["x"] * row.extra_cells)
    return path


def _lines(path: Path, encoding: str) -> list[int]:
    """The line each data row starts on (quoted cells may span lines)."""
    with path.open(newline="", encoding=encoding) as handle:
        reader = csv.reader(handle)
        next(reader)
        starts, start = [], reader.line_num + 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
    return starts


def _rejects(path: Path, source: str) -> dict[int, set[str]]:
    if not path.exists():
        return {}
    found: dict[int, set[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for reject in csv.DictReader(handle):
            assert reject["source"] == source
            assert reject["reason"].strip(), reject
            found.setdefault(int(reject["line"]), set()).add(reject["field"])
    return found


def _check_rejects(rows: list[Row], lines: list[int], rejects: dict[int, set[str]]) -> None:
    for row, line in zip(rows, lines, strict=True):
        if row.fault is None or not (row.extra_cells or any(map(_cell, row.cells.values()))):
            # A good row, or one left blank (which the reader passes over).
            assert line not in rejects, (line, row, rejects[line])
        else:
            fields = rejects.get(line, set())
            # A nested field is named by its path, e.g. languages.0.cefr.
            assert any(f == row.fault or f.startswith(f"{row.fault}.") for f in fields), (
                line, row, fields,
            )  # fmt: skip


@pytest.fixture
def reference_graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Callable[[], None]:
    """A function that empties the graph and puts back the nodes rows may refer to."""

    def reset() -> None:
        with driver.session(database=neo4j_settings.database) as session:
            session.run(CLEAR_GRAPH).consume()
            session.run(REFERENCE_PLACE).consume()

    return reset


def _encoding_and_text() -> st.SearchStrategy[tuple[str, st.SearchStrategy[str]]]:
    return st.sampled_from(
        [("utf-8", UNICODE_TEXT), ("utf-8-sig", UNICODE_TEXT), ("cp1252", CP1252_TEXT)]
    )


# -- people: the skills survey, through the CLI ------------------------------------------

PEOPLE_HEADER = ["id", "name", "email", "nationality", "date_of_birth", "home_area_id",
                 "right_to_work", "trained_as", "languages", "ielts_overall", "stage",
                 "consent_given_at", "skill_ids", "organisation_ids"]  # fmt: skip

PEOPLE_FAULTS: dict[str, st.SearchStrategy[str]] = {
    "id": st.sampled_from(["", "   "]) | st.integers(101, 3000).map(lambda n: "i" * n),
    "name": st.integers(201, 5000).map(lambda n: "N" * n),
    "email": st.sampled_from(["not-an-email", "a@b", "two@@example.org", "@example.org"]),
    "date_of_birth": st.sampled_from(["2023-13-45", "yesterday", "31/12/1990", "1990"]),
    "home_area_id": st.sampled_from(["E99999999", "nowhere"]),
    "right_to_work": st.sampled_from(["maybe", "2", "oui"]),
    "trained_as": st.integers(201, 40_000).map(lambda n: "t" * n),
    "languages": st.sampled_from(["english", "en:Z9", "en-B2", "english:B2", ":"]),
    "ielts_overall": st.sampled_from(["abc", "9.5", "6.3", "-1", "nan", "inf", "[7]", "1e400"]),
    "stage": st.sampled_from(["wizard", "employed!", "0"]),
    "consent_given_at": st.sampled_from(["soon", "2024-02-30T10:00:00", "12:00"]),
    "skill_ids": st.sampled_from(["skill-nope", "skill-triage;skill-gone"]),
    "organisation_ids": st.sampled_from(["org-nope", "org-a;org-gone"]),
}


@st.composite
def survey_cells(draw: st.DrawFn, text: st.SearchStrategy[str]) -> dict[str, str]:
    """A good row's cells, with no id yet."""
    languages = draw(st.lists(st.tuples(st.sampled_from(["en", "ar", "uk", "pl", "fas"]),
                                        st.sampled_from(["A1", "B2", "C2"])), max_size=3))  # fmt: skip
    return {
        "name": draw(text),
        "email": draw(st.sampled_from(["", "amina@example.org", "b.k+x@mail.example.co.uk"])),
        "nationality": draw(text),
        "date_of_birth": draw(st.dates(date(1940, 1, 1), date(2006, 1, 1)).map(str) | st.just("")),
        "home_area_id": draw(st.sampled_from(["", *AREAS])),
        "right_to_work": draw(st.sampled_from(["", "yes", "no", "true", "FALSE"])),
        "trained_as": draw(st.sampled_from(["", "occ-nurse", "occ-doctor"])),
        "languages": ";".join(f"{code}:{level}" for code, level in languages),
        "ielts_overall": draw(st.sampled_from(["", "6.5", " 7 ", "9", "0.5", "7.0"])),
        "stage": draw(st.sampled_from(["", "engaged", "language_training", "employed"])),
        "consent_given_at": draw(st.sampled_from(["", "2024-01-10T09:00:00", "2023-05-01"])),
        "skill_ids": ";".join(draw(st.lists(st.sampled_from(SKILLS), unique=True))),
        "organisation_ids": ";".join(draw(st.lists(st.sampled_from(ORGANISATIONS), unique=True))),
    }


@st.composite
def rows_of(
    draw: st.DrawFn,
    cells: st.SearchStrategy[dict[str, str]],
    faults: dict[str, st.SearchStrategy[str]],
    most: int,
) -> list[Row]:
    """Good rows (ids ``r-0``, ``r-1``...) and bad ones, each with one fault: a bad
    value, an id seen before, or more cells than the header has columns."""
    rows: list[Row] = []
    good_ids: list[str] = []
    for number in range(draw(st.integers(1, most))):
        row = {"id": f"r-{number}", **draw(cells)}
        kind = draw(st.sampled_from(["good", "good", "fault", "duplicate", "extra cells"]))
        if kind == "duplicate" and good_ids:
            rows.append(Row({**row, "id": draw(st.sampled_from(good_ids))}, fault="id"))
        elif kind == "extra cells":
            rows.append(Row(row, fault="row", extra_cells=draw(st.integers(1, 3))))
        elif kind == "fault":
            field = draw(st.sampled_from(sorted(faults)))
            rows.append(Row({**row, field: draw(faults[field])}, fault=field))
        else:
            rows.append(Row(row))
            good_ids.append(row["id"])
    return rows


def _file_of_rows(
    data: st.DataObject,
    kind: str,
    header: list[str],
    cells: Callable[[st.SearchStrategy[str]], st.SearchStrategy[dict[str, str]]],
    faults: dict[str, st.SearchStrategy[str]],
    folder: Path,
) -> tuple[Path, str, list[Row]]:
    """A file of generated rows in a drawn encoding: its path, encoding and rows."""
    encoding, text = data.draw(_encoding_and_text())
    rows = data.draw(rows_of(cells(text), faults, most=25))
    try:
        path = _write(folder / f"{kind}.csv", header, rows, encoding)
    except UnicodeEncodeError:
        # A fault's own characters (full-width digits) that Windows-1252 has not.
        encoding = "utf-8"
        path = _write(folder / f"{kind}.csv", header, rows, encoding)
    return path, encoding, rows


def _people_in_graph(driver: Driver, database: str) -> dict[str, dict[str, Any]]:
    records, _, _ = driver.execute_query(
        """
        MATCH (p:Person) WHERE p.id STARTS WITH 'r-'
        OPTIONAL MATCH (p)-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
        RETURN p.id AS id, r.name AS name, r.nationality AS nationality,
               [(p)-[:HAS_SKILL]->(s) | s.id] AS skills,
               [(p)-[:SUPPORTED_BY]->(o) | o.id] AS organisations
        """,
        database_=database,
    )
    people = {record["id"]: record.data() for record in records}
    # Personal values are stored sealed with each person's key: open them to compare.
    keys = open_key_store().keys_for(people)
    for ident, person in people.items():
        opened = open_record(keys.get(ident), ident, person)
        person.update(name=opened.get("name"), nationality=opened.get("nationality"))
    return people


def _cell(value: str) -> str | None:
    # As the reader keeps a cell: NULs dropped, trimmed, blank is absent.
    return value.replace("\x00", "").strip() or None


@PROPERTY
@given(data=st.data(), batch_size=st.integers(1, 7))
def test_survey_files_of_good_and_bad_rows(
    data: st.DataObject,
    batch_size: int,
    reference_graph: Callable[[], None],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    cli_env: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("survey")
    survey, encoding, rows = _file_of_rows(data, "people", PEOPLE_HEADER, survey_cells,
                                           PEOPLE_FAULTS, folder)  # fmt: skip
    rejects_path = folder / "rejects.csv"
    reference_graph()

    result = CliRunner().invoke(
        app,
        ["load", "people", str(survey), "--rejects", str(rejects_path),
         "--batch-size", str(batch_size)],
    )  # fmt: skip

    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    bad = [row for row in rows if row.fault is not None]
    assert result.exit_code == (2 if bad else 0), result.output
    _check_rejects(rows, _lines(survey, encoding), _rejects(rejects_path, survey.name))
    loaded = _people_in_graph(driver, neo4j_settings.database)
    good = {row.cells["id"]: row.cells for row in rows if row.fault is None}
    assert set(loaded) == set(good)
    for ident, cells in good.items():
        person = loaded[ident]
        assert person["name"] == _cell(cells["name"])
        assert person["nationality"] == _cell(cells["nationality"])
        assert sorted(person["skills"]) == sorted(filter(None, cells["skill_ids"].split(";")))
        assert sorted(person["organisations"]) == sorted(
            filter(None, cells["organisation_ids"].split(";"))
        )


# -- edges: referral logs, partnerships, trust ties --------------------------------------

EDGE_HEADER = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "count"]
GOOD_EDGES = [
    ("SUPPORTED_BY", "p-ref-1", "org-a", "", ""),
    ("SUPPORTED_BY", "p-ref-2", "org-b", "", ""),
    ("KNOWS", "p-ref-1", "p-ref-2", "", ""),
    ("REFERS_TO", "org-a", "org-b", "", ""),
    ("REFERS_TO", "org-b", "dept-hub", "", "department"),
    ("PARTNERS_WITH", "org-a", "anchor-x", "", "anchor"),
    ("HAS_SKILL", "p-ref-2", "skill-meds", "", ""),
    ("APPLIED_TO", "p-ref-1", "vac-1", "", ""),
]
EDGE_FAULTS: dict[str, st.SearchStrategy[str]] = {
    "kind": st.sampled_from(["LIKES", "", "refers to"]),
    "from_id": st.sampled_from(["", "p-nobody", "org-gone"]) | st.just("f" * 201),
    "to_id": st.sampled_from(["", "org-nowhere", "vac-none"]),
    "to_kind": st.sampled_from(["planet", "people"]),
    "strength": st.sampled_from(["1.5", "-0.1", "high", "nan"]),
    "since": st.sampled_from(["2019-02-29", "last year"]),
    "count": st.sampled_from(["-1", "two", "1.5"]),
}


@st.composite
def edge_rows(draw: st.DrawFn) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[str, ...]] = set()
    for _ in range(draw(st.integers(1, 20))):
        kind, from_id, to_id, from_kind, to_kind = draw(st.sampled_from(GOOD_EDGES))
        cells = {
            "kind": kind, "from_id": from_id, "to_id": to_id, "from_kind": from_kind,
            "to_kind": to_kind,
            "strength": draw(st.sampled_from(["", "0", "0.25", "1", " 0.9 "])),
            "since": draw(st.sampled_from(["", "2019-05-01"])),
            "count": draw(st.sampled_from(["", "0", "12"])),
        }  # fmt: skip
        fault = draw(st.sampled_from(sorted(EDGE_FAULTS))) if draw(st.booleans()) else None
        if fault is not None:
            cells[fault] = draw(EDGE_FAULTS[fault])
        # A row that reads well claims its key even when it names an unknown node: the
        # same edge again is a duplicate, whatever became of the first.
        reads_well = fault is None or (
            fault in ("from_id", "to_id") and 0 < len(cells[fault]) <= 200
        )
        key = (cells["kind"], cells["from_id"], cells["to_id"])
        if reads_well and key in seen:
            fault = "id"
        elif reads_well:
            seen.add(key)
        rows.append(Row(cells, fault=fault))
    return rows


@PROPERTY
@given(rows=edge_rows(), batch_size=st.integers(1, 7))
def test_edge_lists_of_good_and_bad_rows(
    rows: list[Row],
    batch_size: int,
    reference_graph: Callable[[], None],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("edges")
    edges = _write(folder / "edges.csv", EDGE_HEADER, rows, "utf-8")
    reference_graph()

    report = load("edges", edges, driver=driver, database=neo4j_settings.database,
                  rejects_path=folder / "rejects.csv", batch_size=batch_size)  # fmt: skip

    good = [row.cells for row in rows if row.fault is None]
    assert (report.rows_loaded, report.rows_rejected) == (len(good), len(rows) - len(good))
    _check_rejects(rows, _lines(edges, "utf-8"), _rejects(folder / "rejects.csv", edges.name))
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS kind, a.id AS from_id, b.id AS to_id, "
        "r.strength AS strength, r.count AS count",
        database_=neo4j_settings.database,
    )
    in_graph = sorted((r["kind"], r["from_id"], r["to_id"], r["strength"], r["count"])
                      for r in records)  # fmt: skip
    expected = sorted(
        (cells["kind"], cells["from_id"], cells["to_id"],
         float(cells["strength"]) if cells["strength"].strip() else None,
         int(cells["count"]) if cells["count"] else None)
        for cells in good
    )  # fmt: skip
    assert in_graph == expected


# -- organisations: an entity file -------------------------------------------------------

ORGANISATION_HEADER = ["id", "name", "org_type", "founded_year", "website", "area_id"]
ORGANISATION_FAULTS: dict[str, st.SearchStrategy[str]] = {
    "id": st.just("") | st.integers(201, 2000).map(lambda n: "o" * n),
    "name": st.just("  ") | st.integers(301, 5000).map(lambda n: "n" * n),
    "org_type": st.sampled_from(["church", "FRONTLINE!", "1"]),
    "founded_year": st.sampled_from(["nineteen", "1700", "1999.5", "１９９９", "3000"]),
    "website": st.integers(501, 3000).map(lambda n: "w" * n),
    "area_id": st.sampled_from(["E00000000", "atlantis"]),
}


@st.composite
def organisation_cells(draw: st.DrawFn, text: st.SearchStrategy[str]) -> dict[str, str]:
    """A good row's cells, with no id yet."""
    return {
        "name": draw(text.filter(lambda name: _cell(name) is not None)),
        "org_type": draw(st.sampled_from(["", "frontline", "faith_group", "job_club"])),
        "founded_year": draw(st.integers(1800, 2100).map(str) | st.just("")),
        "website": draw(st.sampled_from(["", "https://example.org/welcome"])),
        "area_id": draw(st.sampled_from(["", *AREAS])),
    }


@PROPERTY
@given(data=st.data(), batch_size=st.integers(1, 7))
def test_organisation_files_of_good_and_bad_rows(
    data: st.DataObject,
    batch_size: int,
    reference_graph: Callable[[], None],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("organisations")
    path, encoding, rows = _file_of_rows(data, "organisations", ORGANISATION_HEADER,
                                         organisation_cells, ORGANISATION_FAULTS, folder)  # fmt: skip
    reference_graph()

    report = load("organisations", path, driver=driver, database=neo4j_settings.database,
                  rejects_path=folder / "rejects.csv", batch_size=batch_size)  # fmt: skip

    good = {row.cells["id"]: row.cells for row in rows if row.fault is None}
    assert report.rows_loaded == len(good)
    _check_rejects(rows, _lines(path, encoding), _rejects(folder / "rejects.csv", path.name))
    records, _, _ = driver.execute_query(
        "MATCH (o:CommunityOrganisation) WHERE o.id STARTS WITH 'r-' "
        "RETURN o.id AS id, o.name AS name, o.founded_year AS year, "
        "[(o)-[:LOCATED_IN]->(a) | a.id] AS areas",
        database_=neo4j_settings.database,
    )
    in_graph = {r["id"]: (r["name"], r["year"], r["areas"]) for r in records}
    assert in_graph == {
        ident: (_cell(cells["name"]), int(cells["founded_year"]) if cells["founded_year"] else None,
                [cells["area_id"]] if cells["area_id"] else [])
        for ident, cells in good.items()
    }  # fmt: skip


# -- any bytes at all ----------------------------------------------------------------------


def _read(path: Path) -> list[SourceRow] | SourceError:
    """The file's rows, or the error that names why it cannot be read (nothing else)."""
    try:
        return list(read_table(path))
    except SourceError as error:
        return error


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=400) | st.text(max_size=200).map(str.encode),
       suffix=st.sampled_from([".csv", ".geojson", ".xlsx"]))  # fmt: skip
def test_any_bytes_read_as_rows_or_a_named_file_error(
    raw: bytes, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(raw)
    outcome = _read(path)
    if isinstance(outcome, SourceError):
        assert str(outcome).startswith(f"{path}: ")
    else:
        assert all(row.line >= 1 for row in outcome)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["type", "properties", "coordinates", "id"]), inner,
                      max_size=3),
    max_leaves=12,
)  # fmt: skip
FEATURES = JSON_VALUES | st.fixed_dictionaries(
    {},
    optional={
        "type": st.just("Feature"),
        "properties": JSON_VALUES | st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4),
        "geometry": JSON_VALUES
        | st.fixed_dictionaries({"type": st.just("Point"), "coordinates": JSON_VALUES}),
    },
)


@settings(max_examples=200, deadline=None)
@given(features=st.lists(FEATURES, max_size=4) | JSON_VALUES)
def test_any_feature_collection_reads_as_rows_or_a_named_file_error(
    features: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("geojson") / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    outcome = _read(path)
    if isinstance(outcome, SourceError):
        assert str(outcome).startswith(f"{path}: ")
    else:
        assert [row.line for row in outcome] == list(range(1, len(outcome) + 1))
        assert all(isinstance(v, str | None) for row in outcome for v in row.values.values())


def test_json_nested_too_deeply_is_a_named_file_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.geojson"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SourceError, match="nested too deeply"):
        list(read_table(path))


def test_a_quote_left_open_is_a_named_file_error_not_a_crash(
    reference_graph: Callable[[], None], cli_env: None, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name\np-1,Amina\np-2,"Bogdan\n' + "x" * 1_100_000 + "\n")
    reference_graph()
    result = CliRunner().invoke(app, ["load", "people", str(path)])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert message.startswith(f"error: {path}: line 3: field larger than field limit"), message
    assert "quote left open" in message


def test_a_column_named_twice_is_a_named_file_error(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,name,ID\np-1,Amina,p-2\n")
    with pytest.raises(SourceError, match="the header names id more than once"):
        list(read_table(path))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(raw=st.binary(max_size=300).map(lambda b: b"id,name,email\n" + b))
def test_the_cli_answers_any_bytes_with_an_exit_code_not_a_traceback(
    raw: bytes,
    reference_graph: Callable[[], None],
    cli_env: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = tmp_path_factory.mktemp("cli-bytes") / "people.csv"
    path.write_bytes(raw)
    reference_graph()
    result = CliRunner().invoke(app, ["load", "people", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith("error: "), result.output


def test_rows_the_database_refuses_are_rejected_alone(
    reference_graph: Callable[[], None],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path: Path,
) -> None:
    # An index of this test's own, which a description of 5,000 emoji (20 kB) overflows:
    # the model allows the value, the database refuses it.
    db = neo4j_settings.database
    reference_graph()
    try:
        driver.execute_query(
            "CREATE INDEX test_refusal FOR (n:CommunityOrganisation) ON (n.description)",
            database_=db,
        )
        driver.execute_query("CALL db.awaitIndexes(60)", database_=db)
        huge = "\U0001f3e5" * 5000
        rows = [[f"r-{n}", f"Organisation {n}", huge if n in (2, 4) else "small"] for n in range(6)]
        path = tmp_path / "organisations.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["id", "name", "description"], *rows])
        report = load("organisations", path, driver=driver, database=db,
                      rejects_path=tmp_path / "rejects.csv")  # fmt: skip
    finally:
        driver.execute_query("DROP INDEX test_refusal IF EXISTS", database_=db)

    assert (report.rows_loaded, report.rows_rejected) == (4, 2)
    with (tmp_path / "rejects.csv").open(newline="", encoding="utf-8") as handle:
        rejects = [(r["line"], r["field"], r["reason"]) for r in csv.DictReader(handle)]
    reason = "Neo4j refused it: Property value is too large to index"
    assert [(line, field) for line, field, _ in rejects] == [("4", "row"), ("6", "row")]
    assert all(text.startswith(reason) for _, _, text in rejects), rejects
    records, _, _ = driver.execute_query(
        "MATCH (o:CommunityOrganisation) WHERE o.id STARTS WITH 'r-' RETURN o.id AS id ORDER BY id",
        database_=db,
    )
    assert [r["id"] for r in records] == ["r-0", "r-1", "r-3", "r-5"]
