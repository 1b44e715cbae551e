"""Edge lists: referral logs, partnerships, trust ties (one row a relationship)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from graph.models.edges import EDGE_ENDPOINTS, Edge
from graph.services import ingest
from graph.vocabulary import HISTORY_TYPES, Label, RelType
from loaders.pipeline import Format

__all__ = ["EDGES", "EdgeRow", "NodeKind"]


class NodeKind(StrEnum):
    """How an edge row names the kind of node at each end."""

    PERSON = "person"
    ORGANISATION = "organisation"
    DEPARTMENT = "department"
    ANCHOR = "anchor"
    SKILL = "skill"
    QUALIFICATION = "qualification"
    VACANCY = "vacancy"
    PROPERTY = "property"


class EdgeListType(StrEnum):
    """The relationship types an edge list may carry (the rest come from entity files)."""

    SUPPORTED_BY = "SUPPORTED_BY"
    KNOWS = "KNOWS"
    MENTORED_BY = "MENTORED_BY"
    HAS_SKILL = "HAS_SKILL"
    HOLDS = "HOLDS"
    APPLIED_TO = "APPLIED_TO"
    PLACED_IN = "PLACED_IN"
    REFERS_TO = "REFERS_TO"
    PARTNERS_WITH = "PARTNERS_WITH"
    USES = "USES"
    DELIVERED_AT = "DELIVERED_AT"


KIND_LABELS: dict[NodeKind, Label] = {
    NodeKind.PERSON: Label.PERSON,
    NodeKind.ORGANISATION: Label.COMMUNITY_ORGANISATION,
    NodeKind.DEPARTMENT: Label.DEPARTMENT,
    NodeKind.ANCHOR: Label.ANCHOR_INSTITUTION,
    NodeKind.SKILL: Label.SKILL,
    NodeKind.QUALIFICATION: Label.QUALIFICATION,
    NodeKind.VACANCY: Label.VACANCY,
    NodeKind.PROPERTY: Label.PROPERTY,
}


def _default_labels(rel_type: RelType) -> tuple[Label, Label] | None:
    pairs = {(a, b) for rel, a, b in EDGE_ENDPOINTS if rel == rel_type}
    if len(pairs) == 1:
        return next(iter(pairs))
    # Organisation to organisation is the usual case of the many-ended types.
    org = Label.COMMUNITY_ORGANISATION
    return (org, org) if (org, org) in pairs else None


class EdgeRow(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: EdgeListType = Field(description="Relationship type")
    from_id: str = Field(min_length=1, max_length=200)
    to_id: str = Field(min_length=1, max_length=200)
    from_kind: NodeKind | None = Field(
        None, description="Needed only where the type allows several"
    )
    to_kind: NodeKind | None = None
    since: date | None = None
    strength: float | None = Field(None, ge=0, le=1, description="Trust, 0 (none) to 1 (full)")
    evidence: str | None = Field(None, max_length=1000)
    count: int | None = Field(None, ge=0, description="e.g. referrals made")
    stage: str | None = Field(None, max_length=50)
    until: date | None = Field(
        None,
        description="The first day the tie no longer held (it ends then; the tie's "
        "history is kept; a tie loaded again after it ended starts a new period). Only on "
        + ", ".join(kind.value for kind in EdgeListType if RelType(kind.value) in HISTORY_TYPES)
        + "; after since",
    )

    @field_validator("until")
    @classmethod
    def _ends_after_it_starts(cls, until: date | None, info: ValidationInfo) -> date | None:
        kind, since = info.data.get("kind"), info.data.get("since")
        if until is None:
            return None
        if kind is not None and RelType(kind.value) not in HISTORY_TYPES:
            raise ValueError(f"{kind.value} ties keep no history, so take no until")
        if since is not None and until <= since:
            raise ValueError(f"must be after since ({since.isoformat()})")
        return until


def to_edge(row: EdgeRow) -> Edge:
    rel_type = RelType(row.kind.value)
    default = _default_labels(rel_type)
    if row.from_kind is not None and row.to_kind is not None:
        from_label, to_label = KIND_LABELS[row.from_kind], KIND_LABELS[row.to_kind]
    elif default is None:
        raise ValueError(f"{rel_type} needs from_kind and to_kind")
    else:
        from_label = KIND_LABELS[row.from_kind] if row.from_kind else default[0]
        to_label = KIND_LABELS[row.to_kind] if row.to_kind else default[1]
    return Edge(
        rel_type=rel_type,
        from_label=from_label,
        to_label=to_label,
        from_id=row.from_id,
        to_id=row.to_id,
        since=row.since,
        strength=row.strength,
        evidence=row.evidence,
        count=row.count,
        stage=row.stage,
        until=row.until,
    )


EDGES: Format[EdgeRow, Edge] = Format(
    kind="edges",
    row_model=EdgeRow,
    convert=to_edge,
    key=lambda edge: (
        f"{edge.rel_type}|{edge.from_label}|{edge.from_id}|{edge.to_label}|{edge.to_id}"
    ),
    check=ingest.edge_problems,
    write=ingest.write_edges,
    description="Relationships: referral logs, partnerships, trust ties",
)
