"""The closed vocabulary of the place graph: node labels and relationship types.

Cypher text never takes a label or type from outside; code that varies one maps
a member of these enums to pre-written query text.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ENTITY_LABELS", "HISTORY_TYPES", "PLACED_LABELS", "Label", "RelType"]


class Label(StrEnum):
    PERSON = "Person"
    # Names, contacts, nationality, immigration status and exact address live on
    # their own node so that one guard covers every path to them.
    PERSONAL_RECORD = "PersonalRecord"
    SKILL = "Skill"
    OCCUPATION = "Occupation"
    QUALIFICATION = "Qualification"
    COMMUNITY_ORGANISATION = "CommunityOrganisation"
    SERVICE = "Service"
    ANCHOR_INSTITUTION = "AnchorInstitution"
    DEPARTMENT = "Department"
    VACANCY = "Vacancy"
    PROPERTY = "Property"
    AREA = "Area"
    # A neighbourhood, city or region the service holds; what belongs to it says so in
    # its own ``place_ids`` (docs/places.md).
    PLACE = "Place"
    LOAD_RUN = "LoadRun"
    MIGRATION = "SchemaMigration"
    AUDIT_EVENT = "AuditEvent"
    API_KEY = "ApiKey"


class RelType(StrEnum):
    HAS_PERSONAL_RECORD = "HAS_PERSONAL_RECORD"
    HAS_SKILL = "HAS_SKILL"
    HOLDS = "HOLDS"
    QUALIFIES_FOR = "QUALIFIES_FOR"
    SUPPORTED_BY = "SUPPORTED_BY"
    KNOWS = "KNOWS"
    REFERS_TO = "REFERS_TO"
    PARTNERS_WITH = "PARTNERS_WITH"
    OFFERS = "OFFERS"
    POSTS = "POSTS"
    REQUIRES = "REQUIRES"
    FOR_OCCUPATION = "FOR_OCCUPATION"
    BROADER = "BROADER"
    OWNS = "OWNS"
    USES = "USES"
    LIVES_IN = "LIVES_IN"
    LOCATED_IN = "LOCATED_IN"
    APPLIED_TO = "APPLIED_TO"
    PLACED_IN = "PLACED_IN"
    MENTORED_BY = "MENTORED_BY"
    PART_OF = "PART_OF"
    DELIVERED_AT = "DELIVERED_AT"
    WITHIN = "WITHIN"


# Every label whose nodes carry a stable external ``id`` under a uniqueness constraint.
ENTITY_LABELS: tuple[Label, ...] = (
    Label.PERSON,
    Label.PERSONAL_RECORD,
    Label.SKILL,
    Label.OCCUPATION,
    Label.QUALIFICATION,
    Label.COMMUNITY_ORGANISATION,
    Label.SERVICE,
    Label.ANCHOR_INSTITUTION,
    Label.DEPARTMENT,
    Label.VACANCY,
    Label.PROPERTY,
    Label.AREA,
)

# Every label whose nodes belong to one or more places (``place_ids``): all that carry
# an id but a person's personal record (it goes with its person) and the vocabulary
# (skills, occupations, qualifications), which is the same everywhere.
PLACED_LABELS: tuple[Label, ...] = tuple(
    label
    for label in ENTITY_LABELS
    if label not in (Label.PERSONAL_RECORD, Label.SKILL, Label.OCCUPATION, Label.QUALIFICATION)
)

# The relationship types whose ties come and go and keep their history: each period a
# tie held is one relationship with its own ``since`` and ``until`` (docs/places.md).
# Edge lists end them with ``until``; a property's owner is ended by the load that
# names another. Every query reading one tests when it held (graph/cypher/history.py).
HISTORY_TYPES: frozenset[RelType] = frozenset(
    {
        RelType.KNOWS,
        RelType.MENTORED_BY,
        RelType.SUPPORTED_BY,
        RelType.REFERS_TO,
        RelType.PARTNERS_WITH,
        RelType.OWNS,
    }
)
