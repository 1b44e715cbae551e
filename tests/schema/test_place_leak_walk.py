"""The cross-place leak walk (issue 15, isolation), as a property over every root field
and role, like the personal-data walk (tests/schema/test_people_property.py).

Place alpha is the small place of tests/schema/place.py; place beta is the same place
relocated: every id of a placed node and every name planted with "zqb", but for one
organisation that works in both (Refugee Welcome, whose caseworker is the one asking).
Every role scoped to alpha (and nobody) asks every query with random arguments, ids of
either place among them, first of alpha alone, then again once beta is loaded beside it.
Then:

- no answer, error or log line holds anything of beta ("zqb" anywhere);
- every answer is the same as with no beta at all: beta changes no count, total, list or
  error, and naming a node only beta holds is answered as an unknown id (on alpha alone
  it is one);
- every mutation naming only beta's nodes is answered as the same mutation naming ids
  that exist nowhere, and leaks nothing;
- a control: an administrator's answers do reach beta's planted values.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from schema.people_guard import UNGUARDED_FIELDS
from tests.conftest import CLEAR_GRAPH
from tests.schema.documents import (
    Document,
    draw_document,
    execute_as,
    root_fields,
    unordered,
    walk_settings,
)
from tests.schema.place import PLACE, TAXONOMY_LINKS, load_tables

pytestmark = pytest.mark.walks

Table = tuple[str, list[str], list[list[object]]]

PLANTED = "zqb"
SHARED = {"org-welcome"}
ALPHA, BETA = "alpha", "beta"
VOCABULARY_TABLES = {"skills", "occupations", "qualifications"}
# Columns naming nodes of a place (";" lists too); the vocabulary's ids stay as they are.
PLACED_ID_COLUMNS = {"id", "parent_id", "area_id", "organisation_id", "anchor_id",
                     "owner_id", "home_area_id", "organisation_ids", "from_id", "to_id"}  # fmt: skip
PLANTED_TEXT_COLUMNS = {"name", "title", "email", "address", "nationality",
                        "immigration_status"}  # fmt: skip
LABELS = {"areas": "Area", "organisations": "CommunityOrganisation", "services": "Service",
          "anchors": "AnchorInstitution", "departments": "Department", "vacancies": "Vacancy",
          "properties": "Property", "people": "Person"}  # fmt: skip
VOCABULARY_IDS = ["Skill:skill-triage", "Occupation:occ-nurse", "Qualification:q-bsc-nursing"]


def _relocated(tables: list[Table]) -> list[Table]:
    """Beta: alpha's tables with every placed id and every name planted, but the shared
    organisation's row, loaded as it is (so it joins beta and keeps its area)."""

    def cell(column: str, value: object) -> object:
        if value == "" or not isinstance(value, str):
            return value
        if column in PLACED_ID_COLUMNS:
            return ";".join(v if v in SHARED else f"{PLANTED}-{v}" for v in value.split(";"))
        if column in PLANTED_TEXT_COLUMNS:
            return f"{PLANTED.title()}{value}"
        return value

    def row_of(header: list[str], row: list[object]) -> list[object]:
        if row[0] in SHARED:
            return row
        return [cell(column, value) for column, value in zip(header, row, strict=True)]

    return [
        (kind, header, [row_of(header, row) for row in rows])
        for kind, header, rows in tables
        if kind not in VOCABULARY_TABLES
    ]


# Ties that cross from beta into alpha, as an edge file loaded into beta may hold (it
# names people of both): to alpha's people from a consenting and a never-consenting
# person of beta, and from alpha's people to beta's organisation and vacancy. Nothing
# of them may reach a caller of alpha, through any question or a person's export.
CROSSING: list[list[object]] = [
    ["KNOWS", f"{PLANTED}-p-1", "p-1", "", "", "0.8", "2023-05-01", ""],
    ["KNOWS", f"{PLANTED}-p-3", "p-1", "", "", "0.4", "", ""],
    ["MENTORED_BY", "p-2", f"{PLANTED}-p-1", "", "", "0.9", "", ""],
    ["SUPPORTED_BY", "p-1", f"{PLANTED}-org-english", "", "", "0.7", "2024-01-01", ""],
    ["APPLIED_TO", "p-1", f"{PLANTED}-vac-nurse", "", "", "", "2024-02-01", ""],
]


def _with_crossing(tables: list[Table]) -> list[Table]:
    return [(kind, header, rows + CROSSING if kind == "edges" else rows)
            for kind, header, rows in tables]  # fmt: skip


BETA_TABLES = _with_crossing(_relocated(PLACE))


def _ids(tables: list[Table]) -> list[str]:
    return sorted({f"{LABELS[kind]}:{row[0]}" for kind, _, rows in tables if kind in LABELS
                   for row in rows})  # fmt: skip


ALPHA_IDS = _ids(PLACE)
BETA_ONLY_IDS = [i for i in _ids(BETA_TABLES) if i not in ALPHA_IDS]
PLACE_IDS = [f"Place:{ALPHA}", f"Place:{BETA}"]
# People no one is shown (never consented, or withdrew): an administrator neither.
UNSEEN_PEOPLE = {
    f"Person:{row[0]}"
    for kind, header, rows in BETA_TABLES if kind == "people"
    for row in rows
    if not row[header.index("consent_given_at")] or row[header.index("consent_withdrawn_at")]
}  # fmt: skip
IDS = [*ALPHA_IDS, *BETA_ONLY_IDS, *VOCABULARY_IDS, *PLACE_IDS]


def _of_alpha(role: Role) -> Caller:
    organisation = "org-welcome" if role is Role.CASEWORKER else None
    return Caller(subject=f"alpha-{role}", role=role, organisation_id=organisation,
                  places=frozenset({ALPHA}))  # fmt: skip


ALPHA_CALLERS: list[Caller | None] = [
    None, *(_of_alpha(role) for role in (Role.PLACE_LEADER, Role.CASEWORKER, Role.ANALYST,
                                          Role.LOADER))]  # fmt: skip
ADMIN = Caller(subject="admin", role=Role.ADMIN)

WALK_SETTINGS = walk_settings(int(os.environ.get("ASSETBRIDGE_PLACE_LEAK_EXAMPLES", "2")))


def _leaks(body: Any, *documents: Document) -> bool:
    """Whether ``body`` (an answer, or log lines) holds anything of beta's but what the
    caller named themselves in ``documents`` (an error may echo the id it was given)."""
    text = body if isinstance(body, str) else json.dumps(body)
    # Ids only: a search string "Zqb" given by the caller does not excuse a planted name.
    named = [v for d in documents for v in _strings(d.variables) if f"{PLANTED}-" in v]
    for value in sorted({*named, *(v.split(":", 1)[-1] for v in named)}, key=len, reverse=True):
        text = text.replace(value, "")
    return PLANTED in text.lower()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _nowhere(document: Document) -> Document:
    """The same document with every id of beta's replaced by one that exists nowhere."""
    text = json.dumps(document.variables)
    for ident in BETA_ONLY_IDS:
        text = text.replace(f'"{ident}"', f'"{ident.split(":")[0]}:nowhere"')
    text = text.replace(f'"Place:{BETA}"', '"Place:nowhere"')
    return Document(document.text, json.loads(text))


def _as_nowhere(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with every id of beta's it echoes as ``_nowhere`` names it."""
    text = json.dumps(body)
    for ident in sorted(BETA_ONLY_IDS, key=len, reverse=True):
        text = text.replace(ident.split(":", 1)[1], "nowhere")
    return dict(json.loads(text.replace(BETA, "nowhere")))


# Every node only beta holds, with its properties and every relationship it has.
BETA_STATE = """
MATCH (n)
WHERE $beta IN coalesce(n.place_ids, []) AND NOT $alpha IN n.place_ids
RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties,
       [(n)-[r]-(m) | [type(r), startNode(r) = n, m.id, properties(r)]] AS ties
ORDER BY id
"""


def _beta_state(driver: Driver, database: str) -> Any:
    records, _, _ = driver.execute_query(BETA_STATE, beta=BETA, alpha=ALPHA, database_=database)
    # Dates and times as text, so the state compares (and sorts) as JSON does.
    return unordered(json.loads(json.dumps([record.data() for record in records], default=str)))


def _load_alpha(driver: Driver, database: str, folder: Path) -> None:
    with driver.session(database=database) as session:
        session.run(CLEAR_GRAPH).consume()
    load_tables(driver, database, folder, PLACE, place=ALPHA)
    driver.execute_query(TAXONOMY_LINKS, database_=database)


def test_nothing_of_another_place_reaches_a_caller_of_one(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    reached_beta: set[str] = set()

    @WALK_SETTINGS
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        _walk(clean_db, neo4j_settings, tmp_path_factory, caplog, data, reached_beta)

    walk()
    # The control: beta's planted values are there to be found, by someone allowed to:
    # an administrator finds every node only beta holds, and some of the walk's answers.
    for ident in BETA_ONLY_IDS:
        if ident in UNSEEN_PEOPLE:
            continue
        body = execute_as(clean_db, neo4j_settings, ADMIN,
                          Document('query ($id: ID!) { node(id: $id) { id } }', {"id": ident}))  # fmt: skip
        assert body == {"data": {"node": {"id": ident}}}, body
    assert reached_beta, "no answer to an administrator held anything of beta"


def _walk(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory,
    caplog: pytest.LogCaptureFixture, data: st.DataObject, reached_beta: set[str],
) -> None:  # fmt: skip
    database = neo4j_settings.database
    fields = root_fields()
    asked = [
        (name, caller, draw_document(data.draw, "query", name, IDS))
        for operation, name in fields
        if operation == "query" and f"Query.{name}" not in UNGUARDED_FIELDS
        for caller in ALPHA_CALLERS
        for _ in range(2)
    ]  # fmt: skip
    _load_alpha(driver, database, tmp_path_factory.mktemp("alpha"))
    alone = [unordered(execute_as(driver, neo4j_settings, c, d)) for _, c, d in asked]

    load_tables(driver, database, tmp_path_factory.mktemp("beta"), BETA_TABLES, place=BETA)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        for (name, caller, document), before in zip(asked, alone, strict=True):
            body = execute_as(driver, neo4j_settings, caller, document)
            where = (name, getattr(caller, "role", "nobody"), document.text, document.variables)
            assert not _leaks(body, document), (where, body)
            assert unordered(body) == before, (where, body, before)
        mutations = []
        beta_before = _beta_state(driver, database)
        for operation, name in fields:
            if operation != "mutation":
                continue
            for caller in ALPHA_CALLERS:
                document = draw_document(data.draw, "mutation", name, BETA_ONLY_IDS)
                mutations.append(document)
                body = execute_as(driver, neo4j_settings, caller, document)
                where = (name, getattr(caller, "role", "nobody"), document.text,
                         document.variables)  # fmt: skip
                assert not _leaks(body, document), (where, body)
                # Answered as the same mutation naming ids that exist nowhere.
                control = execute_as(driver, neo4j_settings, caller, _nowhere(document))
                assert _as_nowhere(body) == control, (where, body, control)
        # Refused as unknown, and refused before writing: beta is as it was.
        assert _beta_state(driver, database) == beta_before
        # The product's own log lines, at every level; the driver's debug trace of the
        # queries it sends is not a log anyone is shown.
        logged = "\n".join(record.getMessage() for record in caplog.records
                            if not record.name.startswith("neo4j"))  # fmt: skip
        asked_of_beta = [d for _, _, d in asked] + mutations
        leaked = [line for line in logged.splitlines() if _leaks(line, *asked_of_beta)]
        assert not leaked, leaked[:20]

    for name, _, document in asked:
        if _leaks(execute_as(driver, neo4j_settings, ADMIN, document), document):
            reached_beta.add(name)


EXPORT = Document("query ($p: ID!) { exportPerson(personId: $p) }", {"p": "Person:p-1"})
# The person shares with the caseworker's organisation, so its caseworker may export them.
SHARE = Document(
    'mutation ($p: ID!) { recordConsent(personId: $p, scopes: ["matching", "share:org-welcome"],'
    ' evidence: "form CF-0042") { current } }',
    {"p": "Person:p-1"},
)


def test_a_persons_export_keeps_to_the_exporters_places(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The export (a rights field, which the walk above leaves to the consent gate) of an
    alpha person with ties into beta: an alpha caseworker's names and counts nothing of
    beta, and its ties are those of alpha alone; an administrator's names them."""
    database = neo4j_settings.database
    caseworker = _of_alpha(Role.CASEWORKER)
    _load_alpha(clean_db, database, tmp_path_factory.mktemp("alpha"))
    shared = execute_as(clean_db, neo4j_settings, caseworker, SHARE)
    assert shared == {"data": {"recordConsent": {"current": True}}}, shared
    alone = execute_as(clean_db, neo4j_settings, caseworker, EXPORT)["data"]["exportPerson"]
    load_tables(clean_db, database, tmp_path_factory.mktemp("beta"), BETA_TABLES, place=BETA)

    exported = execute_as(clean_db, neo4j_settings, caseworker, EXPORT)["data"]["exportPerson"]
    assert not _leaks(exported, EXPORT), exported
    assert exported["ties"] == alone["ties"]
    assert exported["ties_to_people_without_consent"] == alone["ties_to_people_without_consent"]

    everything = execute_as(clean_db, neo4j_settings, ADMIN, EXPORT)["data"]["exportPerson"]
    crossing = {(tie["type"], tie["id"]) for tie in everything["ties"]} - {
        (tie["type"], tie["id"]) for tie in alone["ties"]
    }
    assert crossing == {("KNOWS", f"{PLANTED}-p-1"), ("SUPPORTED_BY", f"{PLANTED}-org-english"),
                        ("APPLIED_TO", f"{PLANTED}-vac-nurse")}  # fmt: skip
    assert everything["ties_to_people_without_consent"] == [
        {"type": "KNOWS", "direction": "in", "people": 1}
    ]
