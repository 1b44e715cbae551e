"""Nodes of the place graph by external id, for exploring.

People who have not consented (or withdrew) are never returned: asking for
one gives ``None``, exactly as for an id that does not exist. So is a node of a
placed label outside the places asked for (docs/places.md): another place's node
is answered as no node at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, LiteralString, TypeVar

from neo4j import Driver

from graph.cypher import explore_nodes as q
from graph.models.anchors import AnchorInstitution, Department, Vacancy
from graph.models.base import NodeModel
from graph.models.organisations import CommunityOrganisation, Service
from graph.models.people import Person
from graph.models.places import Area, Property
from graph.models.taxonomy import Occupation, Qualification, Skill
from graph.services.history import as_of_day
from graph.services.reads import read_rows
from graph.vocabulary import Label

__all__ = ["EXPLORABLE", "MODEL_LABELS", "nodes_by_ids"]

M = TypeVar("M", bound=NodeModel)

_BY_IDS: dict[type[NodeModel], LiteralString] = {
    Person: q.PEOPLE_BY_IDS,
    Skill: q.SKILLS_BY_IDS,
    Occupation: q.OCCUPATIONS_BY_IDS,
    Qualification: q.QUALIFICATIONS_BY_IDS,
    CommunityOrganisation: q.ORGANISATIONS_BY_IDS,
    Service: q.SERVICES_BY_IDS,
    AnchorInstitution: q.ANCHORS_BY_IDS,
    Department: q.DEPARTMENTS_BY_IDS,
    Vacancy: q.VACANCIES_BY_IDS,
    Property: q.PROPERTIES_BY_IDS,
    Area: q.AREAS_BY_IDS,
}

# The labels a caller may explore, and the model each reads as. PersonalRecord
# is absent on purpose: personal details are not explorable.
MODEL_LABELS: dict[Label, type[NodeModel]] = {
    Label.PERSON: Person,
    Label.SKILL: Skill,
    Label.OCCUPATION: Occupation,
    Label.QUALIFICATION: Qualification,
    Label.COMMUNITY_ORGANISATION: CommunityOrganisation,
    Label.SERVICE: Service,
    Label.ANCHOR_INSTITUTION: AnchorInstitution,
    Label.DEPARTMENT: Department,
    Label.VACANCY: Vacancy,
    Label.PROPERTY: Property,
    Label.AREA: Area,
}

EXPLORABLE: frozenset[Label] = frozenset(MODEL_LABELS)


def _validated(model: type[M], row: dict[str, Any]) -> M:
    # A property the source never gave comes back null; the model's default
    # stands for it, as it did when the row was loaded.
    return model.model_validate({key: value for key, value in row.items() if value is not None})


def nodes_by_ids(
    driver: Driver,
    database: str,
    model: type[M],
    ids: Sequence[str],
    as_of: date | None = None,
    *,
    places: Sequence[str] | None,
) -> list[M | None]:
    """The node of each id, in the order of ``ids``; ``None`` where there is none, or
    where the node is of a placed label and in none of ``places`` (None: every place;
    ``Caller.places_param``). Link fields that follow ties with history (a property's
    owner) are as on ``as_of`` (today when None)."""
    if not ids:
        return []
    rows = read_rows(
        driver,
        database,
        _BY_IDS[model],
        ids=sorted(set(ids)),
        as_of=as_of_day(as_of),
        places=None if places is None else list(places),
    )
    found = {row["node"]["id"]: _validated(model, row["node"]) for row in rows}
    return [found.get(ident) for ident in ids]
