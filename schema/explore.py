"""Exploring the place graph: any node by id, every kind as a filtered, sorted,
keyset-paginated list, and the places the caller may see (the explorer's picker)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

import strawberry

from graph.services import explore_filters as f
from graph.services import explore_lists as lists
from graph.vocabulary import Label
from schema import explore_inputs as inputs
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.errors import NotFound
from schema.ids import parse_global_id
from schema.pagination import DEFAULT_FIRST, Connection, connection
from schema.types import enums as _enums  # noqa: F401 - registers the enums' descriptions
from schema.types.assets import (
    AnchorInstitution,
    CommunityOrganisation,
    Department,
    Property,
    Service,
    Vacancy,
)
from schema.types.node import Node
from schema.types.people import Person
from schema.types.places import Area
from schema.types.taxonomy import Occupation, Qualification, Skill

__all__ = ["ExploreQuery", "Place"]

_TO_NODE: dict[Label, Callable[[Any], Node]] = {
    Label.PERSON: Person.from_model,
    Label.SKILL: Skill.from_model,
    Label.OCCUPATION: Occupation.from_model,
    Label.QUALIFICATION: Qualification.from_model,
    Label.COMMUNITY_ORGANISATION: CommunityOrganisation.from_model,
    Label.SERVICE: Service.from_model,
    Label.ANCHOR_INSTITUTION: AnchorInstitution.from_model,
    Label.DEPARTMENT: Department.from_model,
    Label.VACANCY: Vacancy.from_model,
    Label.PROPERTY: Property.from_model,
    Label.AREA: Area.from_model,
}

First = Annotated[
    int,
    strawberry.argument(description="How many rows, 0 to 100 (more is refused)."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="The endCursor of the previous page."),
]

OnePlace = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="A place id (as `places` lists it): only what lies in this one of the "
        "caller's places. Left out: every place the caller may see."
    ),
]


@strawberry.type(description="A place the caller may see: a neighbourhood, a city, a region.")
class Place:
    id: strawberry.ID = strawberry.field(description="The place's id, as tokens name it.")
    name: str


def _filter(kind: str) -> Any:
    return strawberry.argument(name="filter", description=f"Which {kind} to list.")


@strawberry.type
class ExploreQuery:
    @strawberry.field(description="The node with this global id, if it exists and may be seen.")
    async def node(self, info: GraphInfo, id: strawberry.ID) -> Node | None:
        parsed = parse_global_id(id)
        if parsed is not None:
            label, external_id = parsed
            model = await info.context.loaders.node(label).load(external_id)
            if model is not None:
                return _TO_NODE[label](model)
        # The same answer for a person who did not consent as for no one at all.
        raise NotFound(f"No node has id '{id}'.")

    @strawberry.field(
        description="People who consented to be seen, by pseudonymous id; no one else is listed."
    )
    async def people(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.PeopleFilter | None, _filter("people")] = None,
        sort: f.PersonSort = f.PersonSort.ID,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Person]:
        model = (filters or inputs.PeopleFilter()).to_model(info.context.caller)
        load = info.context.loaders.person.load_many
        return await connection(
            info.context, lists.PEOPLE, sort, model, first, after, load, Person.from_model
        )

    @strawberry.field(
        description="The places the caller may see, by name: an administrator's are all."
    )
    async def places(self, info: GraphInfo) -> list[Place]:
        caller = info.context.caller
        # No caller (refused before any resolver runs) would see no place, not every place.
        seen = caller.places_param if caller is not None else []
        found = await asyncio.to_thread(
            lists.visible_places, info.context.driver, info.context.database, places=seen
        )
        return [Place(id=strawberry.ID(entry.id), name=entry.name) for entry in found]

    @strawberry.field(description="Community organisations.")
    async def organisations(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.OrganisationFilter | None, _filter("organisations")] = None,
        sort: f.OrganisationSort = f.OrganisationSort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
        place: OnePlace = None,
        as_of: AsOf = None,
    ) -> Connection[CommunityOrganisation]:
        # The organisations' refersTo, partners and peopleCount follow the day, down to
        # the organisations their ties reach.
        day = asked_day(as_of)
        model = (filters or inputs.OrganisationFilter()).to_model()
        load = info.context.loaders.organisation.load_many
        return await connection(
            info.context,
            lists.ORGANISATIONS,
            sort,
            model,
            first,
            after,
            load,
            partial(CommunityOrganisation.from_model, as_of=day),
            place=place,
            as_of=day,
        )

    @strawberry.field(description="Services community organisations offer.")
    async def services(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.ServiceFilter | None, _filter("services")] = None,
        sort: f.ServiceSort = f.ServiceSort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Service]:
        model = (filters or inputs.ServiceFilter()).to_model()
        load = info.context.loaders.service.load_many
        return await connection(
            info.context, lists.SERVICES, sort, model, first, after, load, Service.from_model
        )

    @strawberry.field(description="Anchor institutions.")
    async def anchors(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.AnchorFilter | None, _filter("anchors")] = None,
        sort: f.AnchorSort = f.AnchorSort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
        place: OnePlace = None,
    ) -> Connection[AnchorInstitution]:
        model = (filters or inputs.AnchorFilter()).to_model()
        load = info.context.loaders.anchor.load_many
        return await connection(
            info.context,
            lists.ANCHORS,
            sort,
            model,
            first,
            after,
            load,
            AnchorInstitution.from_model,
            place=place,
        )

    @strawberry.field(description="Anchors' departments and employment hubs.")
    async def departments(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.DepartmentFilter | None, _filter("departments")] = None,
        sort: f.DepartmentSort = f.DepartmentSort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Department]:
        model = (filters or inputs.DepartmentFilter()).to_model()
        load = info.context.loaders.department.load_many
        return await connection(
            info.context, lists.DEPARTMENTS, sort, model, first, after, load, Department.from_model
        )

    @strawberry.field(description="Vacancies anchors post.")
    async def vacancies(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.VacancyFilter | None, _filter("vacancies")] = None,
        sort: f.VacancySort = f.VacancySort.CLOSES,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Vacancy]:
        model = (filters or inputs.VacancyFilter()).to_model()
        load = info.context.loaders.vacancy.load_many
        return await connection(
            info.context, lists.VACANCIES, sort, model, first, after, load, Vacancy.from_model
        )

    @strawberry.field(description="Skills of the taxonomy.")
    async def skills(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.SkillFilter | None, _filter("skills")] = None,
        sort: f.SkillSort = f.SkillSort.LABEL,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Skill]:
        model = (filters or inputs.SkillFilter()).to_model()
        load = info.context.loaders.skill.load_many
        return await connection(
            info.context, lists.SKILLS, sort, model, first, after, load, Skill.from_model
        )

    @strawberry.field(description="Occupations of the taxonomy.")
    async def occupations(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.OccupationFilter | None, _filter("occupations")] = None,
        sort: f.OccupationSort = f.OccupationSort.LABEL,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Occupation]:
        model = (filters or inputs.OccupationFilter()).to_model()
        load = info.context.loaders.occupation.load_many
        return await connection(
            info.context, lists.OCCUPATIONS, sort, model, first, after, load, Occupation.from_model
        )

    @strawberry.field(description="Qualifications and their recognition.")
    async def qualifications(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.QualificationFilter | None, _filter("qualifications")] = None,
        sort: f.QualificationSort = f.QualificationSort.TITLE,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Qualification]:
        model = (filters or inputs.QualificationFilter()).to_model()
        load = info.context.loaders.qualification.load_many
        return await connection(
            info.context,
            lists.QUALIFICATIONS,
            sort,
            model,
            first,
            after,
            load,
            Qualification.from_model,
        )

    @strawberry.field(description="Land and buildings.")
    async def properties(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.PropertyFilter | None, _filter("properties")] = None,
        sort: f.PropertySort = f.PropertySort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Property]:
        model = (filters or inputs.PropertyFilter()).to_model()
        load = info.context.loaders.property.load_many
        return await connection(
            info.context, lists.PROPERTIES, sort, model, first, after, load, Property.from_model
        )

    @strawberry.field(description="Areas of UK geography.")
    async def areas(
        self,
        info: GraphInfo,
        filters: Annotated[inputs.AreaFilter | None, _filter("areas")] = None,
        sort: f.AreaSort = f.AreaSort.NAME,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Area]:
        model = (filters or inputs.AreaFilter()).to_model()
        load = info.context.loaders.area.load_many
        return await connection(
            info.context, lists.AREAS, sort, model, first, after, load, Area.from_model
        )
