"""Brokerage gaps for one anchor (and optionally one occupation)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from typing import cast

import networkx as nx
from neo4j import Driver

from graph.algorithms import brokerage_gaps as algo
from graph.algorithms.matching import gap_profile, open_gap_count
from graph.cypher import brokerage as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.brokerage import (
    BrokerageGaps,
    CriticalBroker,
    CriticalTie,
    SuggestedLink,
    UnlinkedGroup,
)
from graph.models.paths import PathNode
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.ingest import existing_ids
from graph.services.matching import candidate_kinds, vacancy_requirements
from graph.services.paths import load_referral_network
from graph.services.reads import read_rows, read_values
from graph.vocabulary import Label

__all__ = ["MAX_HOPS", "brokerage_gaps"]

MAX_HOPS = 10
# "Meets the essential requirements or is one step away": at most one open gap.
MAX_OPEN_GAPS = 1


def brokerage_gaps(
    driver: Driver,
    database: str,
    anchor_id: str,
    *,
    occupation_id: str | None = None,
    max_hops: int = 6,
    suggestions: int = 5,
    index: CandidateIndexHolder | None = None,
) -> BrokerageGaps:
    """Who could fill the anchor's shortage vacancies but has no referral path to it,
    which organisations and ties the linked rest depend on, and which new ties
    would reconnect the most people. An up-to-date ``index`` finds the candidates
    faster; the answer is the same."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInputError(f"maxHops must be between 1 and {MAX_HOPS}")
    if not existing_ids(driver, database, Label.ANCHOR_INSTITUTION, [anchor_id]):
        raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
    candidates = _candidates(driver, database, anchor_id, occupation_id, index)
    # Only the organisational backbone is a graph; people enter it as groups that
    # share the same ways in, read in one query.
    graph = load_referral_network(driver, database, [])
    anchor = (Label.ANCHOR_INSTITUTION.value, anchor_id)
    distance = algo.distances_to(graph, anchor)
    entries, serving = _entry_points(driver, database, graph, candidates, distance, max_hops)
    groups = Counter(entries.values())
    unlinked = sorted(p for p, e in entries.items() if not algo.reaches(e, distance, max_hops))
    hubs = [(Label.DEPARTMENT.value, r["id"]) for r in read_rows(driver, database, q.ANCHOR_HUBS,
                                                               anchor_id=anchor_id)]  # fmt: skip
    brokers = algo.critical_nodes(graph, anchor, groups, max_hops)
    ties = algo.critical_ties(graph, anchor, groups, max_hops)
    links = algo.suggest_links(graph, anchor, groups, max_hops, limit=suggestions, prefer=hubs)
    return BrokerageGaps(
        anchor_id=anchor_id,
        occupation_id=occupation_id,
        max_hops=max_hops,
        candidates=len(candidates),
        linked=len(candidates) - len(unlinked),
        unlinked_supply=_unlinked_groups(graph, unlinked, serving),
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


def _candidates(
    driver: Driver,
    database: str,
    anchor_id: str,
    occupation_id: str | None,
    index: CandidateIndexHolder | None,
) -> list[str]:
    vacancy_ids = [
        str(r["id"])
        for r in read_rows(
            driver,
            database,
            q.SHORTAGE_VACANCY_IDS,
            anchor_id=anchor_id,
            occupation_id=occupation_id,
        )  # fmt: skip
    ]
    vacancies = list(vacancy_requirements(driver, database, vacancy_ids).values())
    if not vacancies:
        return []
    profiles = list({gap_profile(v): v for v in vacancies}.values())
    current = index.current() if index is not None else None
    if current is not None:
        return current.gap_candidates(vacancies, profiles, MAX_OPEN_GAPS)
    return sorted(
        person
        for kind in candidate_kinds(driver, database, vacancies, for_gaps=True)
        if any(open_gap_count(kind.facts, v) <= MAX_OPEN_GAPS for v in profiles)
        for person in kind.people
    )


def _entry_points(
    driver: Driver,
    database: str,
    graph: nx.DiGraph,
    person_ids: list[str],
    distance: dict[Hashable, int],
    max_hops: int,
) -> tuple[dict[str, algo.EntryPoints], dict[str, list[str]]]:
    """Each person's ways in (for someone with a route, only those that reach the
    anchor), and the organisations that serve them directly. Organisations met
    this way join ``graph`` (with their names) if it lacks them."""
    organisation = Label.COMMUNITY_ORGANISATION.value
    hops_from = {
        cast(tuple[str, str], node)[1]: hops
        for node, hops in distance.items()
        if cast(tuple[str, str], node)[0] == organisation
    }
    entries: dict[str, algo.EntryPoints] = {}
    serving: dict[str, list[str]] = {}
    met: set[str] = set()
    for person, organisations, hops, served_by in read_values(
        driver, database, q.ENTRY_POINTS, person_ids=person_ids, distance=hops_from,
        max_hops=max_hops,
    ):  # fmt: skip
        entries[person] = frozenset(
            ((organisation, org), int(h)) for org, h in zip(organisations, hops, strict=True)
        )
        serving[person] = sorted(served_by)
        met.update(organisations)
    unnamed = sorted(org for org in met if (organisation, org) not in graph)
    for row in read_rows(driver, database, q.ORGANISATION_NAMES, organisation_ids=unnamed):
        graph.add_node((organisation, row["id"]), name=row["name"])
    return entries, serving


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
    reason = (
        f"{source.name or source.id} serves {link.reconnects} "
        f"{'person' if link.reconnects == 1 else 'people'} with no referral route to "
        f"{anchor_name} within {max_hops} hops; a referral tie to {target.name or target.id} "
        f"puts it {link.hops_after} hop{'s' if link.hops_after != 1 else ''} from {anchor_name}"
    )
    return SuggestedLink(source=source, target=target, reconnects=link.reconnects, reason=reason)
