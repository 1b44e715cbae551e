"""Every query that reads a tie of a history type sees only the ties that held on
``$as_of``: each relationship pattern of such a type binds a variable, and the
query holds ``held_on`` of that variable (graph/cypher/history.py), the one
definition, so a new query cannot forget it or state it differently.

The queries left out say why below, by name, but for two modules other work owns.
"""

from __future__ import annotations

import re

import pytest

from graph.cypher import ingest_edges
from graph.cypher.history import held_on
from graph.vocabulary import HISTORY_TYPES
from tests.graph.test_cypher_sweep import CONSTANTS

# Relationship patterns: ``[r:KNOWS|MENTORED_BY ...`` or ``[:SUPPORTED_BY]``.
_PATTERN = re.compile(r"\[\s*(\w*)\s*:\s*(\w+(?:\s*\|\s*\w+)*)")
_HISTORY = {str(t) for t in HISTORY_TYPES}

# Queries that touch ties of a history type but must not filter them by day.
NOT_AS_OF: dict[str, str] = {
    # Writers: they choose the period they write (the edge rule, a load's end of a tie).
    **{
        f"ingest_edges.{name}": "writes a period (graph/cypher/ingest_edges.py)"
        for name, query in vars(ingest_edges).items()
        if name.startswith("MERGE_") and "OPTIONAL CALL" in query
    },
    "ingest_links.LINK_PERSON_ORGANISATIONS": "writes into the open period",
    "ingest_links.LINK_PROPERTIES": "ends the owner it replaces",
    "hub_actions.RECORD_REFERRAL": "counts a referral on the open period",
    # Bookkeeping that compares everything a people batch may change, every period.
    "ingest_nodes.PEOPLE_STATES": "a batch's before-and-after, every period",
    # Every tie there (the store's degree) less those its held_on finds not held that day.
    "explore_links.ORGANISATION_PEOPLE_COUNTS": "all ties less the ones not held",
}


def unfiltered_ties(query: str) -> list[str]:
    """The relationship patterns of a history type in ``query`` not tested with
    ``held_on`` (an unnamed one cannot be). A variable bound in several patterns
    (``r`` in each branch of a union) needs a test for each of them."""
    missing = []
    bound: dict[str, int] = {}
    for match in _PATTERN.finditer(query):
        variable, types = match.group(1), {t.strip() for t in match.group(2).split("|")}
        if not types & _HISTORY:
            continue
        bound[variable] = bound.get(variable, 0) + 1
        tested = query.count(held_on(variable)) if variable else 0
        if tested < bound[variable] or "$as_of" not in query:
            missing.append(match.group(0))
    return missing


READERS = [(name, query) for name, query in CONSTANTS if _PATTERN.search(query)]


def test_the_walk_sees_the_network_readers() -> None:
    names = {name for name, query in READERS if not unfiltered_ties(query)}
    assert {
        "paths.REFERRAL_NETWORK",
        "brokerage.ENTRY_POINTS",
        "brokerage.FAR_ENTRY_POINTS",
        "place_view.NETWORK_TIES",
        "place_view.ANCHOR_ORGANISATION_TIES",
        "analytics.RELATIONSHIPS_KNOWS",
        "explore_links.ORGANISATION_PARTNERS",
    } <= names


def test_every_exemption_names_a_query_that_reads_history() -> None:
    # A stale exemption would let a new query of the same name through unseen.
    readers = {name for name, query in READERS}
    assert sorted(set(NOT_AS_OF) - readers) == []


HELD = READERS


@pytest.mark.parametrize(("name", "query"), HELD, ids=[name for name, _ in HELD])
def test_every_tie_of_a_history_type_is_read_as_of_the_day(name: str, query: str) -> None:
    if name in NOT_AS_OF:
        assert unfiltered_ties(query), f"{name} tests the day now: drop its exemption"
        return
    assert unfiltered_ties(query) == []


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a)-[r:REFERS_TO]->(b) RETURN a, b",
        "MATCH (p)-[:KNOWS|MENTORED_BY]-(f) RETURN f",
        "MATCH (a)-[r:PART_OF|PARTNERS_WITH]->(b) WHERE r.until IS NULL RETURN b",
        "MATCH (a)-[r:OWNS]->(b) WHERE " + held_on("s") + " RETURN b",
        "CALL () { MATCH (a)-[r:KNOWS]->(b) WHERE " + held_on("r") + " RETURN b "
        "UNION MATCH (a)-[r:REFERS_TO]->(b) RETURN b } RETURN b",
    ],
)
def test_the_check_catches_a_tie_read_whatever_the_day(query: str) -> None:
    assert unfiltered_ties(query) != []


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a)-[r:REFERS_TO]->(b) WHERE " + held_on("r") + " RETURN b",
        "MATCH (a)-[:PART_OF]->(b) RETURN b",
        "MATCH (p)(()-[k:KNOWS WHERE " + held_on("k") + "]-(x)){0,2}(q) RETURN q",
    ],
)
def test_the_check_passes_ties_read_as_of_the_day(query: str) -> None:
    assert unfiltered_ties(query) == []
