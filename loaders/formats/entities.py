"""Our own CSV formats for entities: one row a node, columns named as the model's fields.

List columns (alternative labels, a vacancy's skills) are separated by semicolons.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import ConfigDict, Field

from graph.models.anchors import AnchorInstitution, Department, Vacancy
from graph.models.base import NodeModel
from graph.models.organisations import CommunityOrganisation, Service
from graph.models.places import Area, Property
from graph.models.taxonomy import Occupation, Qualification, Skill
from graph.services import ingest
from loaders.formats.fields import SemicolonList
from loaders.pipeline import Format

__all__ = [
    "ANCHORS",
    "AREAS",
    "DEPARTMENTS",
    "OCCUPATIONS",
    "ORGANISATIONS",
    "PROPERTIES",
    "QUALIFICATIONS",
    "SERVICES",
    "SKILLS",
    "VACANCIES",
    "entity_format",
]

_ROW_CONFIG = ConfigDict(extra="ignore", str_strip_whitespace=True)

Row = TypeVar("Row", bound=NodeModel)
Model = TypeVar("Model", bound=NodeModel)


class AreaRow(Area):
    model_config = _ROW_CONFIG


class SkillRow(Skill):
    model_config = _ROW_CONFIG
    alt_labels: SemicolonList = Field(default_factory=list)


class OccupationRow(Occupation):
    model_config = _ROW_CONFIG
    alt_labels: SemicolonList = Field(default_factory=list)


class QualificationRow(Qualification):
    model_config = _ROW_CONFIG


class OrganisationRow(CommunityOrganisation):
    model_config = _ROW_CONFIG


class ServiceRow(Service):
    model_config = _ROW_CONFIG


class AnchorRow(AnchorInstitution):
    model_config = _ROW_CONFIG


class DepartmentRow(Department):
    model_config = _ROW_CONFIG


class VacancyRow(Vacancy):
    model_config = _ROW_CONFIG
    essential_skill_ids: SemicolonList = Field(default_factory=list)
    optional_skill_ids: SemicolonList = Field(default_factory=list)


class PropertyRow(Property):
    model_config = _ROW_CONFIG


def entity_format(
    kind: str, row: type[Row], model: type[Model], description: str
) -> Format[Row, Model]:
    """A format whose rows are the model's own fields; rows become the plain model."""

    def convert(parsed: Row) -> Model:
        return model.model_validate(parsed.model_dump())

    return Format(
        kind=kind,
        row_model=row,
        convert=convert,
        key=lambda item: item.id,
        check=ingest.node_problems,
        write=ingest.write_nodes,
        description=description,
    )


AREAS = entity_format(
    "areas", AreaRow, Area, "Areas: LSOA, ward, local authority, postcode district"
)
SKILLS = entity_format("skills", SkillRow, Skill, "Skills in our own CSV (ESCO has its own loader)")
OCCUPATIONS = entity_format("occupations", OccupationRow, Occupation, "Occupations and regulators")
QUALIFICATIONS = entity_format(
    "qualifications", QualificationRow, Qualification, "Qualifications and their recognition"
)
ORGANISATIONS = entity_format(
    "organisations", OrganisationRow, CommunityOrganisation, "Community organisations"
)
SERVICES = entity_format("services", ServiceRow, Service, "Services community organisations offer")
ANCHORS = entity_format("anchors", AnchorRow, AnchorInstitution, "Anchor institutions")
DEPARTMENTS = entity_format(
    "departments", DepartmentRow, Department, "Anchors' departments and employment hubs"
)
VACANCIES = entity_format("vacancies", VacancyRow, Vacancy, "A workforce plan's vacancies")
PROPERTIES = entity_format("properties", PropertyRow, Property, "Land and buildings")
