"""Who is asking: roles and the caller, as every service that filters by them sees it.

| role | may see |
|---|---|
| place_leader | organisations, anchors, vacancies and aggregates; people only as counts |
| analyst | pseudonymous people and measures; never personal fields |
| caseworker | personal fields of people who consented to share with their organisation |
| loader | imports and the hub's writes about organisations and vacancies; no people |
| admin | everything, including the audit log |

People who have not consented (or withdrew) never appear individually for anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Caller", "Role", "share_scope"]


class Role(StrEnum):
    PLACE_LEADER = "place_leader"
    ANALYST = "analyst"
    CASEWORKER = "caseworker"
    LOADER = "loader"
    ADMIN = "admin"


def share_scope(organisation_id: str) -> str:
    """The consent scope by which a person shares their details with an organisation."""
    return f"share:{organisation_id}"


@dataclass(frozen=True)
class Caller:
    subject: str
    role: Role
    organisation_id: str | None = None
    via: str = "token"

    @property
    def sees_individuals(self) -> bool:
        return self.role in (Role.ANALYST, Role.CASEWORKER, Role.ADMIN)

    @property
    def reads_personal(self) -> bool:
        return self.role is Role.ADMIN or (
            self.role is Role.CASEWORKER and self.organisation_id is not None
        )

    @property
    def sees_small_counts(self) -> bool:
        """Place leaders see aggregates only, with small cells suppressed."""
        return self.role is not Role.PLACE_LEADER
