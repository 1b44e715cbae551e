"""Every Cypher constant that binds a placed label takes ``$places`` (issue 15, isolation;
docs/places.md "One scope where things are read"), or is named below with why not.

The exemptions are of two kinds: writers, migrations and what only code runs (loads,
consent and erasure, a person's own rights, the hub's writes after their scoped locks), which
see every place as whoever runs code does (graph/access.py); and readers not scoped
yet, each a question the next slice must scope. An exempted query that comes to take
``$places`` fails the test too, so the list only shrinks.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import graph.cypher
from graph.cypher.scope import in_places_if_placed
from graph.vocabulary import PLACED_LABELS

PLACED = re.compile(r":(" + "|".join(label.value for label in PLACED_LABELS) + r")\b")

WRITES_OR_RUN_BY_CODE = {
    # Loads: nodes, links and ties, written for the place given by --place.
    **{f"ingest_nodes.{name}": "load" for name in (
        "MERGE_PEOPLE", "PEOPLE_STATES", "MERGE_PERSONAL_RECORDS", "MERGE_ORGANISATIONS",
        "MERGE_SERVICES", "MERGE_ANCHORS", "MERGE_DEPARTMENTS", "MERGE_VACANCIES",
        "MERGE_PROPERTIES", "MERGE_AREAS")},
    **{f"ingest_links.{name}": "load" for name in (
        "LINK_PERSON_HOME_AREAS", "LINK_PERSON_SKILLS", "LINK_PERSON_ORGANISATIONS",
        "LINK_ORGANISATION_AREAS", "LINK_SERVICE_ORGANISATIONS", "LINK_ANCHOR_AREAS",
        "LINK_DEPARTMENTS", "LINK_VACANCIES", "LINK_PROPERTIES", "LINK_AREAS")},
    **{f"ingest_edges.{name}": "load" for name in (
        "MERGE_PERSON_SUPPORTED_BY_ORGANISATION", "MERGE_PERSON_KNOWS_PERSON",
        "MERGE_PERSON_MENTORED_BY_PERSON", "MERGE_PERSON_HAS_SKILL",
        "MERGE_PERSON_HOLDS_QUALIFICATION", "MERGE_PERSON_APPLIED_TO_VACANCY",
        "MERGE_PERSON_PLACED_IN_VACANCY", "MERGE_ORGANISATION_REFERS_TO_ORGANISATION",
        "MERGE_ORGANISATION_REFERS_TO_DEPARTMENT", "MERGE_ORGANISATION_REFERS_TO_ANCHOR",
        "MERGE_DEPARTMENT_REFERS_TO_ORGANISATION", "MERGE_ORGANISATION_PARTNERS_WITH_ORGANISATION",
        "MERGE_ORGANISATION_PARTNERS_WITH_ANCHOR", "MERGE_DEPARTMENT_PARTNERS_WITH_ORGANISATION",
        "MERGE_ORGANISATION_USES_PROPERTY", "MERGE_SERVICE_DELIVERED_AT_PROPERTY")},
    "places.UNPLACED_NODES": "migration 0010: what is in no place yet",
    "reset.DELETE_GRAPH_BATCH": "the CLI's reset of the whole graph",
    # Consent, personal records and a person's rights: run for one person by id, by the
    # person's own request or the retention job, never a question across places.
    **{f"consent.{name}": "consent, by person id" for name in (
        "CONSENT_WITHDRAWN_AT", "CONSENT_HISTORIES", "CREATE_CONSENT_EVENTS",
        "APPLY_CONSENT_STATE", "DELETE_PERSONAL_RECORDS_OF_WITHDRAWN",
        "DELETE_PERSONAL_RECORDS", "PEOPLE_WITHOUT_CONSENT_HISTORY",
        "UNSEALED_PERSONAL_RECORDS", "SET_SEALED_PERSONAL_RECORDS",
        "WITHDRAWN_WITH_PERSONAL_RECORDS")},
    **{f"people_rights.{name}": "a person's rights (Articles 15, 17), retention" for name in (
        "ERASE_PERSONAL_RECORD", "PERSON_FACTS",
        "PERSON_CONSENT_HISTORY", "PERSON_PERSONAL_RECORD", "INACTIVE_PEOPLE")},
    "personal.PERSONAL_RECORDS": "behind the people guard, which scopes the person ids",
    # The hub's writes after their scoped locks (LOCK_VACANCY, LOCK_PERSON_FOR_STAGE) and
    # the places a new vacancy joins, worked out from its anchor's read in scope.
    **{f"hub_actions.{name}": "the hub's writes, after a scoped lock" for name in (
        "RELEASE_VACANCY", "CLOSE_VACANCY", "MOVE_PERSON_STAGE", "SET_VACANCY_PLACES")},
    # The parent is given by id, read through node(id)'s scoped query; the
    # neighbours are the vocabulary's.
    "explore_links.PERSON_SKILL_IDS": "neighbours in no place",
    # The candidate index is one for the database, shared by every caller: each person's
    # place_ids is among its facts, and a ranking is cut to the caller's places
    # (CandidateIndex.rank, gap_candidates).
    **{f"candidate_index.{name}": "the shared candidate index" for name in (
        "CANDIDATE_INDEX_PEOPLE", "AREAS_CONTAINING", "CANDIDATE_INDEX_PEOPLE_BY_ID",
        "HOLDERS_OF_QUALIFICATIONS")},
    # The areas under a vacancy already read in scope, for its local factor: never
    # returned, and the same for every caller as the index's map of areas is.
    "matching.AREAS_WITHIN": "the area hierarchy under a vacancy in scope",
}  # fmt: skip

# Every reader is scoped now; a reader added unscoped on purpose is named here with why.
NOT_SCOPED_YET: dict[str, str] = {}


def _placed_queries() -> dict[str, str]:
    """Every upper-case string constant of graph/cypher/* naming a placed label."""
    found = {}
    for info in pkgutil.iter_modules(graph.cypher.__path__):
        module = importlib.import_module(f"graph.cypher.{info.name}")
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and PLACED.search(value):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_query_binding_a_placed_label_takes_the_callers_places() -> None:
    queries = _placed_queries()
    unscoped = {name for name, text in queries.items() if "$places" not in text}
    exempt = set(WRITES_OR_RUN_BY_CODE) | set(NOT_SCOPED_YET)
    assert unscoped - exempt == set(), "scope these with graph.cypher.scope.in_places"
    # An exemption for a query that is scoped now, or gone, is dropped from the list.
    assert exempt - unscoped == set()
    assert not set(WRITES_OR_RUN_BY_CODE) & set(NOT_SCOPED_YET)


def test_the_placed_label_expression_names_every_placed_label() -> None:
    # Written out in graph/cypher/scope.py as a literal: a label added to PLACED_LABELS
    # and not there would let a person's export name nodes of that label elsewhere.
    (labels,) = re.findall(r"NOT n:([A-Za-z|]+) OR", in_places_if_placed("n"))
    assert sorted(labels.split("|")) == sorted(map(str, PLACED_LABELS))
