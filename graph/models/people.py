"""People (micro assets) and, kept apart, their personal details."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.models.base import NodeModel

__all__ = [
    "CEFR_LEVELS",
    "ConsentScope",
    "LanguageLevel",
    "Person",
    "PersonProfile",
    "PersonalRecord",
    "ReadinessStage",
    "STAGE_ORDER",
]


class ReadinessStage(StrEnum):
    ENGAGED = "engaged"
    LANGUAGE_TRAINING = "language_training"
    ACCREDITATION = "accreditation"
    PLACEMENT = "placement"
    EMPLOYED = "employed"
    REGISTERED = "registered"


STAGE_ORDER: tuple[ReadinessStage, ...] = tuple(ReadinessStage)

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")


class ConsentScope(StrEnum):
    """What a person agreed to. Sharing with a named organisation is ``share:<org id>``."""

    MATCHING = "matching"
    REFERRAL = "referral"
    SHARE_WITH_HUB = "share_with_hub"
    RESEARCH = "research"


class LanguageLevel(BaseModel):
    model_config = ConfigDict(frozen=True)

    language: str = Field(min_length=2, max_length=3, description="ISO 639 code, e.g. en, ar, uk")
    cefr: str = Field(pattern=r"^(A1|A2|B1|B2|C1|C2)$")

    def encoded(self) -> str:
        return f"{self.language}:{self.cefr}"


class Person(NodeModel):
    """A resident as the graph holds them: pseudonymous, no name, no contact details.

    Lists are stored as parallel arrays on the node (Neo4j properties cannot be maps):
    ``languages`` as ``"en:B2"`` strings, the stage history as ``stage_names`` and
    ``stage_dates``.
    """

    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"home_area_id"})

    home_area_id: str | None = None
    right_to_work: bool | None = None
    trained_as: str | None = Field(None, description="Occupation id of the profession held abroad")
    languages: list[LanguageLevel] = Field(default_factory=list)
    ielts_overall: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_listening: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_reading: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_writing: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_speaking: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_date: date | None = None
    stage: ReadinessStage = ReadinessStage.ENGAGED
    stage_history: list[tuple[ReadinessStage, date]] = Field(default_factory=list)
    consent_scopes: list[str] = Field(default_factory=list)
    consent_given_at: datetime | None = None
    consent_withdrawn_at: datetime | None = None

    @model_validator(mode="after")
    def _history_is_ordered(self) -> Person:
        dates = [when for _, when in self.stage_history]
        if dates != sorted(dates):
            raise ValueError("stage_history must be in date order")
        return self

    @property
    def consented(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None

    def node_properties(self) -> dict[str, object]:
        return {
            "id": self.id,
            "right_to_work": self.right_to_work,
            "trained_as": self.trained_as,
            "languages": [lang.encoded() for lang in self.languages],
            "ielts_overall": self.ielts_overall,
            "ielts_listening": self.ielts_listening,
            "ielts_reading": self.ielts_reading,
            "ielts_writing": self.ielts_writing,
            "ielts_speaking": self.ielts_speaking,
            "ielts_date": self.ielts_date,
            "stage": self.stage.value,
            "stage_names": [stage.value for stage, _ in self.stage_history],
            "stage_dates": [when for _, when in self.stage_history],
            "consent_scopes": self.consent_scopes,
            "consent_given_at": self.consent_given_at,
            "consent_withdrawn_at": self.consent_withdrawn_at,
        }


class PersonalRecord(BaseModel):
    """Personal data: a node of its own, reached only through HAS_PERSONAL_RECORD."""

    person_id: str = Field(min_length=1, max_length=100)
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=40)
    date_of_birth: date | None = None
    nationality: str | None = Field(None, max_length=100)
    immigration_status: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = Field(None, max_length=10)

    def node_properties(self) -> dict[str, object]:
        return {
            "id": self.person_id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "date_of_birth": self.date_of_birth,
            "nationality": self.nationality,
            "immigration_status": self.immigration_status,
            "address": self.address,
            "postcode": self.postcode,
        }


class PersonProfile(BaseModel):
    """What a skills survey says of one person: the person, their personal record
    (if collected), their skills and the organisations that support them."""

    person: Person
    personal: PersonalRecord | None = None
    skill_ids: list[str] = Field(default_factory=list)
    organisation_ids: list[str] = Field(default_factory=list)
