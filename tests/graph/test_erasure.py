"""Erasure, the access export and retention: after erasePerson no property of any node
or relationship and no file the product wrote holds the person's values, and what a
copy of the graph taken before holds is ciphertext no remaining key opens."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.crypto import KeyStore, open_key_store
from graph.crypto.keystore import get_key_settings
from graph.crypto.records import PERSONAL_FIELDS, open_record
from graph.errors import NotFoundError
from graph.services.consent import record_consent
from graph.services.erasure import erase_person, inactive_people, purge_inactive
from graph.services.person_export import export_person
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings
from tests.graph.people_rights_place import (
    AMINA,
    PERSONAL_VALUES,
    add_clem,
    load_people,
    small_place,
)

ADMIN = Caller(subject="test-admin", role=Role.ADMIN)
WELCOME = Caller(subject="cw-welcome", role=Role.CASEWORKER, organisation_id="org-welcome")
ENGLISH = Caller(subject="cw-english", role=Role.CASEWORKER, organisation_id="org-english")

EVERY_PROPERTY = """
MATCH (n)
RETURN properties(n) AS values
UNION ALL
MATCH ()-[r]->()
RETURN properties(r) AS values
"""


@pytest.fixture
def people(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    small_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _every_value(driver: Driver, database: str) -> str:
    records, _, _ = driver.execute_query(EVERY_PROPERTY, database_=database)
    return "\n".join(str(value) for r in records for value in r["values"].values())


def _sealed_record(driver: Driver, database: str, ident: str) -> dict[str, str]:
    records, _, _ = driver.execute_query(
        "MATCH (:Person {id: $id})-[:HAS_PERSONAL_RECORD]->(r) RETURN properties(r) AS r",
        id=ident,
        database_=database,
    )
    return {k: v for k, v in records[0]["r"].items() if k in PERSONAL_FIELDS}


def test_erasure_leaves_no_value_in_the_graph_or_files_and_only_dead_ciphertext(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="neo4j")  # the driver logs what it sends
    db = neo4j_settings.database
    store = open_key_store()
    values = PERSONAL_VALUES["p-1"]
    # Stored sealed from the start: no plain value anywhere in the graph.
    assert not [v for v in values if v in _every_value(people, db)]
    backup = _sealed_record(people, db, "p-1")  # a copy of the store, taken before
    assert sorted(open_record(store.keys_for(["p-1"])["p-1"], "p-1", backup).values()) == sorted(
        values
    )
    # A rejected row of theirs: its reject file is a file the product wrote.
    bad = {**AMINA, "consent_withdrawn_at": "2001-01-01T00:00:00"}
    assert load_people(people, db, tmp_path, "bad.csv", bad).rows_rejected == 1
    keys_backup = tmp_path / "keys-before.sqlite3"
    shutil.copy(store.path, keys_backup)
    export_file = tmp_path / "exports" / "p-1.json"
    export_file.parent.mkdir()
    export_file.write_text(json.dumps(export_person(people, db, ADMIN, "p-1"), default=str))
    store.record_file("p-1", export_file)
    assert "Amina Zephyrine" in export_file.read_text()

    erasure = erase_person(people, db, WELCOME, "p-1", source="test")

    assert erasure.key_destroyed
    assert erasure.files_removed == (export_file.resolve(),)
    assert not export_file.exists()
    everything = _every_value(people, db)
    assert not [v for v in values if v in everything]
    assert not [c for c in backup.values() if c in everything]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and (p.name.endswith(".rejects.csv") or
               "exports" in p.parts)]  # fmt: skip
    assert [p.name for p in written] == ["bad.csv.rejects.csv"]
    for path in written:
        text = path.read_text(errors="replace")
        assert "p-1" in text
        assert not [v for v in values if v in text], path
    # The copy taken before: ciphertext that no key left in the store opens.
    remaining = store.keys_for(["p-1", "p-2"])
    assert set(remaining) == {"p-2"}
    for key in remaining.values():
        assert open_record(key, "p-1", backup) == {}
    assert open_record(None, "p-1", backup) == {}
    assert personal_details(people, db, ADMIN, ["p-1"]) == {}
    # The other person is untouched.
    assert personal_details(people, db, ADMIN, ["p-2"])["p-2"].name == "Boris Quillfeather"
    # No log line of the whole story (load, export, erasure) holds a value.
    assert caplog.records
    assert not [v for v in values if v in caplog.text]
    # A copy of the key store taken before erasure still holds the key: backups of the
    # key store must be kept no longer than the erasure promise (docs/security.md).
    old = KeyStore(keys_backup, _master())
    assert open_record(old.keys_for(["p-1"])["p-1"], "p-1", backup)["name"] == "Amina Zephyrine"


def _master() -> bytes:
    from graph.crypto.keystore import _master as master  # noqa: PLC0415

    return master(get_key_settings())


def test_erasure_by_a_caseworker_of_another_organisation_is_refused(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    with pytest.raises(NotFoundError, match="personId"):
        erase_person(people, neo4j_settings.database, ENGLISH, "p-1", source="test")
    assert personal_details(people, neo4j_settings.database, ADMIN, ["p-1"])


def test_the_export_holds_facts_ties_history_values_and_audit(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    personal_details(people, db, WELCOME, ["p-1"])
    export = export_person(people, db, WELCOME, "p-1")
    assert export["person_id"] == "p-1"
    assert export["personal_record"] == {
        "name": "Amina Zephyrine",
        "email": "amina.zephyrine@example.org",
        "date_of_birth": "1988-04-02",
        "immigration_status": "refugee status granted",
    }
    assert export["stage_history"] == [{"stage": "engaged", "on": __import__("datetime").date(
        2023, 1, 10)}]  # fmt: skip
    assert [e["kind"] for e in export["consent"]["history"]] == ["granted"]
    assert export["consent"]["scopes"] == ["matching", "share:org-welcome"]
    assert {(t["type"], t["label"], t["id"]) for t in export["ties"]} == {
        ("SUPPORTED_BY", "CommunityOrganisation", "org-welcome"),
        ("LIVES_IN", "Area", "E01011331"),
    }
    # The read names them (a load's event may not: it holds people who never consented).
    operations = [e["operation"] for e in export["audit_events"]]
    assert operations[-1] == "read_personal"
    assert set(operations) <= {"load:Person", "read_personal"}
    assert json.dumps(export, default=str)
    with pytest.raises(NotFoundError):
        export_person(people, db, ENGLISH, "p-1")


def test_purge_erases_only_people_inactive_for_the_period(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    people.execute_query(
        """MATCH (p:Person {id: 'p-2'})
           SET p.loaded_at = datetime('2020-01-01T00:00:00Z'),
               p.changed_at = datetime('2020-01-01T00:00:00Z'),
               p.stage_dates = [date('2020-01-01')]
           WITH p
           MATCH (p)-[:HAS_CONSENT_EVENT]->(e)
           SET e.recorded_at = datetime('2020-01-01T00:00:00Z')""",
        database_=db,
    )
    assert [p.person_id for p in inactive_people(people, db, 12)] == ["p-2"]
    assert [e.person_id for e in purge_inactive(people, db, ADMIN, 12)] == ["p-2"]
    assert personal_details(people, db, ADMIN, ["p-1", "p-2"]).keys() == {"p-1"}
    assert inactive_people(people, db, 12) == []


def test_a_caseworker_exports_only_people_who_share_with_them_others_look_unknown(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    add_clem(people, db, tmp_path)  # p-3: supported by org-welcome, never consented
    # p-2 is supported by org-welcome too, but shares only with org-english.
    people.execute_query(
        "MATCH (p:Person {id: 'p-2'}), (o:CommunityOrganisation {id: 'org-welcome'}) "
        "MERGE (p)-[:SUPPORTED_BY]->(o)",
        database_=db,
    )
    for ident in ("p-2", "p-3", "p-404"):
        with pytest.raises(NotFoundError) as refused:
            export_person(people, db, WELCOME, ident)
        assert str(refused.value) == f"personId: no person with id {ident!r}"
    assert export_person(people, db, WELCOME, "p-1")["personal_record"]["name"] == (
        "Amina Zephyrine"
    )
    # An administrator answers a subject access request for anyone.
    assert export_person(people, db, ADMIN, "p-2")["personal_record"]["name"] == (
        "Boris Quillfeather"
    )
    assert export_person(people, db, ADMIN, "p-3")["personal_record"]["name"] == "Clem Ashgrove"


def test_ties_to_people_without_consent_are_counted_never_named(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    add_clem(people, db, tmp_path)
    people.execute_query(
        """MATCH (a:Person {id: 'p-1'}), (b:Person {id: 'p-2'}), (c:Person {id: 'p-3'})
           CREATE (a)-[:KNOWS {strength: 0.7, since: date('2020-01-01')}]->(b),
                  (a)-[:KNOWS {strength: 0.4, since: date('2021-03-04')}]->(c)""",
        database_=db,
    )
    for caller in (WELCOME, ADMIN):
        export = export_person(people, db, caller, "p-1")
        assert [(t["type"], t["id"], t["properties"]["strength"]) for t in export["ties"]
                if t["label"] == "Person"] == [("KNOWS", "p-2", 0.7)]  # fmt: skip
        assert export["ties_to_people_without_consent"] == [
            {"type": "KNOWS", "direction": "out", "people": 1}
        ]
        text = json.dumps(export, default=str)
        assert "p-3" not in text
        assert "2021-03-04" not in text
        # The tie's strength as a value anywhere (not as text: a time such as 01:20:10.4
        # holds "0.4" too).
        assert 0.4 not in _values(export)
    # Once p-3 consents, the tie is theirs to see named.
    record_consent(people, db, ADMIN, "p-3", ["matching"], evidence="form 7", source="test")
    export = export_person(people, db, ADMIN, "p-1")
    assert {t["id"] for t in export["ties"] if t["label"] == "Person"} == {"p-2", "p-3"}
    assert export["ties_to_people_without_consent"] == []


def _values(tree: object) -> list[object]:
    """Every leaf value of a JSON-like tree."""
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _values(value)]
    if isinstance(tree, list | tuple):
        return [leaf for value in tree for leaf in _values(value)]
    return [tree]
