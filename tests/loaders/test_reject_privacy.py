"""A reject file never holds a personal value, nor one from a column the format does not
read, even when a row's cells have shifted under other columns' names (finding 10)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.loaders.helpers import load_file, read_rejects

HEADER = "id,name,email,nationality,postcode,trained_as,languages,stage,skill_ids\n"
PERSONAL = {
    "name": "Amina Yusuf",
    "email": "amina.yusuf@example.org",
    "nationality": "Syrian",
    "postcode": "RV4 3NY",
}
GOOD = "p-1,Bogdan Ionescu,,,,,ro:C1,engaged,\n"


def _row(**cells: str) -> str:
    values = {**PERSONAL, "id": "p-2", "trained_as": "", "languages": "ar:C2",
              "stage": "engaged", "skill_ids": "", **cells}  # fmt: skip
    return ",".join(values[name] for name in HEADER.strip().split(",")) + "\n"


def _fragments() -> set[str]:
    return {part for value in PERSONAL.values() for part in value.replace("@", " ").split()}


def _load(driver: Driver, database: str, path: Path, text: str) -> str:
    path.write_text(HEADER + GOOD + text, encoding="utf-8")
    report = load_file(driver, database, "people", path)
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    return (path.parent / "people.rejects.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("column", sorted(PERSONAL))
def test_a_comma_left_unquoted_in_a_personal_value_shows_no_value(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, column: str
) -> None:
    # "Amina, Yusuf" unquoted: every later cell moves one column to the right, so a
    # personal value lands under a column that is not personal.
    value = PERSONAL[column]
    split = value.replace(" ", ",", 1) if " " in value else f"{value[:3]},{value[3:]}"
    path = tmp_path / "people.csv"
    text = _load(clean_db, neo4j_settings.database, path, _row(**{column: split}))
    pieces = set(split.split(","))
    assert [fragment for fragment in _fragments() | pieces if fragment in text] == []
    assert read_rejects(path.parent / "people.rejects.csv") == [
        (3, "row", "10 cells where the header has 9 columns; is a comma left unquoted?")
    ]


def test_a_comma_missing_between_cells_shows_no_value(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    # Two cells run together: the postcode moves left under trained_as, and the
    # languages cell under it fails, but neither may be shown.
    row = _row().replace("Syrian,RV4 3NY", "Syrian RV4 3NY")
    path = tmp_path / "people.csv"
    text = _load(clean_db, neo4j_settings.database, path, row)
    assert [fragment for fragment in _fragments() if fragment in text] == []
    assert read_rejects(path.parent / "people.rejects.csv") == [
        (3, "row", "8 cells where the header has 9 columns; is a comma left unquoted?")
    ]


def test_a_row_that_lines_up_shows_known_columns_and_redacts_personal_ones(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    header = HEADER.strip() + ",case_notes\n"
    row = _row(stage="not-a-stage").strip() + ",Amina fled Homs in 2015\n"
    path.write_text(header + GOOD.strip() + ",\n" + row, encoding="utf-8")
    load_file(clean_db, neo4j_settings.database, "people", path)
    rejects = path.parent / "people.rejects.csv"
    text = rejects.read_text(encoding="utf-8")
    assert [fragment for fragment in _fragments() | {"Homs"} if fragment in text] == []
    with rejects.open(newline="", encoding="utf-8") as handle:
        [shown] = [json.loads(reject["row"]) for reject in csv.DictReader(handle)]
    # The unknown column is left out by name and value; personal ones are marked.
    assert shown == {
        "id": "p-2", "name": "(redacted)", "email": "(redacted)", "nationality": "(redacted)",
        "postcode": "(redacted)", "trained_as": None, "languages": "ar:C2",
        "stage": "not-a-stage", "skill_ids": None,
    }  # fmt: skip


# Every personal value is made of markers that appear nowhere else in a reject file, so
# "no marker in the file" means "no piece of a personal value in the file".
_MARKER = st.text(alphabet="abcdefghjkmnpqrstuvwxyz", min_size=2, max_size=6).map(
    lambda s: "Zq" + s
)
# Joined by spaces, or by commas left unquoted, which shift the rest of the row.
_PERSONAL_VALUE = st.tuples(
    st.lists(_MARKER, min_size=1, max_size=3), st.sampled_from([" ", ","])
).map(lambda parts: parts[1].join(parts[0]))
_ROW = st.fixed_dictionaries(
    {
        **dict.fromkeys(PERSONAL, _PERSONAL_VALUE),
        "languages": st.sampled_from(["ar:C2", "en", ""]),
        "stage": st.sampled_from(["engaged", "placement", "nowhere"]),
    }
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(rows=st.lists(_ROW, min_size=1, max_size=6))
def test_no_piece_of_a_personal_value_reaches_the_reject_file(
    clean_db: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[dict[str, str]],
) -> None:
    folder = tmp_path_factory.mktemp("survey")
    path = folder / "people.csv"
    lines = [_row(id=f"p-{number}", **cells) for number, cells in enumerate(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    report = load_file(clean_db, neo4j_settings.database, "people", path, dry_run=True)
    rejects = folder / "people.rejects.csv"
    text = rejects.read_text(encoding="utf-8") if rejects.exists() else ""
    assert "Zq" not in text
    shifted = [n + 2 for n, cells in enumerate(rows) if any("," in cells[c] for c in PERSONAL)]
    assert {line for line, field, _ in (read_rejects(rejects) if text else [])
            if field == "row"} == set(shifted)  # fmt: skip
    assert report.rows_read == len(rows)
