"""Pages of the explorable lists, by keyset, never by offset.

A page is the rows after a keyset ``(key, id)``: the sort key's value and the
id of the last row already seen. Rows that appear or vanish between two pages
shift nothing, and a deep page costs what the first does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, LiteralString, TypeVar

from neo4j import Driver

from graph.cypher import list_anchors as la
from graph.cypher import list_organisations as lo
from graph.cypher import list_people as lp
from graph.cypher import list_places as lpl
from graph.cypher import list_taxonomy as lt
from graph.models.people import STAGE_ORDER
from graph.services import explore_filters as f
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
    "QUALIFICATIONS",
    "SERVICES",
    "SKILLS",
    "SortKey",
    "VACANCIES",
    "count_rows",
    "list_page",
]

SortKey = str | int | float

S = TypeVar("S", bound=StrEnum)
F = TypeVar("F", bound=f.ListFilter)


@dataclass(frozen=True)
class Listing(Generic[S, F]):
    """One explorable list: its label, filter model, a query per sort order, and
    the type of each order's key (a cursor naming another type is refused)."""

    name: str
    label: Label
    filter_model: type[F]
    pages: Mapping[S, LiteralString]
    key_types: Mapping[S, type[SortKey]]
    count: LiteralString
    constants: Mapping[str, Any] = field(default_factory=dict)


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
) -> Page:
    """Up to ``first`` rows of ``listing`` in ``sort`` order after ``after``.

    One row more than asked is read, to tell whether another page follows.
    """
    rows = read_rows(
        driver,
        database,
        listing.pages[sort],
        **listing.constants,
        **filters.params(),
        after_key=after.key if after else None,
        after_id=after.id if after else None,
        limit=first + 1,
    )
    keysets = [Keyset(row["key"], row["id"]) for row in rows]
    return Page(rows=keysets[:first], has_next=len(keysets) > first)


def count_rows(driver: Driver, database: str, listing: Listing[S, F], filters: F) -> int:
    """How many rows all pages of ``listing`` under ``filters`` hold together."""
    rows = read_rows(driver, database, listing.count, **listing.constants, **filters.params())
    total: int = rows[0]["total"]
    return total


PEOPLE = Listing(
    name="people",
    label=Label.PERSON,
    filter_model=f.PeopleFilter,
    pages={
        f.PersonSort.ID: lp.PEOPLE_BY_ID,
        f.PersonSort.STAGE: lp.PEOPLE_BY_STAGE,
        f.PersonSort.IELTS_DESC: lp.PEOPLE_BY_IELTS_DESC,
    },
    key_types={f.PersonSort.ID: str, f.PersonSort.STAGE: int, f.PersonSort.IELTS_DESC: float},
    count=lp.COUNT_PEOPLE,
    constants={"stage_order": [stage.value for stage in STAGE_ORDER]},
)

ORGANISATIONS = Listing(
    name="organisations",
    label=Label.COMMUNITY_ORGANISATION,
    filter_model=f.OrganisationFilter,
    pages={
        f.OrganisationSort.NAME: lo.ORGANISATIONS_BY_NAME,
        f.OrganisationSort.ID: lo.ORGANISATIONS_BY_ID,
        f.OrganisationSort.FOUNDED_YEAR: lo.ORGANISATIONS_BY_FOUNDED_YEAR,
    },
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
    pages={f.ServiceSort.NAME: lo.SERVICES_BY_NAME, f.ServiceSort.ID: lo.SERVICES_BY_ID},
    key_types={f.ServiceSort.NAME: str, f.ServiceSort.ID: str},
    count=lo.COUNT_SERVICES,
)

ANCHORS = Listing(
    name="anchors",
    label=Label.ANCHOR_INSTITUTION,
    filter_model=f.AnchorFilter,
    pages={
        f.AnchorSort.NAME: la.ANCHORS_BY_NAME,
        f.AnchorSort.ID: la.ANCHORS_BY_ID,
        f.AnchorSort.EMPLOYEES_DESC: la.ANCHORS_BY_EMPLOYEES_DESC,
    },
    key_types={f.AnchorSort.NAME: str, f.AnchorSort.ID: str, f.AnchorSort.EMPLOYEES_DESC: int},
    count=la.COUNT_ANCHORS,
)

DEPARTMENTS = Listing(
    name="departments",
    label=Label.DEPARTMENT,
    filter_model=f.DepartmentFilter,
    pages={
        f.DepartmentSort.NAME: la.DEPARTMENTS_BY_NAME,
        f.DepartmentSort.ID: la.DEPARTMENTS_BY_ID,
    },
    key_types={f.DepartmentSort.NAME: str, f.DepartmentSort.ID: str},
    count=la.COUNT_DEPARTMENTS,
)

VACANCIES = Listing(
    name="vacancies",
    label=Label.VACANCY,
    filter_model=f.VacancyFilter,
    pages={
        f.VacancySort.CLOSES: la.VACANCIES_BY_CLOSES,
        f.VacancySort.TITLE: la.VACANCIES_BY_TITLE,
        f.VacancySort.ID: la.VACANCIES_BY_ID,
    },
    key_types={f.VacancySort.CLOSES: str, f.VacancySort.TITLE: str, f.VacancySort.ID: str},
    count=la.COUNT_VACANCIES,
)

SKILLS = Listing(
    name="skills",
    label=Label.SKILL,
    filter_model=f.SkillFilter,
    pages={f.SkillSort.LABEL: lt.SKILLS_BY_LABEL, f.SkillSort.ID: lt.SKILLS_BY_ID},
    key_types={f.SkillSort.LABEL: str, f.SkillSort.ID: str},
    count=lt.COUNT_SKILLS,
)

OCCUPATIONS = Listing(
    name="occupations",
    label=Label.OCCUPATION,
    filter_model=f.OccupationFilter,
    pages={
        f.OccupationSort.LABEL: lt.OCCUPATIONS_BY_LABEL,
        f.OccupationSort.ID: lt.OCCUPATIONS_BY_ID,
    },
    key_types={f.OccupationSort.LABEL: str, f.OccupationSort.ID: str},
    count=lt.COUNT_OCCUPATIONS,
)

QUALIFICATIONS = Listing(
    name="qualifications",
    label=Label.QUALIFICATION,
    filter_model=f.QualificationFilter,
    pages={
        f.QualificationSort.TITLE: lt.QUALIFICATIONS_BY_TITLE,
        f.QualificationSort.ID: lt.QUALIFICATIONS_BY_ID,
    },
    key_types={f.QualificationSort.TITLE: str, f.QualificationSort.ID: str},
    count=lt.COUNT_QUALIFICATIONS,
)

PROPERTIES = Listing(
    name="properties",
    label=Label.PROPERTY,
    filter_model=f.PropertyFilter,
    pages={
        f.PropertySort.NAME: lpl.PROPERTIES_BY_NAME,
        f.PropertySort.ID: lpl.PROPERTIES_BY_ID,
        f.PropertySort.SIZE_DESC: lpl.PROPERTIES_BY_SIZE_DESC,
    },
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
    pages={f.AreaSort.NAME: lpl.AREAS_BY_NAME, f.AreaSort.ID: lpl.AREAS_BY_ID},
    key_types={f.AreaSort.NAME: str, f.AreaSort.ID: str},
    count=lpl.COUNT_AREAS,
)
