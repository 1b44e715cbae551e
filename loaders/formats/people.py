"""The community skills survey: one row a person (CSV or XLSX)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.models.people import LanguageLevel, Person, PersonalRecord, PersonProfile, ReadinessStage
from graph.services import people_ingest
from loaders.formats.fields import SemicolonList, split_semicolons
from loaders.pipeline import Format

__all__ = ["PEOPLE", "SurveyRow"]


def _languages(value: object) -> object:
    parts = split_semicolons(value)
    if not isinstance(parts, list):
        return parts
    out = []
    for part in parts:
        language, sep, level = str(part).partition(":")
        if not sep:
            raise ValueError(f"language {part!r} is not of the form code:CEFR (e.g. en:B2)")
        out.append({"language": language.strip().lower(), "cefr": level.strip().upper()})
    return out


def _history(value: object) -> object:
    parts = split_semicolons(value)
    if not isinstance(parts, list):
        return parts
    out = []
    for part in parts:
        stage, sep, when = str(part).partition("@")
        if not sep:
            raise ValueError(f"stage change {part!r} is not of the form stage@YYYY-MM-DD")
        out.append((stage.strip(), when.strip()))
    return out


class SurveyRow(BaseModel):
    """A row of the skills survey. Lists are separated by semicolons."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100, description="Pseudonymous person id")
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=40)
    date_of_birth: date | None = None
    nationality: str | None = Field(None, max_length=100)
    immigration_status: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = Field(None, max_length=10)
    home_area_id: str | None = Field(None, description="LSOA or ward code of home")
    right_to_work: bool | None = None
    trained_as: str | None = Field(
        None, max_length=200, description="Occupation id of the profession held"
    )
    languages: Annotated[list[LanguageLevel], BeforeValidator(_languages)] = Field(
        default_factory=list, description="e.g. 'en:B2; ar:C2'"
    )
    ielts_overall: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_listening: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_reading: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_writing: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_speaking: float | None = Field(None, ge=0, le=9, multiple_of=0.5)
    ielts_date: date | None = None
    stage: ReadinessStage = ReadinessStage.ENGAGED
    stage_history: Annotated[list[tuple[ReadinessStage, date]], BeforeValidator(_history)] = Field(
        default_factory=list, description="e.g. 'engaged@2023-01-10; language_training@2023-06-01'"
    )
    consent_scopes: SemicolonList = Field(
        default_factory=list,
        description="e.g. 'matching; share:org-a'; a change is dated by the load",
    )
    consent_given_at: datetime | None = Field(
        None, description="When consent was given (UTC unless a zone is given)"
    )
    consent_withdrawn_at: datetime | None = Field(
        None,
        description="When it was withdrawn: the personal values are then not kept; a row "
        "without it for someone who withdrew is rejected",
    )
    skill_ids: SemicolonList = Field(
        default_factory=list, description="Skill ids (ESCO URIs or ours)"
    )
    organisation_ids: SemicolonList = Field(
        default_factory=list, description="Ids of organisations that support the person"
    )


_PERSONAL = ("name", "email", "phone", "date_of_birth", "nationality", "immigration_status",
             "address", "postcode")  # fmt: skip


def to_profile(row: SurveyRow) -> PersonProfile:
    person = Person(
        id=row.id,
        home_area_id=row.home_area_id,
        right_to_work=row.right_to_work,
        trained_as=row.trained_as,
        languages=row.languages,
        ielts_overall=row.ielts_overall,
        ielts_listening=row.ielts_listening,
        ielts_reading=row.ielts_reading,
        ielts_writing=row.ielts_writing,
        ielts_speaking=row.ielts_speaking,
        ielts_date=row.ielts_date,
        stage=row.stage,
        stage_history=row.stage_history,
        consent_scopes=row.consent_scopes,
        consent_given_at=row.consent_given_at,
        consent_withdrawn_at=row.consent_withdrawn_at,
    )
    personal_values = {name: getattr(row, name) for name in _PERSONAL}
    personal = (
        PersonalRecord(person_id=row.id, **personal_values)
        if any(value is not None for value in personal_values.values())
        else None
    )
    return PersonProfile(
        person=person,
        personal=personal,
        skill_ids=row.skill_ids,
        organisation_ids=row.organisation_ids,
    )


PEOPLE: Format[SurveyRow, PersonProfile] = Format(
    kind="people",
    row_model=SurveyRow,
    convert=to_profile,
    key=lambda profile: profile.person.id,
    check=people_ingest.check_people,
    write=people_ingest.write_people,
    description="People and their skills from a community skills survey (CSV or XLSX)",
    sensitive_columns=frozenset(_PERSONAL),
)
