"""Matching people to vacancies: the facts read, and the scored result."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from graph.models.paths import ReferralPath

__all__ = [
    "CandidateFacts",
    "CandidateKind",
    "Factor",
    "Gap",
    "GapProvider",
    "Match",
    "Recognition",
    "SkillRef",
    "VacancyRequirements",
]


class SkillRef(BaseModel):
    id: str
    label: str | None = None


class VacancyRequirements(BaseModel):
    id: str
    title: str
    anchor_id: str | None = None
    anchor_name: str | None = None
    occupation_id: str | None = None
    occupation_label: str | None = None
    regulated: bool = False
    regulator: str | None = None
    hub_id: str | None = None
    hub_name: str | None = None
    essential: list[SkillRef] = Field(default_factory=list)
    optional: list[SkillRef] = Field(default_factory=list)
    min_ielts: float | None = None
    min_cefr: str | None = None
    qualification_required: str | None = None
    registration_required: bool | None = False
    shortage: bool | None = False
    status: str | None = "open"
    salary_band: str | None = None
    places: list[str] = Field(default_factory=list)

    @field_validator("essential", "optional")
    @classmethod
    def _by_id(cls, skills: list[SkillRef]) -> list[SkillRef]:
        # The graph gives a pattern's matches in storage order, which two loads of the
        # same file need not share; gaps and a factor's detail list skills in this order.
        return sorted(skills, key=lambda skill: skill.id)

    @property
    def skill_ids(self) -> list[str]:
        return [s.id for s in [*self.essential, *self.optional]]


class Recognition(BaseModel):
    occupation_id: str
    status: str | None = None


class CandidateFacts(BaseModel):
    """What matching knows of one consenting person: no personal fields."""

    id: str
    stage: str | None = None
    right_to_work: bool | None = None
    ielts_overall: float | None = None
    languages: list[str] = Field(default_factory=list)
    trained_as: str | None = None
    held: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    recognitions: list[Recognition] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)


class CandidateKind(BaseModel):
    """Everyone with the same facts, as some vacancies see them: one score and one
    set of gaps serve them all. ``facts.id`` is the first of ``people``."""

    facts: CandidateFacts
    people: list[str]


class Factor(BaseModel):
    """One part of a score: ``contribution == weight * value``."""

    name: str
    weight: float
    value: float = Field(ge=0, le=1)
    contribution: float
    detail: str


class GapProvider(BaseModel):
    organisation_id: str
    organisation_name: str | None = None
    service: str | None = None
    supports_person: bool = False


class Gap(BaseModel):
    kind: str
    description: str
    closed_by: list[str] = Field(description="Service types that close this gap")
    providers: list[GapProvider] = Field(default_factory=list)


class Match(BaseModel):
    person_id: str
    vacancy_id: str
    vacancy_title: str
    score: float
    factors: list[Factor]
    gaps: list[Gap]
    referral_path: ReferralPath | None = None
