"""The place leaders' view of one anchor: its pipeline funnel, the facts behind the
impact estimate, its footprint, and the partnership network around it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from neo4j import Driver
from pydantic import BaseModel

from graph.algorithms.funnel import EPOCH, Pipeline, StagePath, epoch_day, pipeline_figures
from graph.cypher import place_view as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.anchors import MACRO_ASSET_EMPLOYEES, MACRO_ASSET_SPEND_GBP, AnchorInstitution
from graph.models.footprint import (
    Footprint,
    LandHolding,
    MacroAssetTest,
    NetworkNode,
    NetworkTie,
    OrganisationsInYear,
    PartnershipNetwork,
)
from graph.models.funnel import Funnel, FunnelGroup, FunnelGroupBy
from graph.models.impact import PlacedGroup, PlacementFacts
from graph.models.people import ReadinessStage
from graph.services.history import as_of_day
from graph.services.ingest import existing_ids
from graph.services.reads import read_rows, read_values
from graph.vocabulary import Label

__all__ = [
    "GroupPath",
    "Placements",
    "anchor_footprint",
    "as_it_stood",
    "check_period",
    "funnel",
    "funnel_of_paths",
    "partnership_network",
    "placements",
    "require_anchor",
]

# In paid work now: the stages a placement into a post leads to.
WORKING_STAGES = (ReadinessStage.EMPLOYED, ReadinessStage.REGISTERED)


def funnel(
    driver: Driver,
    database: str,
    anchor_id: str,
    *,
    start: date | None = None,
    end: date | None = None,
    group_by: FunnelGroupBy | None = None,
    as_of: date | None = None,
    places: Sequence[str] | None = None,
) -> Funnel:
    """How many of the anchor's pipeline reached each stage in the period, how many
    moved on, and the median days to the next stage; overall and by group. The
    pipeline is its people in ``places`` (None: every place; an anchor outside them is
    unknown), each as their stage history stood on ``as_of`` (today when None)."""
    check_period(start, end)
    day = as_of_day(as_of)
    scope = None if places is None else list(places)
    require_anchor(driver, database, anchor_id, scope)
    rows = read_values(driver, database, q.FUNNEL_STAGE_PATHS, anchor_id=anchor_id, epoch=EPOCH,
                       group_by=group_by.value if group_by is not None else None,
                       with_ids=False, places=scope)  # fmt: skip
    paths = [
        GroupPath(group_id, group_name, StagePath(stage, stage_names, days))
        for group_id, group_name, stage, stage_names, _, days, _ in rows
    ]
    return funnel_of_paths(
        anchor_id, as_it_stood(paths, day), start=start, end=end, group_by=group_by
    )


class GroupPath(NamedTuple):
    """The people of one group who share a stage path."""

    group_id: str | None
    group_name: str | None
    path: StagePath


def funnel_of_paths(
    anchor_id: str,
    paths: Iterable[GroupPath],
    *,
    start: date | None,
    end: date | None,
    group_by: FunnelGroupBy | None,
) -> Funnel:
    """The funnel's figures over the anchor's pipeline as stage paths, in any order."""
    grouped: dict[tuple[str | None, str | None], list[StagePath]] = defaultdict(list)
    for group_id, group_name, path in paths:
        grouped[(group_id, group_name)].append(path)
    ordered = sorted(grouped.items(), key=lambda item: _sort_key(*item[0]))
    pipeline = Pipeline.from_paths([path for _, found in ordered for path in found])
    groups = _group_figures(ordered, pipeline, start, end) if group_by is not None else []
    return Funnel(anchor_id=anchor_id, start=start, end=end, group_by=group_by,
                  stages=pipeline_figures(pipeline, start, end), groups=groups)  # fmt: skip


def as_it_stood(paths: Iterable[GroupPath], day: date) -> list[GroupPath]:
    """The paths as the people's stage histories stood at the end of ``day``: the
    steps taken after it left out, each person at the last stage they had reached by
    then, and anyone with no step by then (or no dated history) out of the pipeline.
    Today, or a later day, leaves the paths as they are.

    >>> path = StagePath("placement", ["engaged", "placement"], [[10, 20], [10, 40]])
    >>> [(g.path.stage, g.path.days)
    ...  for g in as_it_stood([GroupPath(None, None, path)], date(1970, 1, 31))]
    [('placement', [[10, 20]]), ('engaged', [[10]])]
    """
    found = list(paths)
    if day >= as_of_day():
        return found
    last = epoch_day(day)
    stood: dict[tuple[str | None, str | None, str, tuple[str, ...]], list[list[int]]] = {}
    for group_id, group_name, path in found:
        for person_days in path.days:
            steps = [
                (when, name)
                for name, when in zip(path.stage_names, person_days, strict=False)
                if when <= last
            ]
            if not steps:
                continue
            names = tuple(name for _, name in steps)
            stage = max(range(len(steps)), key=lambda i: (steps[i][0], i))
            key = (group_id, group_name, steps[stage][1], names)
            stood.setdefault(key, []).append([when for when, _ in steps])
    return [
        GroupPath(group_id, group_name, StagePath(stage, names, days))
        for (group_id, group_name, stage, names), days in stood.items()
    ]


def check_period(start: date | None, end: date | None) -> None:
    """Refuse a period that ends before it starts."""
    if start is not None and end is not None and start > end:
        raise InvalidInputError(f"from ({start}) is after to ({end})")


class Placements(BaseModel):
    """The exact facts behind the impact estimate, and the pay the anchor posts."""

    facts: PlacementFacts
    posted_salaries: dict[str, float]


def placements(
    driver: Driver,
    database: str,
    anchor_id: str,
    places: Sequence[str] | None = None,
    as_of: date | None = None,
) -> Placements:
    """People the anchor took into paid work through the pathway, by occupation: those
    in ``places`` (None: every place; an anchor outside them is unknown), and the pay of
    its posts there. On a past ``as_of``, those in paid work by then as their stage
    history stood (as the funnel reads it); the posts they hold, the posts' pay and
    occupations, and where people are, are today's (none of them keeps a history)."""
    scope = None if places is None else list(places)
    require_anchor(driver, database, anchor_id, scope)
    # Today, or a later day, reads each person's stage as it is (as_it_stood does the same).
    past = None if as_of is None or as_of >= as_of_day() else as_of
    rows = read_rows(driver, database, q.PLACEMENT_FACTS, anchor_id=anchor_id,
                     working_stages=[s.value for s in WORKING_STAGES], places=scope,
                     as_of=past)  # fmt: skip
    salaries = read_rows(
        driver, database, q.ANCHOR_POSTED_SALARIES, anchor_id=anchor_id, places=scope
    )
    facts = PlacementFacts(
        anchor_id=anchor_id,
        placed=sum(int(r["placed"]) for r in rows),
        groups=[
            PlacedGroup(
                occupation_id=r["occupation_id"],
                occupation_name=r["occupation_name"],
                placed=int(r["placed"]),
            )  # fmt: skip
            for r in rows
        ],
        language_trained=sum(int(r["language_trained"]) for r in rows),
    )
    return Placements(
        facts=facts,
        posted_salaries={str(r["occupation_id"]): round(float(r["salary"]), 2) for r in salaries},
    )


def anchor_footprint(
    driver: Driver,
    database: str,
    anchor_id: str,
    as_of: date | None = None,
    places: Sequence[str] | None = None,
) -> Footprint:
    """Jobs, spend and land against the macro-asset rule, and the community
    organisations it works with, year by year as their ties began; land and ties as
    they held on ``as_of`` (today when None), all in ``places`` (None: every place; an
    anchor outside them is unknown)."""
    day = as_of_day(as_of)
    scope = None if places is None else list(places)
    found = read_rows(
        driver, database, q.ANCHOR_FOOTPRINT, anchor_id=anchor_id, as_of=day, places=scope
    )
    if not found:
        raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
    anchor = AnchorInstitution.model_validate(found[0]["anchor"])
    ties = read_rows(
        driver, database, q.ANCHOR_ORGANISATION_TIES, anchor_id=anchor_id, as_of=day, places=scope
    )
    first_years = [r["first_since"].year for r in ties if r["first_since"] is not None]
    return Footprint(
        anchor=anchor,
        macro_asset_tests=macro_asset_tests(anchor),
        land_holdings=[LandHolding.model_validate(h) for h in found[0]["land_holdings"]],
        community_organisations=len(ties),
        organisations_by_year=organisations_by_year(first_years),
        undated_organisations=len(ties) - len(first_years),
    )


def macro_asset_tests(anchor: AnchorInstitution) -> list[MacroAssetTest]:
    """The three tests of DOMAIN.md's rule of thumb; meeting any one is enough."""
    return [
        MacroAssetTest(name="employees", threshold=f"more than {MACRO_ASSET_EMPLOYEES}",
                       value=anchor.employees,
                       met=(anchor.employees or 0) > MACRO_ASSET_EMPLOYEES),
        MacroAssetTest(name="annual spend on goods and services",
                       threshold=f"more than £{MACRO_ASSET_SPEND_GBP:,}",
                       value=anchor.annual_spend_gbp,
                       met=(anchor.annual_spend_gbp or 0) > MACRO_ASSET_SPEND_GBP),
        MacroAssetTest(name="significant land and property", threshold="holds significant land",
                       value=anchor.land_hectares, met=anchor.significant_land),
    ]  # fmt: skip


def organisations_by_year(first_years: Iterable[int]) -> list[OrganisationsInYear]:
    """Running count of organisations from the first year a tie began to the last.

    >>> [(y.year, y.organisations, y.added) for y in organisations_by_year([2016, 2018, 2016])]
    [(2016, 2, 2), (2017, 2, 0), (2018, 3, 1)]
    """
    began = Counter(first_years)
    if not began:
        return []
    running = 0
    years = []
    for year in range(min(began), max(began) + 1):
        running += began[year]
        years.append(OrganisationsInYear(year=year, organisations=running, added=began[year]))
    return years


def partnership_network(
    driver: Driver,
    database: str,
    anchor_id: str,
    as_of: date | None = None,
    places: Sequence[str] | None = None,
) -> PartnershipNetwork:
    """The organisations of the place, the anchor and its departments, and their ties
    that held on ``as_of`` (today when None), all in ``places`` (``Caller.places_param``;
    None: every place); an anchor outside them is unknown."""
    day = as_of_day(as_of)
    scope = None if places is None else list(places)
    rows = read_rows(driver, database, q.NETWORK_NODES, anchor_id=anchor_id, places=scope)
    if not rows:
        raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
    nodes = {
        (r["label"], r["id"]): NetworkNode(
            label=Label(r["label"]), id=r["id"], name=r["name"], role=r["role"]
        )  # fmt: skip
        for r in rows
    }
    ties = [
        NetworkTie(
            source=nodes[(r["from_label"], r["from_id"])],
            target=nodes[(r["to_label"], r["to_id"])],
            type=r["type"],
            strength=r["strength"],
            count=r["count"],
            since_year=r["since_year"],
        )
        for r in read_rows(
            driver,
            database,
            q.NETWORK_TIES,
            anchor_id=anchor_id,
            as_of=day,
            places=scope,
        )
        if (r["from_label"], r["from_id"]) in nodes and (r["to_label"], r["to_id"]) in nodes
    ]
    return PartnershipNetwork(anchor_id=anchor_id, nodes=list(nodes.values()), ties=ties)


def require_anchor(
    driver: Driver, database: str, anchor_id: str, places: Sequence[str] | None = None
) -> None:
    """Refuse an anchor id that names no anchor institution in ``places`` (None: every
    place), in the same words whether it exists elsewhere or not at all."""
    if not existing_ids(driver, database, Label.ANCHOR_INSTITUTION, [anchor_id], places):
        raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")


def _group_figures(
    ordered: list[tuple[tuple[str | None, str | None], list[StagePath]]],
    pipeline: Pipeline,
    start: date | None,
    end: date | None,
) -> list[FunnelGroup]:
    # The pipeline holds each group's people side by side, in this order.
    groups = []
    first = 0
    for (key, name), paths in ordered:
        stop = first + sum(len(path.days) for path in paths)
        figures = pipeline_figures(pipeline.people(first, stop), start, end)
        groups.append(FunnelGroup(key=key, name=name, stages=figures))
        first = stop
    return groups


def _sort_key(key: str | None, name: str | None) -> tuple[bool, str, str]:
    # Named groups first, alphabetically; the group with nothing recorded last.
    return (key is None, name or "", key or "")
