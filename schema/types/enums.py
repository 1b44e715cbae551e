"""The enums of the schema, described once.

Import enums from here, never from ``graph`` directly: strawberry adopts an
enum the first time it meets one, so this module must run first for the
descriptions to stick. The values are the model's own enums: GraphQL shows their member names
(``LANGUAGE_TRAINING``), the graph stores their values (``language_training``).
Sort orders name pre-written queries; anything else fails validation.
"""

from __future__ import annotations

from enum import EnumMeta

import strawberry

from graph.models.anchors import DepartmentKind
from graph.models.funnel import FunnelGroupBy
from graph.models.impact import Effect
from graph.models.organisations import OrganisationType, ServiceType
from graph.models.people import ReadinessStage
from graph.models.places import AreaKind, PropertyKind
from graph.models.taxonomy import RecognitionStatus, SkillType
from graph.services import explore_filters as f
from graph.services.explore_filters import (
    AnchorSort,
    AreaSort,
    DepartmentSort,
    OccupationSort,
    OrganisationSort,
    PersonSort,
    PropertySort,
    QualificationSort,
    ServiceSort,
    SkillSort,
    VacancySort,
    VacancyStatus,
)

__all__ = [
    "AnchorSort",
    "AreaKind",
    "AreaSort",
    "DepartmentKind",
    "DepartmentSort",
    "Effect",
    "FunnelGroupBy",
    "OccupationSort",
    "OrganisationSort",
    "OrganisationType",
    "PersonSort",
    "PropertyKind",
    "PropertySort",
    "QualificationSort",
    "ReadinessStage",
    "RecognitionStatus",
    "ServiceSort",
    "ServiceType",
    "SkillSort",
    "SkillType",
    "VacancySort",
    "VacancyStatus",
]

_DESCRIPTIONS: dict[EnumMeta, str] = {
    ReadinessStage: "Where a person is on the pathway to work, in pathway order.",
    OrganisationType: "What kind of community organisation this is.",
    ServiceType: "What a service offers.",
    DepartmentKind: "A department of an anchor, or its employment hub.",
    AreaKind: "A level of UK geography.",
    PropertyKind: "Land or a building.",
    SkillType: "ESCO's kinds of skill.",
    RecognitionStatus: "How far a qualification gained abroad is recognised here.",
    f.VacancyStatus: "Whether a vacancy is open.",
    FunnelGroupBy: (
        "How to split a funnel: OCCUPATION (the one trained in); AREA (the ward lived in, "
        "or the home area where it lies in no ward)."
    ),
    Effect: "Whether a component of an impact estimate adds value or costs money.",
    f.PersonSort: (
        "Orders of the people list: ID; STAGE (pathway order, earliest stage first); "
        "IELTS_DESC (highest overall band first, untested last). Ties go by id."
    ),
    f.OrganisationSort: (
        "Orders of the organisations list: NAME; ID; FOUNDED_YEAR (oldest first, "
        "unknown last). Ties go by id."
    ),
    f.ServiceSort: "Orders of the services list: NAME; ID. Ties go by id.",
    f.AnchorSort: (
        "Orders of the anchors list: NAME; ID; EMPLOYEES_DESC (largest employer "
        "first, unknown last). Ties go by id."
    ),
    f.DepartmentSort: "Orders of the departments list: NAME; ID. Ties go by id.",
    f.VacancySort: (
        "Orders of the vacancies list: CLOSES (soonest closing first, no closing "
        "date last); TITLE; ID. Ties go by id."
    ),
    f.SkillSort: "Orders of the skills list: LABEL (preferred label); ID. Ties go by id.",
    f.OccupationSort: "Orders of the occupations list: LABEL; ID. Ties go by id.",
    f.QualificationSort: "Orders of the qualifications list: TITLE; ID. Ties go by id.",
    f.PropertySort: (
        "Orders of the properties list: NAME; ID; SIZE_DESC (largest first, "
        "unknown last). Ties go by id."
    ),
    f.AreaSort: "Orders of the areas list: NAME; ID. Ties go by id.",
}

for _enum, _description in _DESCRIPTIONS.items():
    strawberry.enum(_enum, description=_description)
