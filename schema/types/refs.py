"""Lazy references between the type modules.

The graph is full of cycles (an anchor owns properties, a property has an
owner), and strawberry reads annotations when a class is decorated, so each
module names the types of the others through these references, resolved when
the schema is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

if TYPE_CHECKING:
    from schema.types.anchors import AnchorInstitution, Department, Vacancy
    from schema.types.organisations import CommunityOrganisation, Service
    from schema.types.places import Area, Property
    from schema.types.taxonomy import Occupation, Skill

__all__ = [
    "AnchorRef",
    "AreaRef",
    "DepartmentRef",
    "OccupationRef",
    "OrganisationRef",
    "PropertyRef",
    "ServiceRef",
    "SkillRef",
    "VacancyRef",
]

_ANCHORS = "schema.types.anchors"
_ORGANISATIONS = "schema.types.organisations"
_PLACES = "schema.types.places"
_TAXONOMY = "schema.types.taxonomy"

AnchorRef: TypeAlias = Annotated["AnchorInstitution", strawberry.lazy(_ANCHORS)]
DepartmentRef: TypeAlias = Annotated["Department", strawberry.lazy(_ANCHORS)]
VacancyRef: TypeAlias = Annotated["Vacancy", strawberry.lazy(_ANCHORS)]
OrganisationRef: TypeAlias = Annotated["CommunityOrganisation", strawberry.lazy(_ORGANISATIONS)]
ServiceRef: TypeAlias = Annotated["Service", strawberry.lazy(_ORGANISATIONS)]
AreaRef: TypeAlias = Annotated["Area", strawberry.lazy(_PLACES)]
PropertyRef: TypeAlias = Annotated["Property", strawberry.lazy(_PLACES)]
OccupationRef: TypeAlias = Annotated["Occupation", strawberry.lazy(_TAXONOMY)]
SkillRef: TypeAlias = Annotated["Skill", strawberry.lazy(_TAXONOMY)]
