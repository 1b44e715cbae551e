"""Ties that ended are gone from every network answer of a day after they ended, and
the network read as of any day is the one a graph of only that day's ties gives
(issue 15's asOf proof, on the referral network and the partnership network)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver
from neo4j.time import Date

from graph.access import Caller, Role
from graph.models.paths import NodeKey
from graph.services.brokerage import brokerage_gaps
from graph.services.explore_links import people_counts
from graph.services.history import as_of_day
from graph.services.hub_actions import record_referral
from graph.services.paths import load_referral_network, referral_paths
from graph.services.place_view import anchor_footprint, partnership_network
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from tests.conftest import CLEAR_GRAPH
from tests.graph.test_brokerage import PLACE
from tests.loaders.helpers import load_file, write_csv

# What a footprint needs of an anchor beyond its id and name.
ANCHOR_FACTS = "MATCH (a:AnchorInstitution) SET a.sector = 'health', a.significant_land = false"
EDGE_HEADER = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "until"]


def _load_edges(driver: Driver, db: str, path: Path, rows: list[list[object]]) -> None:
    report = load_file(driver, db, "edges", write_csv(path, EDGE_HEADER, rows))
    assert report.rows_rejected == 0


def _paths_to_trust(driver: Driver, db: str, person: str, **kw: Any) -> list[list[str]]:
    found = referral_paths(
        driver, db, NodeKey(label=Label.PERSON, id=person),
        NodeKey(label=Label.ANCHOR_INSTITUTION, id="trust"), **kw,
    )  # fmt: skip
    return [[node.id for node in path.nodes] for path in found]


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def test_a_tie_ended_by_an_edge_file_leaves_every_network_answer(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    before = brokerage_gaps(place, db, "trust")
    assert _paths_to_trust(place, db, "p1") == [["p1", "A", "hub", "trust"]]
    assert ("A", "hub") in {
        (t.source.id, t.target.id) for t in partnership_network(place, db, "trust").ties
    }
    assert "A" in {b.node.id for b in before.critical_brokers}

    # Refugee Welcome stopped referring to the hub at the start of 2024.
    _load_edges(place, db, tmp_path / "ended.csv",
                [["REFERS_TO", "A", "hub", "organisation", "department", "", "", "2024-01-01"]])  # fmt: skip

    assert _paths_to_trust(place, db, "p1") == []
    assert ("A", "hub") not in {
        (t.source.id, t.target.id) for t in partnership_network(place, db, "trust").ties
    }
    after = brokerage_gaps(place, db, "trust")
    assert (before.linked, after.linked) == (5, 1)
    assert sorted(p for g in after.unlinked_supply for p in g.person_ids) == [
        "p1", "p2", "p4", "p5", "p6", "p8",
    ]  # fmt: skip
    assert "A" not in {b.node.id for b in after.critical_brokers}
    # The day before it ended, the tie is there again: the history was kept, not deleted.
    day_before = date(2023, 12, 31)
    assert _paths_to_trust(place, db, "p1", as_of=day_before) == [["p1", "A", "hub", "trust"]]
    assert brokerage_gaps(place, db, "trust", as_of=day_before).linked == 5
    assert ("A", "hub") in {
        (t.source.id, t.target.id)
        for t in partnership_network(place, db, "trust", as_of=day_before).ties
    }


def test_an_anchors_footprint_counts_the_partners_of_the_day(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    place.execute_query(ANCHOR_FACTS, database_=db)
    _load_edges(place, db, tmp_path / "partners.csv", [
        ["PARTNERS_WITH", "B", "trust", "organisation", "anchor", "", "2019-05-01", "2022-01-01"],
        ["PARTNERS_WITH", "C", "trust", "organisation", "anchor", "", "2021-03-01", ""],
    ])  # fmt: skip

    # A (through the hub) and D refer with no dates (always); B partnered from 2019 to
    # 2021, C from 2021 on.
    def partners(on: date | None) -> tuple[int, list[tuple[int, int]]]:
        footprint = anchor_footprint(place, db, "trust", as_of=on)
        years = [(y.year, y.organisations) for y in footprint.organisations_by_year]
        return footprint.community_organisations, years

    assert partners(None) == (3, [(2021, 1)])
    assert partners(date(2021, 6, 1)) == (4, [(2019, 1), (2020, 1), (2021, 2)])
    assert partners(date(2020, 1, 1)) == (3, [(2019, 1)])
    assert partners(date(2019, 1, 1)) == (2, [])


def test_a_property_sold_keeps_its_former_owner_as_history(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    clean_db.execute_query(
        "CREATE (:AnchorInstitution {id: 'trust', name: 'Trust'}), "
        "(:CommunityOrganisation {id: 'church', name: 'Church'})",
        database_=db,
    )
    clean_db.execute_query(ANCHOR_FACTS, database_=db)
    header = ["id", "name", "kind", "owner_id"]
    first = write_csv(tmp_path / "a.csv", header, [["hall", "Old Hall", "building", "trust"]])
    sold = write_csv(tmp_path / "b.csv", header, [["hall", "Old Hall", "building", "church"]])
    for path in (first, first, sold, sold):
        assert load_file(clean_db, db, "properties", path).rows_rejected == 0
    records, _, _ = clean_db.execute_query(
        "MATCH (o)-[r:OWNS]->(:Property {id: 'hall'}) "
        "RETURN o.id AS owner, r.since AS since, r.until AS until ORDER BY owner",
        database_=db,
    )
    today = as_of_day()
    assert [(r["owner"], r["since"], r["until"]) for r in records] == [
        ("church", today, None),
        ("trust", None, today),
    ]
    assert [h.id for h in anchor_footprint(clean_db, db, "trust").land_holdings] == []
    yesterday = today - timedelta(days=1)
    assert [
        h.id for h in anchor_footprint(clean_db, db, "trust", as_of=yesterday).land_holdings
    ] == ["hall"]


def _periods_of(driver: Driver, db: str, pattern: str) -> list[tuple[Any, ...]]:
    records, _, _ = driver.execute_query(
        "MATCH " + pattern + " RETURN r.since AS since, r.until AS until, r.count AS count "
        "ORDER BY r.until IS NULL, r.until",
        database_=db,
    )
    return [(r["since"], r["until"], r["count"]) for r in records]


def test_a_referral_on_a_tie_that_ended_starts_a_new_period(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    _load_edges(place, db, tmp_path / "ended.csv",
                [["REFERS_TO", "A", "hub", "organisation", "department", "", "", "2024-01-01"]])  # fmt: skip
    admin = Caller("admin", Role.ADMIN)
    source = NodeKey(label=Label.COMMUNITY_ORGANISATION, id="A")
    hub = NodeKey(label=Label.DEPARTMENT, id="hub")
    for on in (date(2025, 3, 1), date(2025, 4, 1)):
        record_referral(place, db, admin, source, hub, on=on)
    pattern = "(:CommunityOrganisation {id: 'A'})-[r:REFERS_TO]->(:Department {id: 'hub'})"
    assert _periods_of(place, db, pattern) == [
        (None, Date(2024, 1, 1), None),
        (Date(2025, 3, 1), None, 2),
    ]
    assert _paths_to_trust(place, db, "p1") == [["p1", "A", "hub", "trust"]]


def test_a_survey_naming_an_organisation_again_starts_a_new_period_of_support(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    _load_edges(place, db, tmp_path / "ended.csv",
                [["SUPPORTED_BY", "p4", "C", "", "", "", "", "2024-01-01"]])  # fmt: skip
    survey = write_csv(tmp_path / "people.csv", ["id", "organisation_ids"], [["p4", "C"]])
    for _ in range(2):
        assert load_file(place, db, "people", survey).rows_rejected == 0
    pattern = "(:Person {id: 'p4'})-[r:SUPPORTED_BY]->(:CommunityOrganisation {id: 'C'})"
    assert _periods_of(place, db, pattern) == [(None, Date(2024, 1, 1), None), (None, None, None)]


# -- the asOf proof: random histories against a graph rebuilt from one day's ties ------

START = date(2024, 1, 1)
NODES = """
CREATE (trust:AnchorInstitution {id: 'trust', name: 'Trust'})
CREATE (:Department {id: 'hub', name: 'Hub', kind: 'employment_hub'})-[:PART_OF]->(trust)
CREATE (:CommunityOrganisation {id: 'A', name: 'A'}), (:CommunityOrganisation {id: 'B', name: 'B'})
CREATE (:CommunityOrganisation {id: 'C', name: 'C'})
WITH 1 AS one
UNWIND ['p1', 'p2', 'p3'] AS id
CREATE (:Person {id: id, consent_given_at: datetime('2023-01-01T00:00:00')})
"""
# (kind, from, to, from kind, to kind): every history type the edge lists carry.
TIES = [
    ("REFERS_TO", "A", "hub", "organisation", "department"),
    ("REFERS_TO", "B", "A", "organisation", "organisation"),
    ("REFERS_TO", "C", "trust", "organisation", "anchor"),
    ("REFERS_TO", "hub", "B", "department", "organisation"),
    ("PARTNERS_WITH", "C", "A", "organisation", "organisation"),
    ("PARTNERS_WITH", "B", "trust", "organisation", "anchor"),
    ("SUPPORTED_BY", "p1", "A", "person", "organisation"),
    ("SUPPORTED_BY", "p2", "C", "person", "organisation"),
    ("KNOWS", "p1", "p2", "person", "person"),
    ("MENTORED_BY", "p3", "p1", "person", "person"),
]
Period = tuple[date | None, date | None]


@st.composite
def periods(draw: st.DrawFn) -> list[Period]:
    """A tie's history: periods one after another over six days, each a relationship;
    the first may have no start, the last no end."""
    days = sorted(draw(st.sets(st.integers(0, 6), max_size=4)))
    bounds: list[date | None] = [START + timedelta(days=d) for d in days]
    if draw(st.booleans()):
        bounds.insert(0, None)
    if len(bounds) % 2:
        bounds.append(None)
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


def _row(tie: tuple[str, ...], period: Period, strength: str) -> list[object]:
    since, until = period
    return [*tie, strength, since or "", until or ""]


def _held(period: Period, day: date) -> bool:
    since, until = period
    return (since is None or since <= day) and (until is None or day < until)


def _reset(driver: Driver, db: str) -> None:
    with driver.session(database=db) as session:
        session.run(CLEAR_GRAPH).consume()
    driver.execute_query(NODES, database_=db)


def _as_read(driver: Driver, db: str, day: date | None) -> tuple[Any, ...]:
    graph = load_referral_network(driver, db, ["p1", "p2", "p3"], as_of=day)
    network = partnership_network(driver, db, "trust", as_of=day)
    return (
        sorted(graph.nodes(data=True)),
        sorted(nx.to_edgelist(graph)),
        sorted((t.source.id, t.target.id, t.type, t.strength, t.since_year) for t in network.ties),
        # Counted from the ties that are there less those not held (the dates' indexes).
        people_counts(driver, db, ["A", "B", "C"], as_of=day, places=None),
    )


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    history=st.lists(periods(), min_size=len(TIES), max_size=len(TIES)),
    strengths=st.lists(st.sampled_from(["", "0.3", "0.9"]), min_size=len(TIES), max_size=len(TIES)),
    days=st.lists(st.integers(-1, 7), min_size=1, max_size=3, unique=True),
)
def test_the_network_of_a_day_is_the_graph_of_that_days_ties(
    history: list[list[Period]],
    strengths: list[str],
    days: list[int],
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db = neo4j_settings.database
    folder = tmp_path_factory.mktemp("history")
    _reset(driver, db)
    # Period by period, as a source would report a tie starting, ending and starting again.
    for round_ in range(max(len(p) for p in history)):
        rows = [_row(tie, ps[round_], s) for tie, ps, s in zip(TIES, history, strengths, strict=True)
                if round_ < len(ps)]  # fmt: skip
        if rows:
            _load_edges(driver, db, folder / f"round-{round_}.csv", rows)
    read = {day: _as_read(driver, db, START + timedelta(days=day)) for day in days}

    for day in days:
        on = START + timedelta(days=day)
        _reset(driver, db)
        alive = [
            _row(tie, (period[0], None), s)
            for tie, ps, s in zip(TIES, history, strengths, strict=True)
            for period in ps
            if _held(period, on)
        ]
        if alive:
            _load_edges(driver, db, folder / f"alive-{day}.csv", alive)
        assert read[day] == _as_read(driver, db, None), f"as of {on}"
