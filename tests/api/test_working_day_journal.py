"""Each write of a working day (a personal-details read, a stage move, a referral, a
loader batch) is accounted for by the change journal: the commits between two journal
positions are exactly the journal entries between them. A write the journal does not
account for makes every reader of derived state drop it and read the graph whole, which
on a busy place keeps matching on the slow path (issue 14's busy benchmark)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.names import product_names
from graph.services.journal import journal_position
from graph.settings import Neo4jSettings
from graph.vocabulary import Label, RelType
from loaders.demo import generate_demo
from loaders.registry import load
from tests.conftest import bearer

DETAILS = "query($id: ID!) { node(id: $id) { ... on Person { personal { name } } } }"
MOVE = "mutation($p: ID!, $s: ReadinessStage!) { movePersonStage(personId: $p, stage: $s) { id } }"
REFER = "mutation($f: ID!, $t: ID!) { recordReferral(from: $f, to: $t) { count } }"
REFERRAL_TIES = """
MATCH (o:CommunityOrganisation)-[:REFERS_TO]->(d:Department)
RETURN o.id AS source, d.id AS target ORDER BY source, target LIMIT 1
"""
CONSENTING = """
MATCH (p:Person) WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p.id AS id ORDER BY id LIMIT 5
"""


def test_each_write_of_a_working_day_is_in_the_journal(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    tie = demo_place.execute_query(REFERRAL_TIES, database_=db).records[0]
    people = [r["id"] for r in demo_place.execute_query(CONSENTING, database_=db).records]
    assert people, "the demo place has consenting people"
    generate_demo(tmp_path / "sync", people=60, seed=8)

    with TestClient(create_app(ApiSettings(), neo4j_settings)) as client:
        client.headers.update(bearer(Role.ADMIN, subject="working-day"))

        def ask(query: str, **variables: str) -> None:
            body = client.post("/graphql", json={"query": query, "variables": variables}).json()
            assert "errors" not in body, body

        writes: dict[str, Callable[[int], None]] = {
            "personal details read": lambda i: ask(DETAILS, id=f"Person:{people[i]}"),
            "stage move": lambda i: ask(
                MOVE, p=f"Person:{people[i]}", s=("LANGUAGE_TRAINING", "ACCREDITATION")[i % 2]
            ),
            "referral": lambda _: ask(
                REFER, f=f"CommunityOrganisation:{tie['source']}", t=f"Department:{tie['target']}"
            ),
            "people loader batch": lambda i: _loaded(demo_place, db, tmp_path, i),
        }
        # No warm-up: the first stage move of a place must be accounted for too (the names
        # it writes were registered when the database was migrated).
        unaccounted = {}
        for round_ in (0, 1):
            for name, write in writes.items():
                before = journal_position(demo_place, db)
                write(round_)
                after = journal_position(demo_place, db)
                if not before.accounts_for(after):
                    unaccounted[f"{name} (round {round_})"] = (
                        f"{after.transaction - before.transaction} commits, "  # type: ignore[operator]
                        f"{after.seq - before.seq} journal entries"
                    )
    assert unaccounted == {}


NAMES_IN_USE = """
CALL () { MATCH (n) UNWIND labels(n) AS label RETURN collect(DISTINCT label) AS labels }
CALL () { MATCH ()-[r]->() RETURN collect(DISTINCT type(r)) AS types }
CALL () { MATCH (n) UNWIND keys(n) AS key RETURN collect(DISTINCT key) AS node_keys }
CALL () { MATCH ()-[r]->() UNWIND keys(r) AS key RETURN collect(DISTINCT key) AS rel_keys }
RETURN labels, types, node_keys + rel_keys AS keys
"""


def test_every_name_the_product_writes_is_registered_beforehand(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """Names are registered by migrating (graph/names.py reads them from the queries):
    every label, type and key on the demo place after a working day is among them."""
    db = neo4j_settings.database
    test_each_write_of_a_working_day_is_in_the_journal(demo_place, neo4j_settings, tmp_path)
    in_use = demo_place.execute_query(NAMES_IN_USE, database_=db).records[0]
    names = product_names()
    assert set(in_use["labels"]) - names.labels - set(Label) == set()
    assert set(in_use["types"]) - names.types - set(RelType) == set()
    assert set(in_use["keys"]) - names.keys == set()


def _loaded(driver: Driver, db: str, tmp_path: Path, i: int) -> None:
    report = load("people", tmp_path / "sync" / "people.csv", driver=driver, database=db,
                  batch_size=1000, source=f"sync-{i}")  # fmt: skip
    assert report.rows_loaded > 0
