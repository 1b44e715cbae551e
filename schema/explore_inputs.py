"""Filters of the explore lists, as GraphQL inputs.

Each input becomes its pydantic filter (``graph.services.explore_filters``) at
once; references to other nodes are global ids and must name the right kind.
"""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry
from pydantic import ValidationError

from graph.access import Caller, Role
from graph.services import explore_filters as f
from graph.vocabulary import Label
from schema.errors import BadUserInput
from schema.ids import external_id, reference
from schema.types.enums import (
    AreaKind,
    DepartmentKind,
    OrganisationType,
    PropertyKind,
    ReadinessStage,
    ServiceType,
    SkillType,
)

__all__ = [
    "AnchorFilter",
    "AreaFilter",
    "DepartmentFilter",
    "OccupationFilter",
    "OrganisationFilter",
    "PeopleFilter",
    "PropertyFilter",
    "QualificationFilter",
    "ServiceFilter",
    "SkillFilter",
    "VacancyFilter",
]

F = TypeVar("F", bound=f.ListFilter)

_AREA = "An Area id: matches this area and every area within it."
_SEARCH = "Case-insensitive substring of the name."


def _validated(model: type[F], **values: Any) -> F:
    try:
        return model(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)
        )
        raise BadUserInput(f"filter: {problems}") from None


@strawberry.input(description="People: every filter given must hold.")
class PeopleFilter:
    area: strawberry.ID | None = strawberry.field(default=None, description=_AREA)
    stage: ReadinessStage | None = None
    skill: strawberry.ID | None = strawberry.field(default=None, description="A Skill id.")
    trained_as: strawberry.ID | None = strawberry.field(
        default=None, description="An Occupation id: the profession they trained for."
    )
    right_to_work: bool | None = None
    mine: bool | None = strawberry.field(
        default=None,
        description="True: only the caller's own people, those their organisation supports "
        "or who share their details with it. A caseworker's filter: other roles belong to no "
        "organisation here and are refused.",
    )

    def to_model(self, caller: Caller | None) -> f.PeopleFilter:
        return _validated(
            f.PeopleFilter,
            area_id=external_id(self.area, "filter.area", Label.AREA),
            stage=self.stage,
            skill_id=external_id(self.skill, "filter.skill", Label.SKILL),
            trained_as=external_id(self.trained_as, "filter.trainedAs", Label.OCCUPATION),
            right_to_work=self.right_to_work,
            organisation_id=_own_organisation(caller) if self.mine else None,
        )


def _own_organisation(caller: Caller | None) -> str:
    # An administrator's or analyst's token may name no organisation, and one that did
    # would not make them its caseworker: answering with everyone would mislead.
    if caller is None or caller.role is not Role.CASEWORKER or not caller.organisation_id:
        role = caller.role.value if caller else "anonymous"
        raise BadUserInput(
            f"filter.mine: only a caseworker has people of their own (their organisation's); "
            f"the {role} role has none. Leave filter.mine out to list everyone who consented."
        )
    return caller.organisation_id


@strawberry.input(description="Community organisations: every filter given must hold.")
class OrganisationFilter:
    org_type: OrganisationType | None = None
    area: strawberry.ID | None = strawberry.field(default=None, description=_AREA)
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.OrganisationFilter:
        return _validated(
            f.OrganisationFilter,
            org_type=self.org_type,
            area_id=external_id(self.area, "filter.area", Label.AREA),
            search=self.search,
        )


@strawberry.input(description="Services: every filter given must hold.")
class ServiceFilter:
    service_type: ServiceType | None = None
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="A CommunityOrganisation id."
    )
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.ServiceFilter:
        return _validated(
            f.ServiceFilter,
            service_type=self.service_type,
            organisation_id=external_id(
                self.organisation, "filter.organisation", Label.COMMUNITY_ORGANISATION
            ),
            search=self.search,
        )


@strawberry.input(description="Anchor institutions: every filter given must hold.")
class AnchorFilter:
    sector: str | None = None
    area: strawberry.ID | None = strawberry.field(default=None, description=_AREA)
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.AnchorFilter:
        return _validated(
            f.AnchorFilter,
            sector=self.sector,
            area_id=external_id(self.area, "filter.area", Label.AREA),
            search=self.search,
        )


@strawberry.input(description="Departments: every filter given must hold.")
class DepartmentFilter:
    kind: DepartmentKind | None = None
    anchor: strawberry.ID | None = strawberry.field(
        default=None, description="An AnchorInstitution id."
    )
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.DepartmentFilter:
        return _validated(
            f.DepartmentFilter,
            kind=self.kind,
            anchor_id=external_id(self.anchor, "filter.anchor", Label.ANCHOR_INSTITUTION),
            search=self.search,
        )


@strawberry.input(description="Vacancies: every filter given must hold.")
class VacancyFilter:
    status: f.VacancyStatus | None = None
    shortage: bool | None = None
    anchor: strawberry.ID | None = strawberry.field(
        default=None, description="An AnchorInstitution id."
    )
    occupation: strawberry.ID | None = strawberry.field(
        default=None, description="An Occupation id."
    )
    area: strawberry.ID | None = strawberry.field(default=None, description=_AREA)
    search: str | None = strawberry.field(default=None, description="Substring of the title.")

    def to_model(self) -> f.VacancyFilter:
        return _validated(
            f.VacancyFilter,
            status=self.status,
            shortage=self.shortage,
            anchor_id=external_id(self.anchor, "filter.anchor", Label.ANCHOR_INSTITUTION),
            occupation_id=external_id(self.occupation, "filter.occupation", Label.OCCUPATION),
            area_id=external_id(self.area, "filter.area", Label.AREA),
            search=self.search,
        )


@strawberry.input(description="Skills: every filter given must hold.")
class SkillFilter:
    skill_type: SkillType | None = None
    search: str | None = strawberry.field(
        default=None, description="Substring of the preferred or any alternative label."
    )

    def to_model(self) -> f.SkillFilter:
        return _validated(f.SkillFilter, skill_type=self.skill_type, search=self.search)


@strawberry.input(description="Occupations: every filter given must hold.")
class OccupationFilter:
    regulated: bool | None = None
    search: str | None = strawberry.field(
        default=None, description="Substring of the preferred or any alternative label."
    )

    def to_model(self) -> f.OccupationFilter:
        return _validated(f.OccupationFilter, regulated=self.regulated, search=self.search)


@strawberry.input(description="Qualifications: every filter given must hold.")
class QualificationFilter:
    occupation: strawberry.ID | None = strawberry.field(
        default=None, description="An Occupation id."
    )
    search: str | None = strawberry.field(default=None, description="Substring of the title.")

    def to_model(self) -> f.QualificationFilter:
        return _validated(
            f.QualificationFilter,
            occupation_id=external_id(self.occupation, "filter.occupation", Label.OCCUPATION),
            search=self.search,
        )


@strawberry.input(description="Properties: every filter given must hold.")
class PropertyFilter:
    kind: PropertyKind | None = None
    available_for_community: bool | None = None
    owner: strawberry.ID | None = strawberry.field(
        default=None, description="An AnchorInstitution or CommunityOrganisation id."
    )
    area: strawberry.ID | None = strawberry.field(default=None, description=_AREA)
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.PropertyFilter:
        owner = reference(
            self.owner,
            "filter.owner",
            Label.ANCHOR_INSTITUTION,
            Label.COMMUNITY_ORGANISATION,
        )
        return _validated(
            f.PropertyFilter,
            kind=self.kind,
            available_for_community=self.available_for_community,
            owner_kind=owner[0] if owner else None,
            owner_id=owner[1] if owner else None,
            area_id=external_id(self.area, "filter.area", Label.AREA),
            search=self.search,
        )


@strawberry.input(description="Areas: every filter given must hold.")
class AreaFilter:
    kind: AreaKind | None = None
    parent: strawberry.ID | None = strawberry.field(
        default=None, description="An Area id: areas lying directly within it."
    )
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def to_model(self) -> f.AreaFilter:
        return _validated(
            f.AreaFilter,
            kind=self.kind,
            parent_id=external_id(self.parent, "filter.parent", Label.AREA),
            search=self.search,
        )
