"""Who is asking: roles and the caller, as every service that filters by them sees it.

| role | may see |
|---|---|
| place_leader | organisations, anchors, vacancies and aggregates; people only as counts |
| analyst | pseudonymous people and measures; never personal fields |
| caseworker | personal fields of people who consented to share with their organisation |
| loader | imports and the hub's writes about organisations and vacancies; no people |
| admin | everything, including the audit log |

People who have not consented (or withdrew) never appear individually for anyone.

Every caller also carries the places it may see (``Caller.places``, docs/places.md):

| caller | places |
|---|---|
| token or API key, any role but admin | the ids it names (one naming none is refused) |
| administrator's token or key | the ids it names, or every place when it names none |
| made in code: loaders, CLI, migrations, library, tests | every place (``None``, the default) |

The default is every place because whoever runs code in the process holds the database's
password; a credential from outside never gets it unless it is an administrator's
(``api.auth`` and ``graph.services.api_keys`` enforce that where they make callers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from graph.settings import PLACE_ID_PATTERN, get_place_settings

__all__ = [
    "Caller",
    "Role",
    "check_place_ids",
    "credential_places",
    "places_to_issue",
    "share_scope",
]


class Role(StrEnum):
    PLACE_LEADER = "place_leader"
    ANALYST = "analyst"
    CASEWORKER = "caseworker"
    LOADER = "loader"
    ADMIN = "admin"


def share_scope(organisation_id: str) -> str:
    """The consent scope by which a person shares their details with an organisation."""
    return f"share:{organisation_id}"


def check_place_ids(values: Iterable[object], name: str) -> frozenset[str]:
    """The place ids given, or ``ValueError`` naming ``name`` (the claim, option or
    argument they came from) and the first value that is not a place id."""
    ids: set[str] = set()
    for value in values:
        if not (
            isinstance(value, str) and len(value) <= 64 and re.fullmatch(PLACE_ID_PATTERN, value)
        ):
            raise ValueError(
                f"{name}: {value!r} is not a place id (up to 64 lowercase letters, digits and "
                "hyphens, starting with a letter or digit, e.g. 'leeds')"
            )
        ids.add(value)
    return frozenset(ids)


def credential_places(role: Role, places: object, name: str) -> frozenset[str] | None:
    """The places a credential of ``role`` holds, from its claim or stored list ``places``.

    An administrator's naming none may see every place (None); any other role's naming
    none is refused, as is anything but a list of place ids (``ValueError`` naming ``name``).
    """
    if places is None or places == []:
        if role is Role.ADMIN:
            return None
        raise ValueError(f"{name}: names no place (every role but admin needs one at least)")
    if not isinstance(places, list | tuple | set | frozenset):
        raise ValueError(f"{name}: is not a list of place ids")
    return check_place_ids(places, name)


def places_to_issue(role: Role, places: Iterable[str] | None, name: str) -> frozenset[str] | None:
    """The places a new credential names: ``places`` checked, or when left out the default
    place (``ASSETBRIDGE_DEFAULT_PLACE_ID``), or every place for an administrator."""
    if places is None:
        return None if role is Role.ADMIN else frozenset({get_place_settings().default_place_id})
    return credential_places(role, list(places), name)


@dataclass(frozen=True)
class Caller:
    subject: str
    role: Role
    organisation_id: str | None = None
    via: str = "token"
    # The places this caller may see; None: every place (see the table above).
    places: frozenset[str] | None = None

    def may_see_place(self, place_id: str) -> bool:
        return self.places is None or place_id in self.places

    @property
    def places_param(self) -> list[str] | None:
        """``$places`` for Cypher: the ids in order (stable query parameters), None for all."""
        return None if self.places is None else sorted(self.places)

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
