"""Skills, occupations and qualifications, shaped after ESCO."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from graph.models.base import NodeModel

__all__ = ["Occupation", "Qualification", "RecognitionStatus", "Skill", "SkillType"]


class SkillType(StrEnum):
    SKILL = "skill/competence"
    KNOWLEDGE = "knowledge"
    LANGUAGE = "language"
    TRANSVERSAL = "transversal"


# URIs are indexed, and an index refuses a value of more than a few kilobytes.
_URI = Field(None, max_length=500)


class Skill(NodeModel):
    uri: str | None = _URI
    preferred_label: str = Field(min_length=1, max_length=500)
    alt_labels: list[str] = Field(default_factory=list)
    skill_type: SkillType = SkillType.SKILL
    reuse_level: str | None = None
    description: str | None = None
    invented: bool = Field(False, description="True where the URI is ours, not ESCO's")


class Occupation(NodeModel):
    uri: str | None = _URI
    preferred_label: str = Field(min_length=1, max_length=500)
    alt_labels: list[str] = Field(default_factory=list)
    isco_group: str | None = None
    code: str | None = None
    regulated: bool = False
    regulator: str | None = None
    description: str | None = None
    invented: bool = False


class RecognitionStatus(StrEnum):
    RECOGNISED = "recognised"
    PARTIAL = "partial"
    PENDING = "pending"
    NOT_RECOGNISED = "not_recognised"


class Qualification(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"occupation_id", "recognition"})

    title: str = Field(min_length=1, max_length=300)
    awarding_country: str | None = Field(None, max_length=100)
    level: str | None = Field(None, description="e.g. RQF 6, EQF 7, or the awarding system's own")
    occupation_id: str | None = Field(None, description="QUALIFIES_FOR this occupation")
    recognition: RecognitionStatus | None = None
