"""Pages of the explorable lists, by keyset, never by offset.

A page is the rows after a keyset ``(key, id)``: the sort key's value and the
id of the last row already seen. Rows that appear or vanish between two pages
shift nothing, and a deep page costs what the first does.
Each listing has one page query and one count in ``graph.cypher.list_*``. The
page query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key are
broken by id. ``$sort`` is the value of the listing's sort enum, checked against
it here before the query runs: it only chooses between key expressions written
out in the query, so no request text reaches Cypher, and each filter is written
once a listing (and once more for its count). ``$as_of`` is the day the ties a filter
follows are read as of (today when none is given). ``$places`` scopes a listing of a
placed label (``graph.vocabulary.PLACED_LABELS``) to the caller's places: a node is
listed and counted only if one of its ``place_ids`` is among them (null: every place,
an administrator's); the vocabulary's listings read no place. A descending order compares and
orders the other way for its own value only; the other orders leave that first
``ORDER BY`` term null. Null filter parameters match everything; the count
counts what the pages of the same filters hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Generic, LiteralString, TypeVar

from neo4j import Driver
from pydantic import BaseModel

from graph.cypher import list_anchors as la
from graph.cypher import list_organisations as lo
from graph.cypher import list_people as lp
from graph.cypher import list_places as lpl
from graph.cypher import list_taxonomy as lt
from graph.cypher import places as qp
from graph.models.people import STAGE_ORDER
from graph.services import explore_filters as f
from graph.services.history import as_of_day
from graph.services.reads import read_rows
from graph.vocabulary import Label

__all__ = [
    "ANCHORS",
    "AREAS",
    "DEPARTMENTS",
    "Keyset",
    "Listing",
    "OCCUPATIONS",
    "ORGANISATIONS",
    "PEOPLE",
    "PROPERTIES",
    "Page",
    "PlaceEntry",
    "QUALIFICATIONS",
    "SERVICES",
    "SKILLS",
    "SortKey",
    "VACANCIES",
    "count_rows",
    "list_page",
    "visible_places",
]

SortKey = str | int | float

S = TypeVar("S", bound=StrEnum)
F = TypeVar("F", bound=f.ListFilter)


@dataclass(frozen=True)
class Listing(Generic[S, F]):
    """One explorable list: its label, filter model, its page query (the sort
    order a parameter), its sort orders with the type of each order's key (a
    cursor naming another type is refused), and its count."""

    name: str
    label: Label
    filter_model: type[F]
    page: LiteralString
    key_types: Mapping[S, type[SortKey]]
    count: LiteralString
    constants: Mapping[str, Any] = field(default_factory=dict)
    # The page in id order written apart, for a listing large enough that reading it
    # along the id index, rather than sorting it whole, matters (the same rows).
    page_by_id: LiteralString | None = None


@dataclass(frozen=True)
class Keyset:
    """Where a page starts after: the last row's sort key and id."""

    key: SortKey
    id: str


@dataclass(frozen=True)
class Page:
    rows: list[Keyset]
    has_next: bool


def list_page(
    driver: Driver,
    database: str,
    listing: Listing[S, F],
    sort: S,
    filters: F,
    first: int,
    after: Keyset | None = None,
    *,
    places: Sequence[str] | None,
    as_of: date | None = None,
) -> Page:
    """Up to ``first`` rows of ``listing`` in ``sort`` order after ``after``, in ``places``
    (``Caller.places_param``: None for every place; required, so no caller forgets it),
    with the ties its filters follow as they held on ``as_of`` (today when None).

    One row more than asked is read, to tell whether another page follows.
    """
    # The page query chooses its key by this value; one it does not know would
    # give null keys and an empty page rather than an error, so refuse it here.
    if sort not in listing.key_types:
        raise ValueError(f"{listing.name} cannot be sorted by {sort!r}")
    by_id = listing.page_by_id if sort.value == "id" else None
    rows = read_rows(
        driver,
        database,
        by_id or listing.page,
        **listing.constants,
        **filters.params(),
        places=places,
        as_of=as_of_day(as_of),
        sort=sort.value,
        after_key=after.key if after else None,
        after_id=after.id if after else None,
        limit=first + 1,
    )
    keysets = [Keyset(row["key"], row["id"]) for row in rows]
    return Page(rows=keysets[:first], has_next=len(keysets) > first)


def count_rows(
    driver: Driver,
    database: str,
    listing: Listing[S, F],
    filters: F,
    *,
    places: Sequence[str] | None,
    as_of: date | None = None,
) -> int:
    """How many rows all pages of ``listing`` under ``filters`` in ``places``, as of
    ``as_of`` (today when None), hold together."""
    rows = read_rows(
        driver,
        database,
        listing.count,
        **listing.constants,
        **filters.params(),
        places=places,
        as_of=as_of_day(as_of),
    )
    total: int = rows[0]["total"]
    return total


class PlaceEntry(BaseModel):
    """A place as a picker lists it: its id (as tokens name it) and its name."""

    id: str
    name: str


def visible_places(
    driver: Driver, database: str, *, places: Sequence[str] | None
) -> list[PlaceEntry]:
    """The places among ``places`` (None: every place) that exist, by name; a few
    at most, so not paged."""
    rows = read_rows(driver, database, qp.VISIBLE_PLACES, places=places)
    return [PlaceEntry.model_validate(row["place"]) for row in rows]


PEOPLE = Listing(
    name="people",
    label=Label.PERSON,
    filter_model=f.PeopleFilter,
    page=lp.PEOPLE_PAGE,
    key_types={f.PersonSort.ID: str, f.PersonSort.STAGE: int, f.PersonSort.IELTS_DESC: float},
    count=lp.COUNT_PEOPLE,
    constants={"stage_rank": {stage.value: rank for rank, stage in enumerate(STAGE_ORDER)}},
    page_by_id=lp.PEOPLE_PAGE_BY_ID,
)

ORGANISATIONS = Listing(
    name="organisations",
    label=Label.COMMUNITY_ORGANISATION,
    filter_model=f.OrganisationFilter,
    page=lo.ORGANISATIONS_PAGE,
    key_types={
        f.OrganisationSort.NAME: str,
        f.OrganisationSort.ID: str,
        f.OrganisationSort.FOUNDED_YEAR: int,
    },
    count=lo.COUNT_ORGANISATIONS,
)

SERVICES = Listing(
    name="services",
    label=Label.SERVICE,
    filter_model=f.ServiceFilter,
    page=lo.SERVICES_PAGE,
    key_types={f.ServiceSort.NAME: str, f.ServiceSort.ID: str},
    count=lo.COUNT_SERVICES,
)

ANCHORS = Listing(
    name="anchors",
    label=Label.ANCHOR_INSTITUTION,
    filter_model=f.AnchorFilter,
    page=la.ANCHORS_PAGE,
    key_types={f.AnchorSort.NAME: str, f.AnchorSort.ID: str, f.AnchorSort.EMPLOYEES_DESC: int},
    count=la.COUNT_ANCHORS,
)

DEPARTMENTS = Listing(
    name="departments",
    label=Label.DEPARTMENT,
    filter_model=f.DepartmentFilter,
    page=la.DEPARTMENTS_PAGE,
    key_types={f.DepartmentSort.NAME: str, f.DepartmentSort.ID: str},
    count=la.COUNT_DEPARTMENTS,
)

VACANCIES = Listing(
    name="vacancies",
    label=Label.VACANCY,
    filter_model=f.VacancyFilter,
    page=la.VACANCIES_PAGE,
    key_types={f.VacancySort.CLOSES: str, f.VacancySort.TITLE: str, f.VacancySort.ID: str},
    count=la.COUNT_VACANCIES,
)

SKILLS = Listing(
    name="skills",
    label=Label.SKILL,
    filter_model=f.SkillFilter,
    page=lt.SKILLS_PAGE,
    key_types={f.SkillSort.LABEL: str, f.SkillSort.ID: str},
    count=lt.COUNT_SKILLS,
)

OCCUPATIONS = Listing(
    name="occupations",
    label=Label.OCCUPATION,
    filter_model=f.OccupationFilter,
    page=lt.OCCUPATIONS_PAGE,
    key_types={f.OccupationSort.LABEL: str, f.OccupationSort.ID: str},
    count=lt.COUNT_OCCUPATIONS,
)

QUALIFICATIONS = Listing(
    name="qualifications",
    label=Label.QUALIFICATION,
    filter_model=f.QualificationFilter,
    page=lt.QUALIFICATIONS_PAGE,
    key_types={f.QualificationSort.TITLE: str, f.QualificationSort.ID: str},
    count=lt.COUNT_QUALIFICATIONS,
)

PROPERTIES = Listing(
    name="properties",
    label=Label.PROPERTY,
    filter_model=f.PropertyFilter,
    page=lpl.PROPERTIES_PAGE,
    key_types={
        f.PropertySort.NAME: str,
        f.PropertySort.ID: str,
        f.PropertySort.SIZE_DESC: float,
    },
    count=lpl.COUNT_PROPERTIES,
)

AREAS = Listing(
    name="areas",
    label=Label.AREA,
    filter_model=f.AreaFilter,
    page=lpl.AREAS_PAGE,
    key_types={f.AreaSort.NAME: str, f.AreaSort.ID: str},
    count=lpl.COUNT_AREAS,
)
