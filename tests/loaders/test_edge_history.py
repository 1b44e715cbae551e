"""Edge lists and the history of ties: ``until`` ends a tie, and a tie loaded again
after it ended is a new period (docs/places.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.loaders.helpers import load_file, load_small_place, read_rejects, write_csv

HEADER = ["kind", "from_id", "to_id", "strength", "since", "until"]


def _periods(driver: Driver, database: str) -> list[tuple[object, object, object]]:
    records, _, _ = driver.execute_query(
        "MATCH (:CommunityOrganisation {id: 'org-welcome'})-[r:REFERS_TO]->"
        "(:CommunityOrganisation {id: 'org-english'}) "
        "RETURN r.since AS since, r.until AS until, r.strength AS strength "
        "ORDER BY coalesce(r.until, date('9999-01-01'))",
        database_=database,
    )
    return [
        (
            None if r["since"] is None else r["since"].to_native(),
            None if r["until"] is None else r["until"].to_native(),
            r["strength"],
        )
        for r in records
    ]


# The tie both ends of a test speak of, open since 2019 with a trust of 0.8.
OPEN = [["REFERS_TO", "org-welcome", "org-english", "0.8", "2019-05-01", ""]]


def _load(driver: Driver, database: str, path: Path, rows: Sequence[Sequence[str]]) -> int:
    cells: list[list[object]] = [list(row) for row in rows]
    report = load_file(driver, database, "edges", write_csv(path, HEADER, cells))
    return report.rows_rejected


def test_until_ends_the_tie_and_loading_it_again_changes_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    assert _load(clean_db, db, tmp_path / "a.csv", OPEN) == 0
    ended = [["REFERS_TO", "org-welcome", "org-english", "0.8", "2019-05-01", "2024-03-01"]]
    assert _load(clean_db, db, tmp_path / "b.csv", ended) == 0
    assert _periods(clean_db, db) == [(date(2019, 5, 1), date(2024, 3, 1), 0.8)]
    # The same file again, and the file from before the tie ended: neither reopens it.
    assert _load(clean_db, db, tmp_path / "b.csv", ended) == 0
    assert _load(clean_db, db, tmp_path / "a.csv", OPEN) == 0
    assert _periods(clean_db, db) == [(date(2019, 5, 1), date(2024, 3, 1), 0.8)]


def test_a_row_that_ends_a_tie_with_its_until_alone_keeps_what_the_tie_held(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    assert _load(clean_db, db, tmp_path / "a.csv", OPEN) == 0
    # The row docs/places.md describes: no since, no trust, only the day the tie ended.
    until_alone = [["REFERS_TO", "org-welcome", "org-english", "", "", "2024-03-01"]]
    assert _load(clean_db, db, tmp_path / "b.csv", until_alone) == 0
    assert _periods(clean_db, db) == [(date(2019, 5, 1), date(2024, 3, 1), 0.8)]


def test_a_tie_loaded_again_after_it_ended_is_a_new_period(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    open_tie = [["REFERS_TO", "org-welcome", "org-english", "0.5", "", ""]]
    ending = [["REFERS_TO", "org-welcome", "org-english", "0.5", "", "2024-03-01"]]
    for path, rows in (("open.csv", open_tie), ("end.csv", ending), ("end.csv", ending)):
        assert _load(clean_db, db, tmp_path / path, rows) == 0
    assert _periods(clean_db, db) == [(None, date(2024, 3, 1), 0.5)]

    again = [["REFERS_TO", "org-welcome", "org-english", "0.9", "2025-01-01", ""]]
    for _ in range(2):
        assert _load(clean_db, db, tmp_path / "again.csv", again) == 0
        assert _periods(clean_db, db) == [
            (None, date(2024, 3, 1), 0.5),
            (date(2025, 1, 1), None, 0.9),
        ]
    # An earlier period loaded late is a period of its own, not the open one rewritten,
    # whether it gives its start or only its end.
    early = [["REFERS_TO", "org-welcome", "org-english", "0.2", "2010-01-01", "2011-01-01"]]
    assert _load(clean_db, db, tmp_path / "early.csv", early) == 0
    earliest = [["REFERS_TO", "org-welcome", "org-english", "0.1", "", "2009-01-01"]]
    assert _load(clean_db, db, tmp_path / "earliest.csv", earliest) == 0
    assert _periods(clean_db, db) == [
        (None, date(2009, 1, 1), 0.1),
        (date(2010, 1, 1), date(2011, 1, 1), 0.2),
        (None, date(2024, 3, 1), 0.5),
        (date(2025, 1, 1), None, 0.9),
    ]


def test_a_whole_period_loaded_late_leaves_the_open_tie_be(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    today = [["REFERS_TO", "org-welcome", "org-english", "0.5", "", ""]]
    assert _load(clean_db, db, tmp_path / "today.csv", today) == 0
    # Earlier periods of a tie that holds today, as a history file gives them: neither
    # ends today's tie, whose start is unknown, nor is it rewritten.
    history = [["REFERS_TO", "org-welcome", "org-english", "0.2", "2019-01-01", "2020-01-01"]]
    assert _load(clean_db, db, tmp_path / "history.csv", history) == 0
    later = [["REFERS_TO", "org-welcome", "org-english", "0.3", "2021-01-01", "2022-01-01"]]
    assert _load(clean_db, db, tmp_path / "later.csv", later) == 0
    assert _periods(clean_db, db) == [
        (date(2019, 1, 1), date(2020, 1, 1), 0.2),
        (date(2021, 1, 1), date(2022, 1, 1), 0.3),
        (None, None, 0.5),
    ]


def test_a_bad_until_is_refused_naming_row_and_field_and_good_rows_load(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    path = tmp_path / "edges.csv"
    rows = [
        ["REFERS_TO", "org-welcome", "org-english", "0.8", "2019-05-01", "2024-02-30"],
        ["REFERS_TO", "org-english", "org-welcome", "0.8", "2019-05-01", "2019-05-01"],
        ["PARTNERS_WITH", "org-welcome", "org-english", "0.8", "2019-05-01", "2018-01-01"],
        ["REFERS_TO", "org-welcome", "org-english", "0.7", "2019-05-01", "2024-03-01"],
    ]
    assert _load(clean_db, db, path, rows) == 3
    assert read_rejects(tmp_path / "edges.rejects.csv") == [
        (2, "until", "Input should be a valid date or datetime, day value is outside "
         "expected range"),
        (3, "until", "Value error, must be after since (2019-05-01)"),
        (4, "until", "Value error, must be after since (2019-05-01)"),
    ]  # fmt: skip
    assert _periods(clean_db, db) == [(date(2019, 5, 1), date(2024, 3, 1), 0.7)]


def test_until_is_refused_on_a_type_that_keeps_no_history(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    load_file(clean_db, db, "people", write_csv(tmp_path / "people.csv", ["id", "name"],
                                                [["p-1", "One"]]))  # fmt: skip
    rows = [["HAS_SKILL", "p-1", "skill-triage", "", "", "2024-01-01"]]
    assert _load(clean_db, db, tmp_path / "edges.csv", rows) == 1
    assert read_rejects(tmp_path / "edges.rejects.csv") == [
        (2, "until", "Value error, HAS_SKILL ties keep no history, so take no until")
    ]
