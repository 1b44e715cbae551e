"""Anchor institutions (macro assets), their departments and hubs, and their vacancies."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from graph.models.base import NodeModel

__all__ = [
    "AnchorInstitution",
    "Department",
    "DepartmentKind",
    "MACRO_ASSET_EMPLOYEES",
    "MACRO_ASSET_SPEND_GBP",
    "Vacancy",
]

# DOMAIN.md's rule of thumb for a macro asset.
MACRO_ASSET_EMPLOYEES = 250
MACRO_ASSET_SPEND_GBP = 1_000_000


class AnchorInstitution(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"area_id"})
    DERIVED_PROPERTIES: ClassVar[frozenset[str]] = frozenset({"is_macro_asset"})

    name: str = Field(min_length=1, max_length=300)
    sector: str = Field(min_length=1, max_length=100, description="health, education, council...")
    employees: int | None = Field(None, ge=0)
    annual_spend_gbp: float | None = Field(None, ge=0)
    land_hectares: float | None = Field(None, ge=0)
    significant_land: bool = Field(False, description="Holds significant land and property")
    area_id: str | None = None

    @property
    def is_macro_asset(self) -> bool:
        return (
            (self.employees or 0) > MACRO_ASSET_EMPLOYEES
            or (self.annual_spend_gbp or 0) > MACRO_ASSET_SPEND_GBP
            or self.significant_land
        )

    def node_properties(self) -> dict[str, object]:
        return {**super().node_properties(), "is_macro_asset": self.is_macro_asset}


class DepartmentKind(StrEnum):
    EMPLOYMENT_HUB = "employment_hub"
    DEPARTMENT = "department"


class Department(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"anchor_id", "area_id"})

    name: str = Field(min_length=1, max_length=300)
    kind: DepartmentKind = DepartmentKind.DEPARTMENT
    anchor_id: str = Field(min_length=1, description="PART_OF this anchor")
    area_id: str | None = None


class Vacancy(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"anchor_id", "occupation_id", "essential_skill_ids", "optional_skill_ids", "area_id"}
    )

    title: str = Field(min_length=1, max_length=300)
    anchor_id: str = Field(min_length=1, description="The anchor that POSTS it")
    occupation_id: str | None = None
    essential_skill_ids: list[str] = Field(default_factory=list)
    optional_skill_ids: list[str] = Field(default_factory=list)
    qualification_required: str | None = None
    registration_required: bool = False
    min_ielts: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    min_cefr: str | None = Field(None, pattern=r"^(A1|A2|B1|B2|C1|C2)$")
    salary_band: str | None = None
    salary_min_gbp: float | None = Field(None, ge=0)
    salary_max_gbp: float | None = Field(None, ge=0)
    area_id: str | None = None
    opens: date | None = None
    closes: date | None = None
    shortage: bool = False
    status: str = Field("open", pattern=r"^(open|closed|filled)$")

    @model_validator(mode="after")
    def _consistent(self) -> Vacancy:
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError("closes is before opens")
        if (
            self.salary_min_gbp is not None
            and self.salary_max_gbp is not None
            and self.salary_max_gbp < self.salary_min_gbp
        ):
            raise ValueError("salary_max_gbp is below salary_min_gbp")
        return self
