"""Referral paths: read the referral network from Neo4j, rank paths on networkx."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from datetime import date
from functools import partial
from itertools import chain, pairwise
from typing import Any, cast

import networkx as nx
from neo4j import Driver, ManagedTransaction, Record

from graph.algorithms.referral_paths import (
    PathMode,
    Tie,
    TieTable,
    k_best_paths,
    network_of,
    tie_table,
)
from graph.cypher import paths as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.paths import NodeKey, PathNode, PathStep, ReferralPath
from graph.services.history import as_of_day
from graph.services.ingest import existing_ids
from graph.services.kept_answers import KeptAnswers, Question
from graph.services.visibility import consented_person_ids
from graph.vocabulary import Label

__all__ = [
    "PATH_SOURCES",
    "as_referral_path",
    "check_path_limits",
    "PATH_TARGETS",
    "WORD_OF_MOUTH_HOPS",
    "explain",
    "load_referral_network",
    "read_referral_network",
    "referral_paths",
    "word_of_mouth_rule",
]

PATH_SOURCES = frozenset({Label.PERSON, Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT})
PATH_TARGETS = frozenset(
    {
        Label.ANCHOR_INSTITUTION,
        Label.DEPARTMENT,
        Label.VACANCY,
        Label.COMMUNITY_ORGANISATION,
    }
)
# A person reaches an organisation through at most a friend of a friend.
WORD_OF_MOUTH_HOPS = 2
MAX_K = 10
MAX_HOPS = 10
_PERSON = Label.PERSON.value
NodeId = tuple[str, str]
_PEOPLE_TIES = frozenset({"KNOWS", "MENTORED_BY"})
_UNDIRECTED = frozenset({"KNOWS", "MENTORED_BY", "PARTNERS_WITH"})


def load_referral_network(
    driver: Driver,
    database: str,
    person_ids: Iterable[str],
    vacancy_ids: Iterable[str] = (),
    as_of: date | None = None,
    places: Sequence[str] | None = None,
    *,
    kept: KeptAnswers | None = None,
    seen: int | None = None,
) -> nx.DiGraph:
    """The organisational backbone, plus the word-of-mouth neighbourhoods of these
    people, with the ties that held on ``as_of`` (today when None) between nodes in
    ``places`` (None: every place). Vacancies have no ties out, so only ``vacancy_ids``
    are read: paths to an anchor, hub or organisation never pass through one.

    With ``kept``, the backbone is the one kept for that day and those places while no
    organisation or tie between them has changed (``seen``: a commit read after the
    question was asked, as ``KeptAnswers.answer`` takes it): it is most of the network's
    rows and the same for every person, so only the people's ties are read."""
    day = as_of_day(as_of)
    listed = None if places is None else sorted(places)
    people = sorted(set(person_ids))
    vacancies = sorted(set(vacancy_ids))
    if kept is None:
        record = driver.execute_query(
            q.REFERRAL_NETWORK, person_ids=people, vacancy_ids=vacancies, as_of=day,
            places=listed, database_=database, routing_="r",
        ).records[0]  # fmt: skip
        return _network(record)
    backbone = kept.answer(
        Question.REFERRAL_BACKBONE,
        (day, None if listed is None else tuple(listed)),
        _NO_PEOPLE,
        partial(_read_backbone, driver, database, day, listed),
        seen=seen,
    )
    record = driver.execute_query(
        q.NEIGHBOURHOOD, person_ids=people, vacancy_ids=vacancies, as_of=day, places=listed,
        database_=database, routing_="r",
    ).records[0]  # fmt: skip
    added = chain(_organisational(record["posts"]), _word_of_mouth(record["people"]))
    return network_of(tie_table(added, _UNDIRECTED, backbone))


def read_referral_network(
    tx: ManagedTransaction,
    person_ids: Iterable[str],
    vacancy_ids: Iterable[str] = (),
    as_of: date | None = None,
    places: Sequence[str] | None = None,
) -> nx.DiGraph:
    """``load_referral_network`` inside a transaction that reads more beside it."""
    record = tx.run(
        q.REFERRAL_NETWORK,
        person_ids=sorted(set(person_ids)),
        vacancy_ids=sorted(set(vacancy_ids)),
        as_of=as_of_day(as_of),
        places=None if places is None else list(places),
    ).single(strict=True)
    return _network(record)


# The backbone names organisations, never a person: one kept copy serves every caller
# (the places it was read for are part of its key).
_NO_PEOPLE = "organisations only"


def _read_backbone(driver: Driver, database: str, day: date, places: list[str] | None) -> TieTable:
    record = driver.execute_query(
        q.BACKBONE, as_of=day, places=places, database_=database, routing_="r"
    ).records[0]
    return tie_table(_organisational(record["ties"]), _UNDIRECTED)


def _network(record: Record) -> nx.DiGraph:
    ties = chain(_organisational(record["backbone"]), _word_of_mouth(record["people"]))
    return network_of(tie_table(ties, _UNDIRECTED))


def _organisational(rows: Iterable[list[Any]]) -> Iterator[Tie]:
    for a_label, a_id, a_name, b_label, b_id, b_name, rel_type, strength in rows:
        yield (a_label, a_id), a_name, (b_label, b_id), b_name, rel_type, strength


def _word_of_mouth(rows: Iterable[list[Any]]) -> Iterator[Tie]:
    for a_id, b_label, b_id, b_name, rel_type, strength in rows:
        yield (_PERSON, a_id), None, (b_label, b_id), b_name, rel_type, strength


def word_of_mouth_rule(node: Hashable) -> int | None:
    """People may stand only within the first two hops: nothing leads from an
    organisation back to a person, so this is the leading run of word of mouth."""
    if isinstance(node, tuple) and node[0] == _PERSON:
        return WORD_OF_MOUTH_HOPS
    return None


def explain(graph: nx.DiGraph, nodes: Sequence[NodeId]) -> str:
    """One line a person can read; people are never named."""
    words = []
    for index, node in enumerate(nodes):
        label = node[0]
        if label == _PERSON:
            words.append("this person" if index == 0 else "someone they know")
        elif label == Label.VACANCY.value:
            words.append(f"{graph.nodes[node].get('name') or 'a'} vacancy")
        else:
            words.append(str(graph.nodes[node].get("name") or node[1]))
    return " → ".join(words)


def referral_paths(
    driver: Driver,
    database: str,
    source: NodeKey,
    target: NodeKey,
    *,
    k: int = 3,
    max_hops: int = 6,
    mode: PathMode = PathMode.FEWEST_HOPS,
    as_of: date | None = None,
    places: Sequence[str] | None = None,
    kept: KeptAnswers | None = None,
    seen: int | None = None,
) -> list[ReferralPath]:
    """The ``k`` best referral paths from a person or organisation to an anchor, hub,
    vacancy or organisation, over trust and referral ties (see graph/cypher/paths.py)
    as they held on ``as_of`` (today when None), never stepping outside ``places``
    (``Caller.places_param``; None: every place). An end outside them is answered as
    an unknown id. ``kept`` and ``seen``: as ``load_referral_network`` takes them."""
    check_path_limits(k, max_hops)
    if source.label not in PATH_SOURCES:
        raise InvalidInputError(f"from must be a person or an organisation, not {source.label}")
    if target.label not in PATH_TARGETS:
        raise InvalidInputError(
            f"to must be an anchor, hub, vacancy or organisation, not {target.label}"
        )
    person_ids = [source.id] if source.label is Label.PERSON else []
    vacancy_ids = [target.id] if target.label is Label.VACANCY else []
    graph = load_referral_network(
        driver, database, person_ids, vacancy_ids, as_of, places, kept=kept, seen=seen
    )
    ranked = k_best_paths(
        graph, source.as_tuple(), target.as_tuple(), k, max_hops, mode, word_of_mouth_rule
    )
    if not ranked:
        # Only now is it worth two more round trips to tell "no route" from "no such node".
        for key, name in ((source, "from"), (target, "to")):
            if not _exists(driver, database, key, places):
                raise NotFoundError(f"{name}: no {key.label} with id {key.id!r}")
    return [as_referral_path(graph, path.nodes, path.hops, path.cost) for path in ranked]


def check_path_limits(k: int, max_hops: int) -> None:
    """How many paths and how many hops a caller may ask for."""
    if not 1 <= k <= MAX_K:
        raise InvalidInputError(f"k must be between 1 and {MAX_K}")
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInputError(f"maxHops must be between 1 and {MAX_HOPS}")


def _exists(driver: Driver, database: str, key: NodeKey, places: Sequence[str] | None) -> bool:
    # A person who has not consented, and a node of a place the caller may not see,
    # must look exactly like one that does not exist.
    if key.label is Label.PERSON:
        return bool(consented_person_ids(driver, database, [key.id], places=places))
    return bool(existing_ids(driver, database, key.label, [key.id], places))


def as_referral_path(
    graph: nx.DiGraph, ranked: Sequence[Hashable], hops: int, cost: float
) -> ReferralPath:
    nodes = cast(Sequence[NodeId], ranked)
    path_nodes = [
        PathNode(
            label=Label(node[0]),
            id=node[1],
            name=None if node[0] == _PERSON else graph.nodes[node].get("name"),
        )
        for node in nodes
    ]
    steps = [
        PathStep(type=graph[a][b]["type"], strength=graph[a][b]["strength"])
        for a, b in pairwise(nodes)
    ]
    return ReferralPath(
        nodes=path_nodes,
        relationships=steps,
        hops=hops,
        cost=cost,
        explanation=explain(graph, nodes),
    )
