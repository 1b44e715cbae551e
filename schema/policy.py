"""Who may call which field: one table, enforced on every field as it resolves.

Root fields not in ``ROOT_POLICY`` are refused (fail closed), so a new query or
mutation is unreachable until someone decides who may use it. Below the root,
fields are open unless ``FIELD_POLICY`` names them. Personal details have a
second guard in the graph service that reads them. Which people a caller may see at
all (by role and by consent) is not decided here but once, for every field, by
``schema.people_guard`` over ``graph.services.visibility``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from graph.access import Caller, Role
from schema.errors import Forbidden, Unauthenticated

__all__ = [
    "FIELD_POLICY",
    "INDIVIDUALS",
    "PLACE_VIEW",
    "READERS",
    "ROOT_POLICY",
    "AccessPolicy",
    "allowed",
]

READERS = frozenset({Role.PLACE_LEADER, Role.ANALYST, Role.CASEWORKER, Role.ADMIN})
INDIVIDUALS = frozenset({Role.ANALYST, Role.CASEWORKER, Role.ADMIN})
HUB_WRITERS = frozenset({Role.CASEWORKER, Role.LOADER, Role.ADMIN})
ADMIN_ONLY = frozenset({Role.ADMIN})
PATHWAY = frozenset({Role.PLACE_LEADER, Role.CASEWORKER, Role.ADMIN})
# The place-level view of an anchor's pipeline and worth: aggregates for those who plan
# for the place. Caseworkers work case by case and loaders only write.
PLACE_VIEW = frozenset({Role.PLACE_LEADER, Role.ANALYST, Role.ADMIN})

# None: no sign-in needed.
ROOT_POLICY: dict[str, frozenset[Role] | None] = {
    "Query.serviceInfo": None,
    "Query.node": READERS,  # a person's id: see schema.people_guard
    "Query.people": INDIVIDUALS,
    "Query.organisations": READERS,
    "Query.services": READERS,
    "Query.anchors": READERS,
    "Query.departments": READERS,
    "Query.vacancies": READERS,
    "Query.skills": READERS,
    "Query.occupations": READERS,
    "Query.qualifications": READERS,
    "Query.properties": READERS,
    "Query.areas": READERS,
    "Query.places": READERS,  # only the caller's own: the explorer's place picker
    "Query.referralPaths": READERS,  # from a person: see schema.people_guard
    "Query.matchingCandidates": INDIVIDUALS,
    "Query.opportunitiesFor": INDIVIDUALS,
    # From a person: caseworkers (their organisation's people) and administrators, checked
    # in graph.services.pathway; a place leader starts from an organisation, since every
    # person id is unknown to them (schema.people_guard).
    "Query.pathway": PATHWAY,
    "Query.brokerageGaps": READERS,
    "Query.centrality": READERS,
    "Query.brokerageRoles": READERS,
    "Query.funnel": PLACE_VIEW,  # counts of people: suppressed and rounded for place leaders
    "Query.impact": PLACE_VIEW,  # worked out from the counts the caller may see
    "Query.anchorFootprint": PLACE_VIEW,
    # Aggregates of whole places, side by side: the place view's, so its audience.
    "Query.placeComparison": PLACE_VIEW,
    # Organisations and their ties only, as organisations { refersTo partners } shows READERS.
    "Query.partnershipNetwork": READERS,
    "Query.auditLog": ADMIN_ONLY,
    "Mutation.recordReferral": HUB_WRITERS,
    "Mutation.openVacancy": HUB_WRITERS,
    "Mutation.closeVacancy": HUB_WRITERS,
    "Mutation.movePersonStage": frozenset({Role.CASEWORKER, Role.ADMIN}),
    # A person's rights: the services further require an administrator or a caseworker
    # of an organisation that supports the person.
    "Mutation.recordConsent": frozenset({Role.CASEWORKER, Role.ADMIN}),
    "Mutation.withdrawConsent": frozenset({Role.CASEWORKER, Role.ADMIN}),
    "Mutation.erasePerson": frozenset({Role.CASEWORKER, Role.ADMIN}),
    "Query.exportPerson": frozenset({Role.CASEWORKER, Role.ADMIN}),
}

FIELD_POLICY: dict[str, frozenset[Role]] = {
    "Person.personal": frozenset({Role.CASEWORKER, Role.ADMIN}),
    "UnlinkedGroup.personIds": INDIVIDUALS,
}


def allowed(caller: Caller, roles: frozenset[Role]) -> bool:
    return caller.role in roles


class AccessPolicy(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        parent = info.parent_type.name
        key = f"{parent}.{info.field_name}"
        if info.field_name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        is_root = parent in ("Query", "Mutation")
        if is_root:
            roles = ROOT_POLICY.get(key, frozenset())
            if roles is not None:
                caller = self._caller(info)
                if not allowed(caller, roles):
                    raise Forbidden(f"{info.field_name} is not available to the {caller.role} role")
        elif key in FIELD_POLICY:
            caller = self._caller(info)
            if not allowed(caller, FIELD_POLICY[key]):
                raise Forbidden(f"{key} is not available to the {caller.role} role")
        return _next(root, info, *args, **kwargs)

    @staticmethod
    def _caller(info: GraphQLResolveInfo[Any]) -> Caller:
        context = info.context
        if context.auth_error:
            raise Unauthenticated(context.auth_error)
        if context.caller is None:
            raise Unauthenticated("sign in: send a bearer token or an X-API-Key header")
        caller: Caller = context.caller
        return caller
