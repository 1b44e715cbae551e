"""What a caller may filter and sort the explorable lists by.

Filters are validated models: every field maps to one ``$parameter`` of the
list's queries, and ``None`` means "any". Sort orders are closed enums; each
member's value is the ``$sort`` that picks one of the key expressions written
out in its listing's page query in ``graph.cypher.list_*``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from graph.access import share_scope
from graph.models.anchors import DepartmentKind
from graph.models.organisations import OrganisationType, ServiceType
from graph.models.people import ReadinessStage
from graph.models.places import AreaKind, PropertyKind
from graph.models.taxonomy import SkillType
from graph.vocabulary import Label

__all__ = [
    "AnchorFilter",
    "AnchorSort",
    "AreaFilter",
    "AreaSort",
    "DepartmentFilter",
    "DepartmentSort",
    "ListFilter",
    "OccupationFilter",
    "OccupationSort",
    "OrganisationFilter",
    "OrganisationSort",
    "PeopleFilter",
    "PersonSort",
    "PropertyFilter",
    "PropertySort",
    "QualificationFilter",
    "QualificationSort",
    "ServiceFilter",
    "ServiceSort",
    "SkillFilter",
    "SkillSort",
    "VacancyFilter",
    "VacancySort",
    "VacancyStatus",
]

Search = Annotated[
    str | None, Field(min_length=1, max_length=200, description="Case-insensitive substring")
]


class ListFilter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    def params(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class VacancyStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


class PeopleFilter(ListFilter):
    area_id: str | None = Field(None, description="Home in this area or any area within it")
    stage: ReadinessStage | None = None
    skill_id: str | None = None
    trained_as: str | None = Field(None, description="Occupation id")
    right_to_work: bool | None = None
    organisation_id: str | None = Field(
        None, description="Supported by this organisation, or sharing their details with it"
    )

    def params(self) -> dict[str, Any]:
        values = super().params()
        # The scope is spelt once, where consent is (graph.access), not again in Cypher.
        values["share_scope"] = share_scope(self.organisation_id) if self.organisation_id else None
        return values


class OrganisationFilter(ListFilter):
    org_type: OrganisationType | None = None
    area_id: str | None = None
    search: Search = None


class ServiceFilter(ListFilter):
    service_type: ServiceType | None = None
    organisation_id: str | None = None
    search: Search = None


class AnchorFilter(ListFilter):
    sector: str | None = Field(None, max_length=100)
    area_id: str | None = None
    search: Search = None


class DepartmentFilter(ListFilter):
    kind: DepartmentKind | None = None
    anchor_id: str | None = None
    search: Search = None


class VacancyFilter(ListFilter):
    status: VacancyStatus | None = None
    shortage: bool | None = None
    anchor_id: str | None = None
    occupation_id: str | None = None
    area_id: str | None = None
    search: Search = None


class SkillFilter(ListFilter):
    skill_type: SkillType | None = None
    search: Search = Field(None, description="In the preferred or any alternative label")


class OccupationFilter(ListFilter):
    regulated: bool | None = None
    search: Search = Field(None, description="In the preferred or any alternative label")


class QualificationFilter(ListFilter):
    occupation_id: str | None = None
    search: Search = None


class PropertyFilter(ListFilter):
    kind: PropertyKind | None = None
    available_for_community: bool | None = None
    owner_kind: Label | None = Field(None, description="Label of the owner named by owner_id")
    owner_id: str | None = None
    area_id: str | None = None
    search: Search = None


class AreaFilter(ListFilter):
    kind: AreaKind | None = None
    parent_id: str | None = Field(None, description="Areas directly within this one")
    search: Search = None


class PersonSort(StrEnum):
    ID = "id"
    STAGE = "stage"
    IELTS_DESC = "ielts_desc"


class OrganisationSort(StrEnum):
    NAME = "name"
    ID = "id"
    FOUNDED_YEAR = "founded_year"


class ServiceSort(StrEnum):
    NAME = "name"
    ID = "id"


class AnchorSort(StrEnum):
    NAME = "name"
    ID = "id"
    EMPLOYEES_DESC = "employees_desc"


class DepartmentSort(StrEnum):
    NAME = "name"
    ID = "id"


class VacancySort(StrEnum):
    CLOSES = "closes"
    TITLE = "title"
    ID = "id"


class SkillSort(StrEnum):
    LABEL = "label"
    ID = "id"


class OccupationSort(StrEnum):
    LABEL = "label"
    ID = "id"


class QualificationSort(StrEnum):
    TITLE = "title"
    ID = "id"


class PropertySort(StrEnum):
    NAME = "name"
    ID = "id"
    SIZE_DESC = "size_desc"


class AreaSort(StrEnum):
    NAME = "name"
    ID = "id"
