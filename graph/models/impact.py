"""What placing people in an anchor's posts is worth: the facts, the assumptions, the estimate.

Every figure in the estimate is people x a rate (x months), so a reader can redo it.
The defaults and where they come from are in docs/place-leaders.md.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

__all__ = [
    "DEFAULT_AGENCY_PREMIUM_PER_POST_GBP",
    "DEFAULT_ANNUAL_SALARY_GBP",
    "DEFAULT_LANGUAGE_TRAINING_COST_GBP",
    "DEFAULT_WELFARE_MONTHS",
    "DEFAULT_WELFARE_PER_MONTH_GBP",
    "AssumptionUsed",
    "Effect",
    "Impact",
    "ImpactAssumptions",
    "ImpactComponent",
    "ImpactLine",
    "PlacedGroup",
    "PlacementFacts",
    "SalarySource",
]

# NHS Agenda for Change band 5 entry point, 2024/25: the pay of a newly registered nurse.
DEFAULT_ANNUAL_SALARY_GBP = 29_970.0
# Universal Credit standard allowance, single claimant aged 25 or over, 2024/25.
DEFAULT_WELFARE_PER_MONTH_GBP = 393.45
DEFAULT_WELFARE_MONTHS = 12
# The seeds' figure for IELTS tuition to band 7.0.
DEFAULT_LANGUAGE_TRAINING_COST_GBP = 2_000.0
# Illustrative: about 40% on top of a band 5 post's pay with on-costs, for a year.
DEFAULT_AGENCY_PREMIUM_PER_POST_GBP = 12_000.0


class PlacedGroup(BaseModel):
    """People placed in posts of one occupation (``placed`` None: a hidden small cell)."""

    occupation_id: str | None
    occupation_name: str | None
    placed: int | None


class PlacementFacts(BaseModel):
    """Counts about the people an anchor has taken into paid work through the pathway.

    Any count may be None where it is hidden from the caller as a small cell.
    """

    anchor_id: str
    placed: int | None
    groups: list[PlacedGroup]
    language_trained: int | None = Field(description="Placed people who had language training")


class SalarySource(StrEnum):
    CALLER = "caller"
    VACANCIES = "vacancies"
    DEFAULT = "default"


class ImpactAssumptions(BaseModel):
    """Every rate the estimate uses; each has a documented default the caller may override."""

    salaries: dict[str, float] = Field(
        default_factory=dict, description="Annual salary by occupation id, from the caller"
    )
    default_annual_salary_gbp: float = Field(DEFAULT_ANNUAL_SALARY_GBP, ge=0)
    welfare_per_person_month_gbp: float = Field(DEFAULT_WELFARE_PER_MONTH_GBP, ge=0)
    welfare_months: int = Field(DEFAULT_WELFARE_MONTHS, ge=0, le=120)
    language_training_cost_per_person_gbp: float = Field(DEFAULT_LANGUAGE_TRAINING_COST_GBP, ge=0)
    agency_premium_per_post_gbp: float = Field(DEFAULT_AGENCY_PREMIUM_PER_POST_GBP, ge=0)


class Effect(StrEnum):
    BENEFIT = "benefit"
    COST = "cost"


class AssumptionUsed(BaseModel):
    name: str
    value: float
    unit: str
    source: str


class ImpactLine(BaseModel):
    """``amount_gbp = people x unit_gbp x multiplier`` (None where people is hidden)."""

    label: str
    people: int | None
    unit_gbp: float
    multiplier: float = 1.0
    amount_gbp: float | None


class ImpactComponent(BaseModel):
    key: str
    label: str
    effect: Effect
    people: int | None
    amount_gbp: float | None
    lines: list[ImpactLine]
    assumptions: list[AssumptionUsed]


class Impact(BaseModel):
    anchor_id: str
    placed: int | None
    components: list[ImpactComponent]
    mean_annual_salary_gbp: float | None
    earnings_gbp: float | None = Field(description="Annual pay of the people placed")
    public_savings_gbp: float | None = Field(
        description="Welfare no longer paid and agency premium avoided, less training cost"
    )
    total_gbp: float | None = Field(description="Earnings plus public savings")
