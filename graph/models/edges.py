"""Relationships loaded from edge lists: which types, between which labels."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.vocabulary import HISTORY_TYPES, Label, RelType

__all__ = ["EDGE_ENDPOINTS", "Edge", "EdgeEndpoints"]

EdgeEndpoints = tuple[RelType, Label, Label]

# Every (type, from label, to label) an edge list may create. Anything else is
# refused before it reaches Cypher.
EDGE_ENDPOINTS: frozenset[EdgeEndpoints] = frozenset(
    {
        (RelType.SUPPORTED_BY, Label.PERSON, Label.COMMUNITY_ORGANISATION),
        (RelType.KNOWS, Label.PERSON, Label.PERSON),
        (RelType.MENTORED_BY, Label.PERSON, Label.PERSON),
        (RelType.HAS_SKILL, Label.PERSON, Label.SKILL),
        (RelType.HOLDS, Label.PERSON, Label.QUALIFICATION),
        (RelType.APPLIED_TO, Label.PERSON, Label.VACANCY),
        (RelType.PLACED_IN, Label.PERSON, Label.VACANCY),
        (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.COMMUNITY_ORGANISATION),
        (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT),
        (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.ANCHOR_INSTITUTION),
        (RelType.REFERS_TO, Label.DEPARTMENT, Label.COMMUNITY_ORGANISATION),
        (RelType.PARTNERS_WITH, Label.COMMUNITY_ORGANISATION, Label.COMMUNITY_ORGANISATION),
        (RelType.PARTNERS_WITH, Label.COMMUNITY_ORGANISATION, Label.ANCHOR_INSTITUTION),
        (RelType.PARTNERS_WITH, Label.DEPARTMENT, Label.COMMUNITY_ORGANISATION),
        (RelType.USES, Label.COMMUNITY_ORGANISATION, Label.PROPERTY),
        (RelType.DELIVERED_AT, Label.SERVICE, Label.PROPERTY),
    }
)


class Edge(BaseModel):
    """One relationship; ``since``, ``strength`` (trust, 0 to 1), ``evidence`` and
    ``count`` are kept where the source has them. ``until``, the first day a tie no
    longer held, only on the types that keep history (``HISTORY_TYPES``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rel_type: RelType
    from_label: Label
    to_label: Label
    from_id: str = Field(min_length=1, max_length=200)
    to_id: str = Field(min_length=1, max_length=200)
    since: date | None = None
    strength: float | None = Field(None, ge=0, le=1)
    evidence: str | None = Field(None, max_length=1000)
    count: int | None = Field(None, ge=0)
    stage: str | None = Field(None, max_length=50)
    until: date | None = None

    @model_validator(mode="after")
    def _period(self) -> Edge:
        if self.until is not None:
            if self.rel_type not in HISTORY_TYPES:
                raise ValueError(f"until: {self.rel_type} ties keep no history")
            if self.since is not None and self.until <= self.since:
                raise ValueError("until: must be after since")
        return self

    @property
    def endpoints(self) -> EdgeEndpoints:
        return (self.rel_type, self.from_label, self.to_label)

    def properties(self) -> dict[str, object]:
        # Only the cells given: written with SET +=, a null would remove what the tie
        # already holds (a row that ends a tie, giving only its until, erased its trust).
        return self.model_dump(
            include={"since", "strength", "evidence", "count", "stage"}, exclude_none=True
        )
