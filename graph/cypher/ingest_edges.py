"""Batched writes of relationships from edge lists, one query a (type, from, to).

Endpoints were checked to exist before these run; ``row.props`` holds since,
strength, evidence, count and stage (nulls remove a property), ``row.until`` the
day a tie ended (history types only).

A tie of a history type (``graph.vocabulary.HISTORY_TYPES``) is a run of periods, one
relationship each (docs/places.md). A row names the period it speaks of, in this
order: the one with the row's ``since``; for a row with no ``since`` that ends a
tie, the one already ended that day (the same file loaded again), else the open one
(no ``until``) if it began before that day; for a row with no ``until``, the open
one, unless the row's ``since`` is earlier than the open one's. A row giving both
``since`` and ``until`` is a whole period: the one that began that day, or a new
one, never the open one (an earlier period loaded late leaves today's tie be). With
none of them the row starts a new period: so a tie loaded again after it ended is a
new relationship. A row without ``until`` never removes one: a file read before the
tie ended does not reopen it. Other types keep one relationship a pair, merged.

The queries are put together from the labels and type below (fixed text, never a
value) so that the sixteen cannot drift apart.
"""

from typing import LiteralString

_provenance: LiteralString = """
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""


def _ends(from_label: LiteralString, to_label: LiteralString) -> LiteralString:
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:" + from_label + " {id: row.from_id})\n"
        "MATCH (b:" + to_label + " {id: row.to_id})\n"
    )


def _merged(
    from_label: LiteralString, rel_type: LiteralString, to_label: LiteralString
) -> LiteralString:
    return (
        _ends(from_label, to_label)
        + "MERGE (a)-[r:" + rel_type + "]->(b)\n"
        + "SET r += row.props," + _provenance
    )  # fmt: skip


def _periods(
    from_label: LiteralString, rel_type: LiteralString, to_label: LiteralString
) -> LiteralString:
    return (
        _ends(from_label, to_label)
        + "WITH a, b, row, head(COLLECT {\n"
        + "  MATCH (a)-[t:" + rel_type + "]->(b)\n"
        + """  WHERE (row.props.since IS NOT NULL AND t.since = row.props.since)
     OR (row.props.since IS NULL AND row.until IS NOT NULL AND t.until = row.until)
     OR (t.until IS NULL AND row.until IS NULL
         AND (row.props.since IS NULL OR t.since IS NULL OR t.since <= row.props.since))
     OR (t.until IS NULL AND row.until IS NOT NULL AND row.props.since IS NULL
         AND (t.since IS NULL OR t.since < row.until))
  RETURN t
  ORDER BY CASE
    WHEN row.props.since IS NOT NULL AND t.since = row.props.since THEN 0
    WHEN t.until IS NOT NULL THEN 1
    ELSE 2
  END
}) AS found
OPTIONAL CALL (a, b, found) {
  WITH a, b
  WHERE found IS NULL
"""
        + "  CREATE (a)-[made:" + rel_type + "]->(b)\n"
        + """  RETURN made
}
WITH row, coalesce(found, made) AS r
SET r += row.props,
    r.until = coalesce(row.until, r.until),"""
        + _provenance
    )  # fmt: skip


MERGE_PERSON_SUPPORTED_BY_ORGANISATION = _periods("Person", "SUPPORTED_BY", "CommunityOrganisation")

MERGE_PERSON_KNOWS_PERSON = _periods("Person", "KNOWS", "Person")

MERGE_PERSON_MENTORED_BY_PERSON = _periods("Person", "MENTORED_BY", "Person")

MERGE_PERSON_HAS_SKILL = _merged("Person", "HAS_SKILL", "Skill")

MERGE_PERSON_HOLDS_QUALIFICATION = _merged("Person", "HOLDS", "Qualification")

MERGE_PERSON_APPLIED_TO_VACANCY = _merged("Person", "APPLIED_TO", "Vacancy")

MERGE_PERSON_PLACED_IN_VACANCY = _merged("Person", "PLACED_IN", "Vacancy")

MERGE_ORGANISATION_REFERS_TO_ORGANISATION = _periods(
    "CommunityOrganisation", "REFERS_TO", "CommunityOrganisation"
)

MERGE_ORGANISATION_REFERS_TO_DEPARTMENT = _periods(
    "CommunityOrganisation", "REFERS_TO", "Department"
)

MERGE_ORGANISATION_REFERS_TO_ANCHOR = _periods(
    "CommunityOrganisation", "REFERS_TO", "AnchorInstitution"
)

MERGE_DEPARTMENT_REFERS_TO_ORGANISATION = _periods(
    "Department", "REFERS_TO", "CommunityOrganisation"
)

MERGE_ORGANISATION_PARTNERS_WITH_ORGANISATION = _periods(
    "CommunityOrganisation", "PARTNERS_WITH", "CommunityOrganisation"
)

MERGE_ORGANISATION_PARTNERS_WITH_ANCHOR = _periods(
    "CommunityOrganisation", "PARTNERS_WITH", "AnchorInstitution"
)

MERGE_DEPARTMENT_PARTNERS_WITH_ORGANISATION = _periods(
    "Department", "PARTNERS_WITH", "CommunityOrganisation"
)

MERGE_ORGANISATION_USES_PROPERTY = _merged("CommunityOrganisation", "USES", "Property")

MERGE_SERVICE_DELIVERED_AT_PROPERTY = _merged("Service", "DELIVERED_AT", "Property")
