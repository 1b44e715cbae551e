"""The pathway question: one ranked set of whole routes from a person (or an organisation)
to a vacancy, with the steps that close the person's gaps placed on the way.

Reads the vacancy's requirements and the person's facts as matching does, the
organisations offering each step, the referral network with the person's word-of-mouth
ties, and the anchor's funnel for how long each stage took; the route itself is
``graph.algorithms.pathway``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date
from itertools import pairwise
from typing import cast

import networkx as nx
from neo4j import Driver

from graph.access import Caller, Role, share_scope
from graph.algorithms.matching import gaps_for
from graph.algorithms.pathway import STEP_STAGE, RankedRoute, Step, k_best_routes, pathway_steps
from graph.algorithms.referral_paths import PathMode
from graph.cypher import matching as matching_q
from graph.cypher import pathway as q
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.models.funnel import StageFigures
from graph.models.matching import CandidateFacts, VacancyRequirements
from graph.models.paths import NodeKey, PathNode, PathStep
from graph.models.pathway import (
    Pathway,
    PathwayNeed,
    PathwayRoute,
    PathwayStep,
    StepRole,
)
from graph.services.history import as_of_day
from graph.services.ingest import existing_ids
from graph.services.matching import person_facts, vacancy_requirements
from graph.services.paths import (
    MAX_HOPS,
    check_path_limits,
    explain,
    load_referral_network,
    word_of_mouth_rule,
)
from graph.services.place_view import funnel
from graph.services.reads import read_rows
from graph.vocabulary import Label

__all__ = ["PATHWAY_STARTS", "pathway"]

# Where a route without a person starts: an organisation or one of an anchor's departments.
PATHWAY_STARTS = (Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT)
NOBODY_IN_SCOPE = "personId: no person you may see has that id"
_PERSON = Label.PERSON.value
NodeId = tuple[str, str]


def pathway(
    driver: Driver,
    database: str,
    caller: Caller,
    start: NodeKey,
    vacancy_id: str,
    *,
    k: int = 3,
    max_hops: int = MAX_HOPS,
    mode: PathMode = PathMode.FEWEST_HOPS,
    as_of: date | None = None,
) -> Pathway:
    """The ``k`` best whole routes from ``start`` to the vacancy.

    From a person (caseworkers and administrators only): the person's own gaps for the
    vacancy, each closed by a provider on the route in the order the pathway needs them.
    A caseworker asks only for their organisation's people (supported by it, or sharing
    consent with it, or with the hub for a hub's caseworker); anyone else reads as an
    unknown id. From an organisation: the route for a newcomer who meets none of the
    vacancy's requirements yet, but has the right to work; no person is read.

    The routes go over the ties that held on ``as_of`` (today when None), and the
    stages' times are the funnel's as the stage histories stood then. The person's
    facts, the vacancy's requirements and who provides what are today's: none keeps a
    history; nor does who may ask about the person, which is whom they share with now.
    """
    check_path_limits(k, max_hops)
    # Everything is read in the caller's places: a node only in another place reads as
    # an unknown id, and no route steps onto one.
    places = caller.places_param
    vacancy = vacancy_requirements(driver, database, [vacancy_id], places).get(vacancy_id)
    if vacancy is None:
        raise NotFoundError(f"vacancyId: no vacancy with id {vacancy_id!r}")
    if start.label is Label.PERSON:
        facts = _person_for(driver, database, caller, start.id)
    elif start.label in PATHWAY_STARTS:
        if not existing_ids(driver, database, start.label, [start.id], places):
            raise NotFoundError(f"organisationId: no {start.label} with id {start.id!r}")
        # A newcomer with no record of anything but the right to work.
        facts = CandidateFacts(id="", right_to_work=True)
    else:
        raise InvalidInputError(f"the start must be a person or an organisation, not {start.label}")
    steps = pathway_steps(gaps_for(facts, vacancy), vacancy)
    providers = _providers(driver, database, steps, places)
    times = _times(driver, database, vacancy, steps, places, as_of)
    needs = [_need(step, providers[step.kind], times.get(step.kind)) for step in steps]
    met = [(step, need) for step, need in zip(steps, needs, strict=True) if need.provider_ids]
    person_ids = [start.id] if start.label is Label.PERSON else []
    graph = load_referral_network(
        driver, database, person_ids, [vacancy.id], as_of=as_of, places=places
    )
    organisation = Label.COMMUNITY_ORGANISATION.value
    routes = k_best_routes(
        graph,
        start.as_tuple(),
        (Label.VACANCY.value, vacancy.id),
        [frozenset((organisation, i) for i in need.provider_ids) for _, need in met],
        k,
        max_hops,
        mode,
        word_of_mouth_rule,
    )
    supporters = set(facts.organisations)
    return Pathway(
        vacancy_id=vacancy.id,
        vacancy_title=vacancy.title,
        start=_node(graph, start.as_tuple()),
        needs=needs,
        unmet=[need for need in needs if not need.provider_ids],
        routes=[
            _as_route(graph, rank, route, met, providers, vacancy, supporters)
            for rank, route in enumerate(routes, start=1)
        ],
    )


def _person_for(driver: Driver, database: str, caller: Caller, person_id: str) -> CandidateFacts:
    if caller.role not in (Role.CASEWORKER, Role.ADMIN):
        raise ForbiddenError("a person's pathway is for caseworkers and administrators")
    organisation = caller.organisation_id or ""
    rows = read_rows(
        driver, database, q.PERSON_IN_CASEWORK_SCOPE, person_id=person_id,
        everyone=caller.role is Role.ADMIN, organisation_id=organisation,
        scope=share_scope(organisation), as_of=as_of_day(), places=caller.places_param,
    )  # fmt: skip
    facts = (
        person_facts(driver, database, [person_id], caller.places_param).get(person_id)
        if rows
        else None
    )
    if facts is None:
        # The same words as for an unknown id: whether this person exists is not the
        # caller's to learn from here.
        raise NotFoundError(NOBODY_IN_SCOPE)
    return facts


# Service type -> [(organisation id, service name)]
Providers = dict[str, list[tuple[str, str | None]]]


def _providers(
    driver: Driver, database: str, steps: Sequence[Step], places: Sequence[str] | None
) -> dict[str, Providers]:
    """For each step, its providers in ``places`` by service type, in the step's order
    of services."""
    service_types = sorted({s for step in steps for s in step.services})
    by_type: Providers = {}
    if service_types:
        for row in read_rows(driver, database, matching_q.GAP_PROVIDERS,
                             service_types=service_types, places=places):  # fmt: skip
            by_type.setdefault(row["service_type"], []).append((row["id"], row["service"]))
    return {step.kind: {s: by_type.get(s, []) for s in step.services} for step in steps}


def _times(
    driver: Driver,
    database: str,
    vacancy: VacancyRequirements,
    steps: Sequence[Step],
    places: Sequence[str] | None,
    as_of: date | None = None,
) -> dict[str, StageFigures]:
    """The anchor's funnel figures (how long people of ``places`` took, as their stage
    histories stood on ``as_of``) for each step's stage."""
    staged = {step.kind: STEP_STAGE.get(step.kind) for step in steps}
    if vacancy.anchor_id is None or not any(staged.values()):
        return {}
    try:
        found = funnel(driver, database, vacancy.anchor_id, as_of=as_of, places=places)
    except NotFoundError:
        # The vacancy is in the caller's places but its anchor is not: no times to tell.
        return {}
    figures = {f.stage.value: f for f in found.stages}
    return {
        kind: figures[stage]
        for kind, stage in staged.items()
        if stage is not None and stage in figures
    }


def _need(step: Step, providers: Providers, time: StageFigures | None) -> PathwayNeed:
    ids = sorted({org for found in providers.values() for org, _ in found})
    return PathwayNeed(
        kind=step.kind,
        gaps=[gap.description for gap in step.gaps],
        services=list(step.services),
        provider_ids=ids,
        time=time,
    )


def _node(graph: nx.DiGraph, node: NodeId) -> PathNode:
    name = None if node[0] == _PERSON else graph.nodes[node].get("name") if node in graph else None
    return PathNode(label=Label(node[0]), id=node[1], name=name)


def _as_route(
    graph: nx.DiGraph,
    rank: int,
    route: RankedRoute,
    met: Sequence[tuple[Step, PathwayNeed]],
    providers: dict[str, Providers],
    vacancy: VacancyRequirements,
    supporters: set[str],
) -> PathwayRoute:
    nodes = cast(Sequence[NodeId], route.nodes)
    closed: dict[int, list[Step]] = {}
    for (step, _), position in zip(met, route.closed_at, strict=True):
        closed.setdefault(position, []).append(step)
    ties = [_tie(graph, a, b, i in route.returns) for i, (a, b) in enumerate(pairwise(nodes), 1)]
    steps: list[PathwayStep] = []
    for position, node in enumerate(nodes):
        arrived = ties[position - 1] if position else None
        here = closed.get(position, [])
        onward = None
        if position + 1 < len(nodes):
            onward = (ties[position], nodes[position + 1])
        role, why = _role(graph, position, node, onward, here, vacancy, supporters)
        services = [
            name or service
            for step in here
            for service, found in providers[step.kind].items()
            for org, name in found
            if org == node[1]
        ]
        steps.append(
            PathwayStep(
                node=_node(graph, node),
                role=role,
                why=why,
                arrived_by=arrived,
                closes=[step.kind for step in here],
                services=list(dict.fromkeys(services)),
            )  # fmt: skip
        )
    return PathwayRoute(
        rank=rank,
        steps=steps,
        hops=route.hops,
        cost=route.cost,
        explanation=explain(graph, nodes),
    )


# A hop back, after a step, to whoever sent the person to the provider: the tie taken
# there, the other way.
BACK_TO = "BACK_TO"


def _tie(graph: nx.DiGraph, a: NodeId, b: NodeId, back: bool) -> PathStep:
    data = graph[b][a] if back else graph[a][b]
    return PathStep(type=BACK_TO if back else data["type"], strength=data["strength"])


_TIE_WORDS = {
    BACK_TO: "sends them back to",
    "SUPPORTED_BY": "is supported by",
    "KNOWS": "knows",
    "MENTORED_BY": "is mentored by",
    "REFERS_TO": "refers people to",
    "PARTNERS_WITH": "works in partnership with",
    "PART_OF": "is part of",
    "POSTS": "posts",
}


def _role(
    graph: nx.DiGraph,
    position: int,
    node: NodeId,
    next_hop: tuple[PathStep, NodeId] | None,
    closes: Sequence[Step],
    vacancy: VacancyRequirements,
    supporters: set[str],
) -> tuple[StepRole, str]:
    """Why this node stands on the route, in words a caseworker can read out."""
    onward = ""
    following = None
    if next_hop is not None:
        tie, following = next_hop[0].type, next_hop[1]
        onward = f"{_TIE_WORDS.get(tie, tie.lower())} {_name(graph, following)}"
    if closes:
        closed = "; ".join(gap.description for step in closes for gap in step.gaps)
        trusted = " (already supports the person)" if node[1] in supporters else ""
        then = f", then {onward}" if onward else ""
        return StepRole.CLOSES_GAP, f"closes: {closed}{trusted}{then}"
    if position == 0:
        who = "the person, who" if node[0] == _PERSON else "the start, which"
        return StepRole.START, f"{who} {onward}" if onward else who.split(",")[0]
    if node[0] == _PERSON:
        return StepRole.WORD_OF_MOUTH, f"someone they know, who {onward}"
    if node[0] == Label.VACANCY.value:
        return StepRole.VACANCY, f"the vacancy: {vacancy.title}"
    if following is not None and following[0] == Label.VACANCY.value:
        return StepRole.EMPLOYER, f"the employer, which {onward}"
    return StepRole.INTRODUCES, f"on the way: {onward}"


def _name(graph: nx.DiGraph, node: Hashable) -> str:
    key = cast(NodeId, node)
    if key[0] == _PERSON:
        return "someone they know"
    name = graph.nodes[key].get("name") or key[1]
    return f"the {name} vacancy" if key[0] == Label.VACANCY.value else str(name)
