"""The change journal: every write of the product records what it changed beside its
audit event, and a reader can tell when something wrote round it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, ManagedTransaction

import graph.services.audit as audit_module
import graph.services.journal as journal_module
from graph.access import Caller, Role
from graph.algorithms.matching import MatchWeights
from graph.models.edges import Edge
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.models.provenance import Provenance
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.consent import record_consent
from graph.services.hub_actions import move_person_stage, record_referral
from graph.services.ingest import write_edges
from graph.services.journal import catch_up, journal_position, transaction_id
from graph.services.matching import MAX_FIRST, matching_candidates, vacancy_requirements
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings
from graph.vocabulary import Label, RelType
from loaders.demo import generate_demo, load_demo_folder
from loaders.registry import load

ADMIN = Caller("journal-test", Role.ADMIN)


@pytest.fixture
def small_place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    """A generated place of 60 people: the journal's rules need few, and each test loads one."""
    generate_demo(tmp_path / "place", people=60, seed=2007)
    load_demo_folder(tmp_path / "place", driver=clean_db, database=neo4j_settings.database)
    return clean_db


STAGE_OF = "MATCH (p:Person {id: $id}) RETURN p.stage AS stage"
VACANCY_IDS = "MATCH (v:Vacancy) RETURN v.id AS id ORDER BY id"
CONSENTING = """
MATCH (p:Person)
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p.id AS id ORDER BY id LIMIT 2
"""


def _bookmark_id(driver: Driver, db: str) -> int | None:
    with driver.session(database=db) as session:
        session.run("RETURN 1").consume()
        return transaction_id(session.last_bookmarks().raw_values)


def test_the_bookmark_counts_every_commit(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    clean_db.execute_query("CREATE (:Probe)", database_=db)  # the label exists from here on
    before = _bookmark_id(clean_db, db)
    assert before is not None, "the server's bookmark no longer gives a transaction id"
    # The id is packed in 1, 3, 5 or 9 bytes by size; 150 commits cross at least one
    # size wherever the count starts below 32,768 (the demo loads well under that).
    for _ in range(150):
        clean_db.execute_query("CREATE (:Probe)", database_=db)
    assert _bookmark_id(clean_db, db) == before + 150


def test_unknown_bookmarks_give_no_transaction_id() -> None:
    assert transaction_id([]) is None
    assert transaction_id(["FB:kcwQ", "FB:kcwQ"]) is None
    assert transaction_id(["not a bookmark"]) is None
    assert transaction_id(["FB:!!!"]) is None


def test_each_write_is_in_the_journal_with_what_it_changed(
    small_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    person, other = [r["id"] for r in small_place.execute_query(CONSENTING, database_=db).records]
    start = journal_position(small_place, db)
    move_person_stage(small_place, db, ADMIN, person, ReadinessStage.REGISTERED)
    personal_details(small_place, db, ADMIN, [other])
    provenance = Provenance(source="test", loader_version="test")
    edge = Edge(rel_type=RelType.KNOWS, from_label=Label.PERSON, to_label=Label.PERSON,
                from_id=person, to_id=other)  # fmt: skip
    write_edges(small_place, db, [edge], provenance)
    update = catch_up(small_place, db, start)
    assert update.complete
    assert update.position.seq == start.seq + 3
    stage, read, edges = update.changes
    assert f"Person:{person}" in stage.ids
    assert "StageChange" in stage.kinds
    assert (read.kinds, read.ids) == (frozenset(), frozenset()), "reading details changes no fact"
    assert {"KNOWS", "Person"} <= edges.kinds
    assert f"Person:{other}" in edges.ids
    # Caught up: nothing more to tell.
    again = catch_up(small_place, db, update.position)
    assert (again.complete, again.changes, again.position) == (True, (), update.position)


def test_a_people_batch_journals_only_the_people_it_changed(
    small_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """A nightly sync of unchanged rows names nobody (derived state rereads whom the
    journal names), but everyone it did change: a row edited in the file, and a row
    unchanged in the file that still gives back scopes changed since the last load."""
    db = neo4j_settings.database
    people = tmp_path / "place" / "people.csv"

    def reload(path: Path) -> frozenset[str]:
        start = journal_position(small_place, db)
        load("people", path, driver=small_place, database=db, source="nightly")
        update = catch_up(small_place, db, start)
        assert update.complete
        (change,) = update.changes
        return change.ids

    reload(people)  # the new source is written once
    assert reload(people) == frozenset()
    person, other = [r["id"] for r in small_place.execute_query(CONSENTING, database_=db).records]
    record_consent(small_place, db, ADMIN, person, ["research"], evidence="form", source="test")
    with people.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == other:
            row["ielts_overall"] = "8.5" if row["ielts_overall"] != "8.5" else "6"
    edited = tmp_path / "edited.csv"
    with edited.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert reload(edited) == {f"Person:{person}", f"Person:{other}"}
    assert reload(edited) == frozenset()


def test_a_write_round_the_product_is_detected(
    small_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    # The first referral may name a property for the first time, which Neo4j commits
    # on its own (unaccounted, so a reread: only slower); the second is plain.
    record_referral_between_first_two_organisations(small_place, db)
    start = journal_position(small_place, db)
    record_referral_between_first_two_organisations(small_place, db)
    assert catch_up(small_place, db, start).complete
    start = journal_position(small_place, db)
    # As cypher-shell would: no journal entry.
    small_place.execute_query("MATCH (p:Person) WITH p LIMIT 1 SET p.stage = 'employed'",
                             database_=db)  # fmt: skip
    assert not catch_up(small_place, db, start).complete
    # And alongside a journalled write it is still found: one commit more than changes.
    start = journal_position(small_place, db)
    small_place.execute_query("MATCH (p:Person) WITH p LIMIT 1 SET p.stage = 'placement'",
                             database_=db)  # fmt: skip
    record_referral_between_first_two_organisations(small_place, db)
    late = catch_up(small_place, db, start)
    assert len(late.changes) == 1
    assert not late.complete


def test_the_journal_is_pruned_and_a_reader_behind_it_rereads(
    small_place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = neo4j_settings.database
    monkeypatch.setattr(audit_module, "JOURNAL_KEEP", 3)
    monkeypatch.setattr(audit_module, "PRUNE_EVERY", 2)
    start = journal_position(small_place, db)
    for _ in range(8):
        record_referral_between_first_two_organisations(small_place, db)
    head = journal_position(small_place, db).seq
    kept = small_place.execute_query("MATCH (c:Change) RETURN min(c.seq) AS low, count(c) AS n",
                                    database_=db).records[0]  # fmt: skip
    assert kept["low"] > head - 8, "old changes were pruned"
    assert not catch_up(small_place, db, start).complete, "a reader behind them must reread"


def record_referral_between_first_two_organisations(driver: Driver, db: str) -> None:
    first, second = [
        r["id"]
        for r in driver.execute_query(
            "MATCH (o:CommunityOrganisation) RETURN o.id AS id ORDER BY id LIMIT 2", database_=db
        ).records
    ]
    record_referral(driver, db, ADMIN, NodeKey(label=Label.COMMUNITY_ORGANISATION, id=first),
                    NodeKey(label=Label.COMMUNITY_ORGANISATION, id=second))  # fmt: skip


def test_a_commit_as_a_whole_read_starts_is_not_missed(
    small_place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole read of the index starts at the journal's position. Were the transaction
    id taken after the head, a commit landing between the two would be counted in the
    id but not in the head; if a second commit then landed as the catch-up after the
    read finished, the two miscounts would cancel: the catch-up would look complete and
    the index would claim a commit it never applied (here a stage move), answering
    without it until the next commit."""
    db = neo4j_settings.database
    vacancy, person = _a_vacancy_and_its_best_candidate(small_place, db)
    stage = small_place.execute_query(STAGE_OF, id=person, database_=db).records[0]["stage"]
    moved = ReadinessStage.ENGAGED if stage != "engaged" else ReadinessStage.REGISTERED
    head, changes_since = journal_module._head, journal_module._changes_since

    def head_then_a_referral(tx: ManagedTransaction) -> int:
        found = head(tx)
        # Committed while this read is open: the read's bookmark counts it.
        record_referral_between_first_two_organisations(small_place, db)
        return found

    def changes_then_a_stage_move(tx: ManagedTransaction, after: int) -> Any:
        found = changes_since(tx, after)
        move_person_stage(small_place, db, ADMIN, person, moved)
        return found

    holder = CandidateIndexHolder(small_place, db, rebuild_interval_s=3600)
    monkeypatch.setattr(journal_module, "_head", head_then_a_referral)
    monkeypatch.setattr(journal_module, "_changes_since", changes_then_a_stage_move)
    holder.refresh()
    monkeypatch.undo()
    answer = matching_candidates(small_place, db, vacancy, first=MAX_FIRST, index=holder)
    holder.close()
    assert answer == matching_candidates(small_place, db, vacancy, first=MAX_FIRST)


def _a_vacancy_and_its_best_candidate(driver: Driver, db: str) -> tuple[str, str]:
    holder = CandidateIndexHolder(driver, db)
    assert holder.refresh()
    index = holder.current()
    assert index is not None
    ids = [r["id"] for r in driver.execute_query(VACANCY_IDS, database_=db).records]
    found = vacancy_requirements(driver, db, ids)
    ranked = {v: index.rank(found[v], MatchWeights(), MAX_FIRST) for v in sorted(found)}
    vacancy = max(ranked, key=lambda v: len(ranked[v]))
    return vacancy, ranked[vacancy][0][1]
