"""Community organisations and the services they offer."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from graph.models.base import NodeModel

__all__ = ["CommunityOrganisation", "OrganisationType", "Service", "ServiceType"]


class OrganisationType(StrEnum):
    FRONTLINE = "frontline"
    SPECIALIST = "specialist"
    INTERMEDIARY = "intermediary"
    SOCIAL_ENTERPRISE = "social_enterprise"
    FAITH_GROUP = "faith_group"
    JOB_CLUB = "job_club"
    GP_PRACTICE = "gp_practice"
    TRAINING_PROVIDER = "training_provider"
    OTHER = "other"


class ServiceType(StrEnum):
    IELTS_TUITION = "ielts_tuition"
    ENGLISH_CLASSES = "english_classes"
    MENTORING = "mentoring"
    IMMIGRATION_ADVICE = "immigration_advice"
    CHILDCARE = "childcare"
    PLACEMENT = "placement"
    OBSERVERSHIP = "observership"
    INTERVIEW_CLOTHES = "interview_clothes"
    PEER_SUPPORT = "peer_support"
    JOB_SEARCH = "job_search"
    ACCREDITATION_SUPPORT = "accreditation_support"
    INTERIM_WORK = "interim_work"
    CASEWORK = "casework"
    OTHER = "other"


class CommunityOrganisation(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"area_id"})

    name: str = Field(min_length=1, max_length=300)
    org_type: OrganisationType = OrganisationType.OTHER
    description: str | None = Field(None, max_length=5000)
    founded_year: int | None = Field(None, ge=1800, le=2100)
    website: str | None = Field(None, max_length=500)
    email: str | None = Field(None, max_length=254, description="The organisation's own")
    area_id: str | None = Field(None, description="LOCATED_IN this area")


class Service(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"organisation_id"})

    name: str = Field(min_length=1, max_length=300)
    service_type: ServiceType = ServiceType.OTHER
    description: str | None = Field(None, max_length=5000)
    organisation_id: str = Field(min_length=1, description="The organisation that OFFERS it")
