"""Brokerage gaps for one anchor (and optionally one occupation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any, LiteralString, cast

import networkx as nx
import numpy as np
from neo4j import Driver, ManagedTransaction

from graph.algorithms import brokerage_gaps as algo
from graph.algorithms.backbone import Backbone, Routes
from graph.algorithms.candidate_index import CandidateIndex
from graph.algorithms.matching import gap_profile, open_gap_count
from graph.cypher import brokerage as q
from graph.cypher import matching as matching_q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.brokerage import (
    BrokerageGaps,
    CriticalBroker,
    CriticalTie,
    SuggestedLink,
    UnlinkedGroup,
)
from graph.models.matching import VacancyRequirements
from graph.models.paths import PathNode
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.history import as_of_day
from graph.services.matching import candidate_kinds
from graph.services.paths import read_referral_network
from graph.services.reads import read
from graph.vocabulary import Label

__all__ = ["MAX_HOPS", "brokerage_gaps"]

MAX_HOPS = 10
# "Meets the essential requirements or is one step away": at most one open gap.
MAX_OPEN_GAPS = 1
# Hops from a person to a friend's organisation. The anchor is at least one hop
# beyond any organisation, so with no more hops than this such a way in reaches
# nothing, cuts no one off and brings no one back through a new tie: it is not read.
FRIEND_HOPS = 2
# Hops from a person to a friend of a friend's organisation: the furthest way in.
FAR_HOPS = 3
_ORGANISATION = Label.COMMUNITY_ORGANISATION.value


def brokerage_gaps(
    driver: Driver,
    database: str,
    anchor_id: str,
    *,
    occupation_id: str | None = None,
    max_hops: int = 6,
    suggestions: int = 5,
    index: CandidateIndexHolder | None = None,
    as_of: date | None = None,
    places: Sequence[str] | None = None,
) -> BrokerageGaps:
    """Who could fill the anchor's shortage vacancies but has no referral path to it,
    which organisations and ties the linked rest depend on, and which new ties
    would reconnect the most people, over the ties that held on ``as_of`` (today
    when None) between nodes in ``places`` (``Caller.places_param``; None: every
    place). An anchor outside them is not found, as an unknown one is. An up-to-date
    ``index`` finds the candidates faster; the answer is the same."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInputError(f"maxHops must be between 1 and {MAX_HOPS}")
    scope = None if places is None else list(places)
    work = _shortage_read(anchor_id, occupation_id, scope)
    # The index is checked against the very read of the vacancies: no round trip more.
    shortage, current = (
        index.read_with_index(work) if index is not None else (read(driver, database, work), None)
    )
    if shortage is None:
        raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
    candidates = _candidates(driver, database, shortage.vacancies, current, scope)
    if not candidates:
        # Nobody to link: the referral network need not be read at all.
        return BrokerageGaps(anchor_id=anchor_id, occupation_id=occupation_id, max_hops=max_hops,
                             candidates=0, linked=0, unlinked_supply=[], critical_brokers=[],
                             critical_ties=[], suggested_links=[])  # fmt: skip
    anchor = (Label.ANCHOR_INSTITUTION.value, anchor_id)
    # Only the organisational backbone is a graph; people enter it by their ways in,
    # read just after it.
    place = _place_read(driver, database, candidates, anchor, max_hops, as_of_day(as_of), scope)
    graph, routes, ways = place.graph, place.routes, place.ways
    hubs = [(Label.DEPARTMENT.value, hub) for hub in shortage.hub_ids]
    brokers = algo.critical_nodes(routes, ways, max_hops)
    ties = algo.critical_ties(routes, ways, max_hops)
    links = algo.suggest_links(routes, ways, max_hops, limit=suggestions, prefer=hubs)
    return BrokerageGaps(
        anchor_id=anchor_id,
        occupation_id=occupation_id,
        max_hops=max_hops,
        # Counted from the read of their ways in, which checks consent again: someone
        # who withdrew since the candidates were found is no longer counted at all.
        candidates=place.considered,
        linked=place.considered - len(place.unlinked),
        unlinked_supply=_unlinked_groups(graph, place.unlinked, place.serving),
        critical_brokers=[
            CriticalBroker(node=_node(graph, node), pairs_cut=cut)
            for node, cut in sorted(brokers.items(), key=lambda item: (-item[1], str(item[0])))
        ],
        critical_ties=[
            CriticalTie(
                source=_node(graph, a),
                target=_node(graph, b),
                type=graph[a][b]["type"],
                pairs_cut=cut,
            )
            for (a, b), cut in sorted(ties.items(), key=lambda item: (-item[1], str(item[0])))
        ],
        suggested_links=[_suggestion(graph, link, anchor, max_hops) for link in links],
    )


@dataclass(frozen=True)
class _Shortage:
    vacancies: list[VacancyRequirements]
    hub_ids: list[str]


def _shortage_read(
    anchor_id: str, occupation_id: str | None, places: list[str] | None
) -> Callable[[ManagedTransaction], _Shortage | None]:
    """The anchor's open shortage vacancies with their requirements, and its hubs;
    None if there is no such anchor in ``places``."""

    def work(tx: ManagedTransaction) -> _Shortage | None:
        record = tx.run(
            q.ANCHOR_SHORTAGES, anchor_id=anchor_id, occupation_id=occupation_id, places=places
        ).single()
        if record is None:
            return None
        wanted = sorted({str(v) for v in record["vacancy_ids"]})
        found = (
            VacancyRequirements.model_validate(r["vacancy"])
            for r in (
                tx.run(matching_q.VACANCY_REQUIREMENTS, vacancy_ids=wanted, places=places)
                if wanted
                else []
            )
        )
        return _Shortage(
            list({v.id: v for v in found}.values()), [str(h) for h in record["hub_ids"]]
        )

    return work


def _candidates(
    driver: Driver,
    database: str,
    vacancies: list[VacancyRequirements],
    current: CandidateIndex | None,
    places: list[str] | None,
) -> list[str]:
    """The people of ``places`` who could fill one of ``vacancies``: the index, or the
    query that finds them, cuts to the places, so no person elsewhere is read again."""
    if not vacancies:
        return []
    profiles = list({gap_profile(v): v for v in vacancies}.values())
    if current is not None:
        return current.gap_candidates(vacancies, profiles, MAX_OPEN_GAPS, places)
    return sorted(
        person
        for kind in candidate_kinds(driver, database, vacancies, for_gaps=True, places=places)
        if any(open_gap_count(kind.facts, v) <= MAX_OPEN_GAPS for v in profiles)
        for person in kind.people
    )


@dataclass(frozen=True)
class _Place:
    graph: nx.DiGraph
    routes: Routes
    ways: algo.WaysIn  # of the unsettled people only: no one else is cut or reconnected
    unlinked: list[str]
    serving: dict[str, list[str]]
    considered: int  # the candidates still consenting when their ways in were read


def _place_read(
    driver: Driver,
    database: str,
    person_ids: list[str],
    anchor: Hashable,
    max_hops: int,
    as_of: date,
    places: list[str] | None,
) -> _Place:
    """The organisational backbone of ``places`` (with every organisation there,
    named), the ways in of each person there (the candidates elsewhere drop out),
    who has no route to ``anchor``, and the organisations that serve those people
    directly."""

    def backbone(tx: ManagedTransaction) -> nx.DiGraph:
        graph = read_referral_network(tx, [], as_of=as_of, places=places)
        organisations = tx.run(q.ORGANISATIONS, places=places).single(strict=True)["organisations"]
        graph.add_nodes_from(
            ((_ORGANISATION, org), {"name": name})
            for org, name in organisations
            if (_ORGANISATION, org) not in graph
        )
        return graph

    graph = read(driver, database, backbone)
    routes = Routes(Backbone(graph), anchor)
    number = _organisation_numbers(routes.backbone)
    # Read after the backbone (reads are read-committed either way): an organisation
    # made since is not numbered, so it is nobody's way in yet.
    rows = _people_rows(
        driver, database, q.ENTRY_POINTS, person_ids,
        numbers=number, friends=_friends_read(max_hops), as_of=as_of, places=places,
    )  # fmt: skip
    people = [row[0] for row in rows]
    direct = {row[0]: row[1] for row in rows}
    ways = _ways_in(len(people), 1, ((i, row[1]) for i, row in enumerate(rows)))
    ways = ways.merged(
        _ways_in(len(people), FRIEND_HOPS, ((i, row[2]) for i, row in enumerate(rows)))
    )
    # Whoever stays linked through these ways in, whatever is lost, counts in no
    # cut and no suggestion: only the others are read further and weighed.
    unsettled = algo.unsettled(routes, ways, max_hops)
    further = algo.further_matter(routes, ways, unsettled, max_hops, FAR_HOPS)
    wanted = np.flatnonzero(further).tolist()
    if wanted:
        row_of = {people[i]: i for i in wanted}
        far = _people_rows(driver, database, q.FAR_ENTRY_POINTS, [people[i] for i in wanted],
                           numbers=number, as_of=as_of, places=places)  # fmt: skip
        ways = ways.merged(
            _ways_in(len(people), FAR_HOPS, (
                (row_of[person], organisations) for person, organisations in far
            ))
        )  # fmt: skip
    reached = ways.reaching(routes.distance, max_hops).tolist()
    unlinked = sorted(person for person, ok in zip(people, reached, strict=True) if not ok)
    weighed = ways.where(unsettled[ways.person])
    # Who serves the unlinked directly: their own ways in, read above (every
    # organisation of the places is numbered), so no second read of the people.
    organisation_of = {n: org for org, n in number.items()}
    served = {person: sorted({organisation_of[n] for n in direct[person]}) for person in unlinked}
    return _Place(graph, routes, weighed, unlinked, served, len(people))


# From this many people on, their ways in are read in two halves at once: the server
# walks each on a core of its own (at 4,700 people on 2 cores, 345 ms became 236).
SPLIT_FROM = 1000


def _people_rows(
    driver: Driver,
    database: str,
    query: LiteralString,
    person_ids: list[str],
    **params: Any,
) -> list[Any]:
    """The packed rows (the column ``people``) of ``query`` for ``person_ids``, in
    their order: in two reads at once when there are many."""

    def rows(part: list[str]) -> list[Any]:
        def work(tx: ManagedTransaction) -> list[Any]:
            record = tx.run(query, person_ids=part, **params).single(strict=True)
            return cast(list[Any], record["people"])

        return read(driver, database, work)

    if len(person_ids) < SPLIT_FROM:
        return rows(person_ids)
    half = len(person_ids) // 2
    with ThreadPoolExecutor(max_workers=1) as other:
        first = other.submit(rows, person_ids[:half])
        second = rows(person_ids[half:])
        return [*first.result(), *second]


def _friends_read(max_hops: int) -> bool:
    """Whether a way in through a friend's organisation can count in the answer."""
    return max_hops > FRIEND_HOPS


def _organisation_numbers(backbone: Backbone) -> dict[str, int]:
    return {
        cast(tuple[str, str], node)[1]: i
        for node, i in backbone.index.items()
        if cast(tuple[str, str], node)[0] == _ORGANISATION
    }


def _ways_in(people: int, hops: int, rows: Iterable[tuple[int, list[int]]]) -> algo.WaysIn:
    """Ways in ``hops`` long, from (person's row, organisations' backbone numbers) rows."""
    listed = list(rows)
    flat = list(chain.from_iterable(organisations for _, organisations in listed))
    return algo.WaysIn(
        people=people,
        person=np.repeat(
            np.array([i for i, _ in listed], dtype=np.int64), [len(o) for _, o in listed]
        ),
        node=np.array(flat, dtype=np.int64),
        hops=np.full(len(flat), hops, dtype=np.int64),
    )


def _node(graph: nx.DiGraph, node: Hashable) -> PathNode:
    label, ident = cast(tuple[str, str], node)
    name = None if label == Label.PERSON.value else graph.nodes[node].get("name")
    return PathNode(label=Label(label), id=ident, name=name)


def _unlinked_groups(
    graph: nx.DiGraph, unlinked: list[str], serving: dict[str, list[str]]
) -> list[UnlinkedGroup]:
    by_organisation: dict[Hashable | None, list[str]] = defaultdict(list)
    for person in unlinked:
        organisations: list[Hashable | None] = [
            (Label.COMMUNITY_ORGANISATION.value, org) for org in serving[person]
        ]
        for org in organisations or [None]:
            by_organisation[org].append(person)
    groups = [
        UnlinkedGroup(
            organisation=_node(graph, org) if org is not None else None,
            people=len(people),
            person_ids=people,
        )
        for org, people in by_organisation.items()
    ]
    return sorted(groups, key=lambda g: (-g.people, g.organisation.id if g.organisation else ""))


def _suggestion(
    graph: nx.DiGraph, link: algo.SuggestedTie, anchor: Hashable, max_hops: int
) -> SuggestedLink:
    source, target = _node(graph, link.source), _node(graph, link.target)
    anchor_name = graph.nodes[anchor].get("name") or anchor[1]  # type: ignore[index]
    return SuggestedLink(
        source=source,
        target=target,
        reconnects=link.reconnects,
        anchor_name=anchor_name,
        max_hops=max_hops,
        hops_after=link.hops_after,
    )
