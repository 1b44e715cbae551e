"""A batch of nodes' relationships, for exploring: one query a batch.

Every function takes the ids of many nodes and answers for each, in the order
given, so a DataLoader can resolve one relationship for a whole page at once.
Neighbours come back as ids (read them with ``explore_nodes.nodes_by_ids``),
with the relationship's own properties where it has any. Each takes ``places``
(``Caller.places_param``; None: every place) and lists only neighbours in them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, LiteralString

from neo4j import Driver

from graph.cypher import explore_links as q
from graph.services.history import as_of_day
from graph.services.reads import read_rows
from graph.vocabulary import Label

__all__ = [
    "Link",
    "NodeRef",
    "RequiredSkill",
    "Support",
    "Tie",
    "TieKind",
    "linked_ids",
    "occupation_skills",
    "people_counts",
    "person_supporters",
    "property_owners",
    "ties",
]


class Link(StrEnum):
    """Relationships whose far ends are all a caller needs."""

    PERSON_SKILLS = "person_skills"
    SKILL_BROADER = "skill_broader"
    SKILL_NARROWER = "skill_narrower"
    OCCUPATION_QUALIFICATIONS = "occupation_qualifications"
    ORGANISATION_SERVICES = "organisation_services"
    ORGANISATION_PROPERTIES = "organisation_properties"
    ANCHOR_VACANCIES = "anchor_vacancies"
    ANCHOR_DEPARTMENTS = "anchor_departments"
    ANCHOR_PROPERTIES = "anchor_properties"
    AREA_CHILDREN = "area_children"


_LINKS: dict[Link, LiteralString] = {
    Link.PERSON_SKILLS: q.PERSON_SKILL_IDS,
    Link.SKILL_BROADER: q.SKILL_BROADER_IDS,
    Link.SKILL_NARROWER: q.SKILL_NARROWER_IDS,
    Link.OCCUPATION_QUALIFICATIONS: q.OCCUPATION_QUALIFICATION_IDS,
    Link.ORGANISATION_SERVICES: q.ORGANISATION_SERVICE_IDS,
    Link.ORGANISATION_PROPERTIES: q.ORGANISATION_PROPERTY_IDS,
    Link.ANCHOR_VACANCIES: q.ANCHOR_VACANCY_IDS,
    Link.ANCHOR_DEPARTMENTS: q.ANCHOR_DEPARTMENT_IDS,
    Link.ANCHOR_PROPERTIES: q.ANCHOR_PROPERTY_IDS,
    Link.AREA_CHILDREN: q.AREA_CHILD_IDS,
}


class TieKind(StrEnum):
    """Ties between organisations that carry trust or traffic."""

    REFERRALS = "referrals"
    PARTNERS = "partners"


_TIES: dict[TieKind, LiteralString] = {
    TieKind.REFERRALS: q.ORGANISATION_REFERRALS,
    TieKind.PARTNERS: q.ORGANISATION_PARTNERS,
}


@dataclass(frozen=True)
class NodeRef:
    """A node named by label and id (ids are unique within a label only)."""

    label: Label
    id: str


@dataclass(frozen=True)
class Support:
    """A person's ``SUPPORTED_BY`` tie: the organisation and how far it is trusted."""

    organisation_id: str
    strength: float | None
    since: date | None


@dataclass(frozen=True)
class Tie:
    """A referral or partnership from an organisation to another party."""

    target: NodeRef
    strength: float | None
    count: int | None
    since: date | None


@dataclass(frozen=True)
class RequiredSkill:
    skill_id: str
    essential: bool


def _per_id(
    driver: Driver,
    database: str,
    query: LiteralString,
    ids: Sequence[str],
    column: str,
    as_of: date | None,
    places: Sequence[str] | None,
) -> list[Any]:
    if not ids:
        return []
    rows = read_rows(
        driver,
        database,
        query,
        ids=sorted(set(ids)),
        as_of=as_of_day(as_of),
        places=None if places is None else list(places),
    )
    found = {row["id"]: row[column] for row in rows}
    return [found[ident] for ident in ids]


def linked_ids(
    driver: Driver,
    database: str,
    link: Link,
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[list[str]]:
    """For each id, the ids at the far end of ``link`` (empty where there are none);
    a property's owners as on ``as_of`` (today when None)."""
    return _per_id(driver, database, _LINKS[link], ids, "ids", as_of, places)


def person_supporters(
    driver: Driver,
    database: str,
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[list[Support]]:
    """For each person id, the organisations that support them on ``as_of`` (today
    when None), most trusted first."""
    return [
        [Support(**link) for link in links]
        for links in _per_id(driver, database, q.PERSON_SUPPORTERS, ids, "links", as_of, places)
    ]


def ties(
    driver: Driver,
    database: str,
    kind: TieKind,
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[list[Tie]]:
    """For each organisation id, its referrals (outgoing) or partnerships (either way)
    that held on ``as_of`` (today when None)."""
    return [
        [
            Tie(
                target=NodeRef(Label(link["kind"]), link["id"]),
                strength=link["strength"],
                count=link["count"],
                since=link["since"],
            )
            for link in links
        ]
        for links in _per_id(driver, database, _TIES[kind], ids, "links", as_of, places)
    ]


def occupation_skills(
    driver: Driver, database: str, ids: Sequence[str]
) -> list[list[RequiredSkill]]:
    """For each occupation id, the skills it requires, essential ones first."""
    return [
        [RequiredSkill(**link) for link in links]
        for links in _per_id(driver, database, q.OCCUPATION_SKILLS, ids, "links", None, None)
    ]


def people_counts(
    driver: Driver,
    database: str,
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[int]:
    """For each organisation id, how many people in ``places`` it supports (consenting
    or not) on ``as_of`` (today when None)."""
    return _per_id(driver, database, q.ORGANISATION_PEOPLE_COUNTS, ids, "count", as_of, places)


def property_owners(
    driver: Driver,
    database: str,
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[NodeRef | None]:
    """For each property id, the anchor or organisation that owned it on ``as_of``
    (today when None), if known."""
    return [
        NodeRef(Label(links[0]["kind"]), links[0]["id"]) if links else None
        for links in _per_id(driver, database, q.PROPERTY_OWNERS, ids, "links", as_of, places)
    ]
