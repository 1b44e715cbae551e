"""The funnel against a plain count made person by person in this file: the array
arithmetic on random histories, and the whole service (who is in an anchor's
pipeline, their groups, the figures) on the demo place with awkward people added."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import median
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from neo4j import Driver
from neo4j.time import Date

from graph.algorithms.funnel import Pipeline, StagePath, epoch_day, pipeline_figures
from graph.models.funnel import Funnel, FunnelGroupBy, StageFigures
from graph.models.people import STAGE_ORDER
from graph.services.place_view import funnel
from graph.settings import Neo4jSettings

ORDER = [stage.value for stage in STAGE_ORDER]

# reached, moved on, timed, median days to the next stage
Figures = tuple[int, int, int, float | None]
Group = tuple[str | None, str | None, list[Figures]]


class History(NamedTuple):
    stage: Any  # as stored: a stage, some other word, or nothing
    names: list[str]
    dates: list[Any]  # dates, or whatever else a property may hold


def reference(people: list[History], start: date | None, end: date | None) -> list[Figures]:
    """The definitions of graph/algorithms/funnel.py's docstring, one person at a time."""
    reached, moved_on = [0] * len(ORDER), [0] * len(ORDER)
    gaps: list[list[int]] = [[] for _ in ORDER]
    for person in people:
        on_day: dict[int, date] = {}
        for name, when in zip(person.names, person.dates, strict=False):
            if name in ORDER and isinstance(when, date):
                stage = ORDER.index(name)
                on_day[stage] = min(when, on_day.get(stage, when))
        first: dict[int, date | None] = dict(on_day)
        if person.stage in ORDER:
            first.setdefault(ORDER.index(person.stage), None)
        for stage, when in first.items():
            if when is None:
                counted = start is None and end is None
            else:
                counted = (start is None or start <= when) and (end is None or when <= end)
            if not counted:
                continue
            reached[stage] += 1
            later = [then for other, then in first.items() if other > stage]
            by_end = [then for then in later if then is not None and (end is None or then <= end)]
            if any(when is None or then >= when for then in by_end) or (
                end is None and None in later
            ):
                moved_on[stage] += 1
            onward = [then for then in by_end if when is not None and then >= when]
            if when is not None and onward:
                gaps[stage].append((min(onward) - when).days)
    return [
        (reached[s], moved_on[s], len(gaps[s]), float(median(gaps[s])) if gaps[s] else None)
        for s in range(len(ORDER))
    ]


def table(figures: list[StageFigures]) -> list[Figures]:
    return [(f.reached, f.moved_on, f.timed, f.median_days) for f in figures]


# A narrow span of days, so that ties, setbacks and steps on the same day are common.
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 31))


@st.composite
def histories(draw: st.DrawFn) -> History:
    steps = draw(st.lists(st.tuples(st.sampled_from([*ORDER, "paused"]), DAYS), max_size=7))
    names, dates = [name for name, _ in steps], [day for _, day in steps]
    # Now and then the two lists differ in length: they pair up as far as both go.
    extra = draw(st.integers(-2, 2))
    if extra > 0:
        dates += draw(st.lists(DAYS, min_size=extra, max_size=extra))
    elif extra < 0:
        names = names[:extra]
    stage = draw(st.sampled_from([*ORDER, "withdrawn", None]))
    return History(stage=stage, names=names, dates=dates)


@settings(max_examples=400, deadline=None)
@given(
    people=st.lists(histories(), max_size=12),
    start=st.none() | DAYS,
    end=st.none() | DAYS,
)
def test_the_arrays_count_as_the_plain_definition(
    people: list[History], start: date | None, end: date | None
) -> None:
    # Stage paths as the funnel's query gives them: one per current stage and names.
    paths: dict[tuple[Any, tuple[str, ...]], list[list[int]]] = defaultdict(list)
    for person in people:
        paths[(person.stage, tuple(person.names))].append([epoch_day(d) for d in person.dates])
    pipeline = Pipeline.from_paths(
        [StagePath(stage, list(names), days) for (stage, names), days in paths.items()]
    )
    assert table(pipeline_figures(pipeline, start, end)) == reference(people, start, end)


# People the demo generator does not make. The trust's occupation is one it posts for.
AWKWARD_PEOPLE: list[dict[str, Any]] = [
    {"id": "x-setback", "trained": "trust", "stage": "engaged", "home": "lsoa",
     "names": ["engaged", "language_training", "engaged"],
     "dates": ["2024-01-01", "2024-02-01", "2024-03-01"]},
    {"id": "x-unsorted", "trained": None, "stage": "accreditation", "applied_here": True,
     "home": "lsoa", "names": ["language_training", "engaged", "language_training"],
     "dates": ["2024-05-01", "2024-01-10", "2024-02-01"]},
    {"id": "x-unknown-words", "trained": "trust", "stage": "withdrawn", "home": "ward",
     "names": ["engaged", "paused", "placement"],
     "dates": ["2023-11-01", "2023-12-01", "2024-02-01"]},
    {"id": "x-names-longer", "trained": "trust", "stage": "accreditation", "home": "lone",
     "names": ["engaged", "language_training", "accreditation"],
     "dates": ["2024-01-05", "2024-03-05"]},
    {"id": "x-dates-longer", "trained": "trust", "stage": "engaged", "home": "lone",
     "names": ["engaged"], "dates": ["2024-01-05", "2023-03-05"]},
    {"id": "x-text-dates", "trained": "trust", "stage": "language_training", "home": None,
     "names": ["engaged"], "text_dates": ["2024-01-01"]},
    {"id": "x-no-history", "trained": "trust", "stage": "employed", "home": None},
    {"id": "x-no-stage", "trained": "trust", "stage": None, "home": "lsoa",
     "names": ["engaged", "placement"], "dates": ["2024-02-02", "2024-02-02"]},
    # Taken on by the university instead: out of the trust's pipeline.
    {"id": "x-placed-elsewhere", "trained": "trust", "stage": "employed", "home": "lsoa",
     "placed_elsewhere": True, "names": ["engaged", "employed"],
     "dates": ["2024-01-01", "2024-04-01"]},
    {"id": "x-applied-placed-elsewhere", "trained": None, "stage": "placement",
     "applied_here": True, "placed_elsewhere": True, "home": "lsoa",
     "names": ["engaged", "placement"], "dates": ["2024-01-01", "2024-04-01"]},
    # Placed by both, or placed here in an occupation the trust does not post: in.
    {"id": "x-placed-both", "trained": "trust", "stage": "employed", "home": "ward",
     "placed_here": True, "placed_elsewhere": True, "names": ["engaged", "employed"],
     "dates": ["2024-01-01", "2024-04-01"]},
    {"id": "x-placed-unposted", "trained": "occupation-nobody-posts", "stage": "employed",
     "placed_here": True, "home": None, "names": ["engaged", "employed"],
     "dates": ["2023-06-01", "2024-04-01"]},
]  # fmt: skip

CREATE_AWKWARD_PERSON = """
MATCH (:AnchorInstitution {id: 'anchor-trust'})-[:POSTS]->(here:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WITH here, o
ORDER BY here.id
LIMIT 1
MATCH (:AnchorInstitution {id: 'anchor-university'})-[:POSTS]->(there:Vacancy)
WITH here, o, there
ORDER BY there.id
LIMIT 1
CREATE (p:Person {id: $person.id, stage: $person.stage, stage_names: $person.names,
                  stage_dates: coalesce($person.text_dates, [d IN $person.dates | date(d)]),
                  trained_as: CASE $person.trained WHEN 'trust' THEN o.id ELSE $person.trained END})
FOREACH (_ IN CASE WHEN $person.placed_here THEN [1] ELSE [] END | CREATE (p)-[:PLACED_IN]->(here))
FOREACH (_ IN CASE WHEN $person.applied_here THEN [1] ELSE [] END | CREATE (p)-[:APPLIED_TO]->(here))
FOREACH (_ IN CASE WHEN $person.placed_elsewhere THEN [1] ELSE [] END | CREATE (p)-[:PLACED_IN]->(there))
WITH p
CALL (p) {
  MATCH (home:Area)
  WHERE ($person.home = 'lone' AND home.id = 'area-lone')
     OR ($person.home IN ['lsoa', 'ward'] AND home.kind = $person.home)
  WITH home
  ORDER BY home.id
  LIMIT 1
  CREATE (p)-[:LIVES_IN]->(home)
}
RETURN count(p) AS created
"""

PEOPLE = """
MATCH (p:Person)
RETURN p.trained_as AS trained_as, p.stage AS stage, coalesce(p.stage_names, []) AS names,
       coalesce(p.stage_dates, []) AS dates,
       [(p)-[:PLACED_IN]->(:Vacancy)<-[:POSTS]-(a:AnchorInstitution) | a.id] AS placed_by,
       [(p)-[:APPLIED_TO]->(:Vacancy)<-[:POSTS]-(a:AnchorInstitution) | a.id] AS applied_to,
       [(p)-[:LIVES_IN]->(home:Area) | home.id] AS homes
"""

POSTED_OCCUPATIONS = """
MATCH (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
RETURN DISTINCT o.id AS id
"""

AREAS = """
MATCH (a:Area)
RETURN a.id AS id, a.kind AS kind, a.name AS name, [(a)-[:WITHIN]->(up:Area) | up.id] AS within
"""

OCCUPATION_NAMES = "MATCH (o:Occupation) RETURN o.id AS id, o.preferred_label AS name"


def reference_funnel(
    driver: Driver,
    database: str,
    anchor_id: str,
    group_by: FunnelGroupBy | None,
    start: date | None,
    end: date | None,
) -> tuple[list[Figures], list[Group]]:
    def read(query: str, **params: Any) -> list[dict[str, Any]]:
        return [r.data() for r in driver.execute_query(query, params, database_=database).records]

    posted = {r["id"] for r in read(POSTED_OCCUPATIONS, anchor_id=anchor_id)}
    occupation_names = {r["id"]: r["name"] for r in read(OCCUPATION_NAMES)}
    areas = {r["id"]: r for r in read(AREAS)}
    members: dict[tuple[str | None, str | None], list[History]] = defaultdict(list)
    for person in read(PEOPLE):
        here = anchor_id in person["placed_by"]
        elsewhere = any(a != anchor_id for a in person["placed_by"])
        eligible = person["trained_as"] in posted or anchor_id in person["applied_to"]
        if not (here or (eligible and not elsewhere)):
            continue
        dates = [d.to_native() if isinstance(d, Date) else d for d in person["dates"]]
        history = History(person["stage"], person["names"], dates)
        if group_by is FunnelGroupBy.OCCUPATION:
            key = person["trained_as"]
            members[(key, occupation_names.get(key))].append(history)
        elif group_by is FunnelGroupBy.AREA and person["homes"]:
            area = _ward_of(areas, person["homes"][0])
            members[(area["id"], area["name"])].append(history)
        else:
            members[(None, None)].append(history)
    everyone = [history for found in members.values() for history in found]
    groups = [
        (key, name, reference(found, start, end))
        for (key, name), found in sorted(
            members.items(), key=lambda i: (i[0][0] is None, i[0][1] or "", i[0][0] or "")
        )
    ]
    return reference(everyone, start, end), groups if group_by is not None else []


def _ward_of(areas: dict[str, dict[str, Any]], home: str) -> dict[str, Any]:
    level = [home]
    for _ in range(3):  # the home itself, its parent, its grandparent
        for area in level:
            if areas[area]["kind"] == "ward":
                return areas[area]
        level = [up for area in level for up in areas[area]["within"]]
    return areas[home]


def shown(found: Funnel) -> tuple[list[Figures], list[Group]]:
    return table(found.stages), [(g.key, g.name, table(g.stages)) for g in found.groups]


@pytest.fixture
def awkward_place(demo_place: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    demo_place.execute_query(
        "CREATE (:Area {id: 'area-lone', kind: 'lsoa', name: 'An LSOA in no ward'})",
        database_=neo4j_settings.database,
    )
    for person in AWKWARD_PEOPLE:
        person = {"names": None, "dates": [], "text_dates": None, "placed_here": False,
                  "applied_here": False, "placed_elsewhere": False, **person}  # fmt: skip
        records = demo_place.execute_query(
            CREATE_AWKWARD_PERSON, person=person, database_=neo4j_settings.database
        ).records
        assert records[0]["created"] == 1, person["id"]
    return demo_place


PERIODS = [(None, None), (date(2023, 1, 1), date(2024, 6, 30)), (None, date(2024, 1, 31)),
           (date(2024, 2, 1), None)]  # fmt: skip


@pytest.mark.parametrize("anchor_id", ["anchor-trust", "anchor-university", "anchor-developer"])
def test_the_service_counts_as_the_plain_definition(
    awkward_place: Driver, neo4j_settings: Neo4jSettings, anchor_id: str
) -> None:
    database = neo4j_settings.database
    for group_by in [None, *FunnelGroupBy]:
        for start, end in PERIODS:
            found = funnel(awkward_place, database, anchor_id, start=start, end=end,
                           group_by=group_by)  # fmt: skip
            expected = reference_funnel(awkward_place, database, anchor_id, group_by, start, end)
            assert shown(found) == expected, (group_by, start, end)
    # The comparison is not between two empty pipelines.
    if anchor_id == "anchor-trust":
        assert found.stages[0].reached > 100
        assert {g.name for g in found.groups} >= {"An LSOA in no ward"}
