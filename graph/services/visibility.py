"""Which people a caller may see individually: the one rule, for every way out of the graph.

A person is seen individually (their node, id, ties, paths, rank) only when both hold:

- the caller's role sees individuals (analysts, caseworkers, administrators; never a place
  leader, a loader or nobody), and
- the person's consent is given and not withdrawn, and
- the person is in one of the caller's places (``Caller.places``; docs/places.md).

Everyone else is, to that caller, the same as an id that names nobody. Aggregates count
people without naming them and are protected by small-cell rules instead
(``graph/algorithms/disclosure.py``).

The GraphQL schema applies this rule to every person id that comes in as an argument and
to every person id in every answer (``schema/people_guard.py``); the analytics projection
applies it to the network it reads (``graph/analytics/projection.py``), so the CLI's
measures and exports follow it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from neo4j import Driver

from graph.access import Caller
from graph.cypher import lookups

__all__ = ["consented_person_ids", "hidden_person_ids", "visible_person_ids"]


def visible_person_ids(
    driver: Driver, database: str, caller: Caller | None, ids: Iterable[str]
) -> set[str]:
    """The subset of ``ids`` (external person ids) that ``caller`` may see individually."""
    wanted = set(ids)
    if caller is None or not caller.sees_individuals or not wanted:
        return set()
    return consented_person_ids(driver, database, wanted, places=caller.places_param)


def hidden_person_ids(
    driver: Driver, database: str, caller: Caller | None, ids: Iterable[str]
) -> set[str]:
    """The subset of ``ids`` that ``caller`` may not see: unknown, not consenting, or a
    role that sees people only as counts. Callers treat all three alike."""
    wanted = set(ids)
    return wanted - visible_person_ids(driver, database, caller, wanted)


def consented_person_ids(
    driver: Driver, database: str, ids: Iterable[str], *, places: Sequence[str] | None
) -> set[str]:
    """The subset of ``ids`` naming people whose consent is given and not withdrawn, in
    one of ``places`` (None: every place)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    records, _, _ = driver.execute_query(
        lookups.CONSENTED_PERSON_IDS,
        ids=wanted,
        places=None if places is None else list(places),
        database_=database,
        routing_="r",
    )
    return {record["id"] for record in records}
