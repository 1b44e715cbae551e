"""Matching candidates to a vacancy, and vacancies to a person.

Reads are batched: the vacancy, its candidates' facts, the providers of every
step a gap needs, and the referral network for the best path from the hub are
each one query, however many candidates come back.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import networkx as nx
from neo4j import Driver, ManagedTransaction
from pydantic import BaseModel, Field

from graph.algorithms.matching import MatchWeights, gaps_for, score, score_factors, total
from graph.algorithms.referral_paths import PathMode, best_paths_to
from graph.cypher import matching as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.matching import (
    CandidateFacts,
    CandidateKind,
    Gap,
    GapProvider,
    Match,
    VacancyRequirements,
)
from graph.models.paths import PathNode, ReferralPath
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.history import as_of_day
from graph.services.kept_answers import KeptAnswers
from graph.services.paths import as_referral_path, load_referral_network, word_of_mouth_rule
from graph.vocabulary import Label

__all__ = [
    "CandidateFilter",
    "candidate_kinds",
    "MAX_FIRST",
    "matching_candidates",
    "opportunities_for",
    "person_facts",
    "vacancy_requirements",
]

MAX_FIRST = 100
HUB_PATH_HOPS = 6

# The caller's places (``Caller.places_param``); None: every place.
Places = Collection[str] | None


class CandidateFilter(BaseModel):
    stages: list[str] | None = None
    right_to_work_only: bool = False
    local_only: bool = False
    min_score: float | None = Field(None, ge=0, le=1)


def vacancy_requirements(
    driver: Driver, database: str, ids: Iterable[str], places: Places = None
) -> dict[str, VacancyRequirements]:
    """The vacancies among ``ids`` in ``places`` (None: every place); the others are
    absent, as unknown ids are."""
    records, _, _ = driver.execute_query(
        q.VACANCY_REQUIREMENTS, vacancy_ids=sorted(set(ids)), places=_listed(places),
        database_=database, routing_="r",
    )  # fmt: skip
    found = (VacancyRequirements.model_validate(r["vacancy"]) for r in records)
    return {v.id: v for v in found}


def _requirements_read(
    ids: Iterable[str], places: Places
) -> Callable[[ManagedTransaction], list[VacancyRequirements]]:
    wanted = sorted(set(ids))

    def work(tx: ManagedTransaction) -> list[VacancyRequirements]:
        records = tx.run(q.VACANCY_REQUIREMENTS, vacancy_ids=wanted, places=_listed(places))
        return [VacancyRequirements.model_validate(r["vacancy"]) for r in records]

    return work


def person_facts(
    driver: Driver, database: str, ids: Iterable[str], places: Places = None
) -> dict[str, CandidateFacts]:
    """Facts of the consenting people among ``ids`` in ``places`` (None: every place);
    the others are simply absent."""
    records, _, _ = driver.execute_query(
        q.PERSON_FACTS,
        person_ids=sorted(set(ids)),
        places=_listed(places),
        as_of=as_of_day(),
        database_=database,
        routing_="r",
    )
    found = (CandidateFacts.model_validate(r["person"]) for r in records)
    return {p.id: p for p in found}


def candidate_kinds(
    driver: Driver,
    database: str,
    vacancies: Sequence[VacancyRequirements],
    *,
    for_gaps: bool = False,
    places: Places = None,
) -> list[CandidateKind]:
    """Every consenting person of ``places`` (None: every place) trained for, or
    holding a skill (or a BROADER neighbour of one) required by, any of ``vacancies``,
    grouped by their facts cut down to what those vacancies ask: the same scores and
    gaps as their whole facts.

    ``for_gaps`` reads only what the gaps depend on: the essential skills (someone
    who holds none of them, nor anything near, is not supply for the role) and no
    places. Scores read from such facts are not the real ones."""
    skill_ids = sorted(
        {s.id for v in vacancies for s in v.essential}
        if for_gaps
        else {s for v in vacancies for s in v.skill_ids}
    )
    occupation_ids = sorted({v.occupation_id for v in vacancies if v.occupation_id})
    areas = [] if for_gaps else sorted({p for v in vacancies for p in v.places})
    within = {
        str(r["area"]): [str(p) for p in r["places"]]
        for r in driver.execute_query(
            q.AREAS_WITHIN, vacancy_areas=areas, database_=database, routing_="r"
        ).records
    } if areas else {}  # fmt: skip
    records, _, _ = driver.execute_query(
        q.CANDIDATE_KINDS,
        occupation_ids=occupation_ids,
        skill_ids=skill_ids,
        area_places=within,
        vacancy_areas=areas,
        places=_listed(places),
        database_=database,
        routing_="r",
    )
    kinds = []
    for record in records:
        kind, people = dict(record["kind"]), sorted(record["people"])
        kind["recognitions"] = [
            {"occupation_id": occupation, "status": status}
            for occupation, statuses in zip(occupation_ids, kind["recognitions"], strict=True)
            for status in statuses
        ]
        facts = CandidateFacts.model_validate({**kind, "id": people[0]})
        kinds.append(CandidateKind(facts=facts, people=people))
    return kinds


def matching_candidates(
    driver: Driver,
    database: str,
    vacancy_id: str,
    *,
    first: int = 20,
    filters: CandidateFilter | None = None,
    weights: MatchWeights | None = None,
    index: CandidateIndexHolder | None = None,
    places: Places = None,
    kept: KeptAnswers | None = None,
    seen: int | None = None,
) -> list[Match]:
    """People ranked for a vacancy, each with the factors of the score, the gaps
    still open (and who closes them), and the best referral path from the hub: all
    of ``places`` (None: every place), the vacancy as well.

    With an ``index`` that is up to date, the ranking comes from it; otherwise from
    the graph. Either way the people returned are read afresh. ``kept`` and ``seen``:
    the hub paths' backbone, as ``load_referral_network`` takes them."""
    _check_first(first)
    filters = filters or CandidateFilter()
    weights = weights or MatchWeights()
    if index is not None:
        # The index is checked by the bookmark of this very read: no extra round trip.
        found, current = index.read_with_index(_requirements_read([vacancy_id], places))
    else:
        found = list(vacancy_requirements(driver, database, [vacancy_id], places).values())
        current = None
    vacancy = next((v for v in found if v.id == vacancy_id), None)
    if vacancy is None:
        raise NotFoundError(f"vacancyId: no vacancy with id {vacancy_id!r}")
    if current is not None:
        ranked = current.rank(
            vacancy, weights, first, stages=filters.stages,
            right_to_work_only=filters.right_to_work_only, local_only=filters.local_only,
            min_score=filters.min_score, places=places,
        )  # fmt: skip
    else:
        ranked = _ranked_from_graph(driver, database, vacancy, first, filters, weights, places)
    people = [person for _, person in ranked]
    # The referral network for the hub paths is read while the facts and providers are.
    with ThreadPoolExecutor(max_workers=1) as reader:
        hub_paths = partial(load_referral_network, places=_listed(places), kept=kept, seen=seen)
        network = (
            reader.submit(hub_paths, driver, database, people)
            if vacancy.hub_id is not None and people
            else None
        )
        facts = person_facts(driver, database, people, places)
        top = [_match(facts[person], vacancy, weights) for person in people if person in facts]
        _attach_providers(driver, database, top, facts, places)
        if network is not None:
            _attach_hub_paths(network.result(), top, vacancy)
    return top


def _ranked_from_graph(
    driver: Driver,
    database: str,
    vacancy: VacancyRequirements,
    first: int,
    filters: CandidateFilter,
    weights: MatchWeights,
    places: Places,
) -> list[tuple[float, str]]:
    # Rank on the bare number, one per kind of person; the full breakdown is built
    # only for those returned.
    scored = [
        (score(kind.facts, vacancy, weights), kind)
        for kind in candidate_kinds(driver, database, [vacancy], places=places)
        if _passes(kind.facts, vacancy, filters)
    ]
    if filters.min_score is not None:
        scored = [(value, kind) for value, kind in scored if value >= filters.min_score]
    ranked = heapq.nsmallest(
        first, ((-value, person) for value, kind in scored for person in kind.people)
    )
    return [(-negative, person) for negative, person in ranked]


def opportunities_for(
    driver: Driver,
    database: str,
    person_id: str,
    *,
    first: int = 20,
    weights: MatchWeights | None = None,
    places: Places = None,
) -> list[Match]:
    """Open vacancies ranked for a person, with the same breakdown as matching: the
    person, the vacancies and everything shown of ``places`` (None: every place)."""
    _check_first(first)
    weights = weights or MatchWeights()
    person = person_facts(driver, database, [person_id], places).get(person_id)
    if person is None:
        raise NotFoundError(f"personId: no person with id {person_id!r}")
    records, _, _ = driver.execute_query(
        q.OPEN_VACANCY_IDS_FOR, person_id=person_id, places=_listed(places),
        database_=database, routing_="r",
    )  # fmt: skip
    vacancies = vacancy_requirements(driver, database, (r["id"] for r in records), places)
    matches = [_match(person, vacancy, weights) for vacancy in vacancies.values()]
    top = sorted(matches, key=lambda m: (-m.score, m.vacancy_id))[:first]
    _attach_providers(driver, database, top, {person.id: person}, places)
    if any(vacancies[m.vacancy_id].hub_id is not None for m in top):
        network = load_referral_network(driver, database, [person_id], places=_listed(places))
        for match in top:
            _attach_hub_paths(network, [match], vacancies[match.vacancy_id])
    return top


def _listed(places: Places) -> list[str] | None:
    return None if places is None else sorted(places)


def _check_first(first: int) -> None:
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInputError(f"first must be between 1 and {MAX_FIRST}")


def _passes(person: CandidateFacts, vacancy: VacancyRequirements, filters: CandidateFilter) -> bool:
    if filters.stages is not None and person.stage not in filters.stages:
        return False
    if filters.right_to_work_only and person.right_to_work is not True:
        return False
    return not (filters.local_only and not set(person.places) & set(vacancy.places))


def _match(person: CandidateFacts, vacancy: VacancyRequirements, weights: MatchWeights) -> Match:
    factors = score_factors(person, vacancy, weights)
    return Match(
        person_id=person.id,
        vacancy_id=vacancy.id,
        vacancy_title=vacancy.title,
        score=total(factors),
        factors=factors,
        gaps=gaps_for(person, vacancy),
    )


def _attach_providers(
    driver: Driver,
    database: str,
    matches: Sequence[Match],
    facts: dict[str, CandidateFacts],
    places: Places,
) -> None:
    service_types = sorted({t for m in matches for gap in m.gaps for t in gap.closed_by})
    if not service_types:
        return
    records, _, _ = driver.execute_query(
        q.GAP_PROVIDERS, service_types=service_types, places=_listed(places),
        database_=database, routing_="r",
    )  # fmt: skip
    by_type: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for r in records:
        by_type.setdefault(r["service_type"], []).append((r["id"], r["name"], r["service"]))
    for match in matches:
        supporters = set(facts[match.person_id].organisations)
        for gap in match.gaps:
            gap.providers = _providers(gap, by_type, supporters)


def _providers(
    gap: Gap, by_type: dict[str, list[tuple[str, str | None, str | None]]], supporters: set[str]
) -> list[GapProvider]:
    seen: dict[str, GapProvider] = {}
    for service_type in gap.closed_by:
        for org_id, name, service in by_type.get(service_type, []):
            seen.setdefault(
                org_id,
                GapProvider(
                    organisation_id=org_id,
                    organisation_name=name,
                    service=service,
                    supports_person=org_id in supporters,
                ),
            )
    # Organisations the person already trusts come first.
    return sorted(seen.values(), key=lambda p: (not p.supports_person, p.organisation_name or ""))


def _attach_hub_paths(
    graph: nx.DiGraph, matches: Sequence[Match], vacancy: VacancyRequirements
) -> None:
    """The best path from the vacancy's hub to each person, on a network read with
    every one of them."""
    if vacancy.hub_id is None or not matches:
        return
    hub = (Label.DEPARTMENT.value, vacancy.hub_id)
    found = best_paths_to(
        graph,
        [(Label.PERSON.value, match.person_id) for match in matches],
        hub,
        HUB_PATH_HOPS,
        PathMode.STRONGEST_TRUST,
        word_of_mouth_rule,
    )
    for match in matches:
        path = found.get((Label.PERSON.value, match.person_id))
        if path is not None:
            forward = as_referral_path(graph, path.nodes, path.hops, path.cost)
            match.referral_path = _from_the_hub(forward)


def _from_the_hub(path: ReferralPath) -> ReferralPath:
    """The same path read from the hub towards the person."""
    nodes: list[PathNode] = list(reversed(path.nodes))
    return ReferralPath(
        nodes=nodes,
        relationships=list(reversed(path.relationships)),
        hops=path.hops,
        cost=path.cost,
        explanation=" → ".join(reversed(path.explanation.split(" → "))),
    )
