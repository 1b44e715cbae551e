"""People's rights: erasure, the access export, and retention."""

from graph.cypher.scope import in_places, in_places_if_placed

# What remains of an erased person is their pseudonymous node and ties; what goes is
# every personal value (the record, whose key is destroyed as well).
ERASE_PERSONAL_RECORD = """
MATCH (p:Person {id: $person_id})
OPTIONAL MATCH (p)-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
DETACH DELETE r
RETURN p.id AS id
"""

PERSON_FACTS = """
MATCH (p:Person {id: $person_id})
RETURN properties(p) AS facts
"""

# A tie to another person is exported with their id only while that person consents;
# ties to people who do not are counted in PERSON_TIES_WITHHELD, with nothing (id,
# strength, date) that could single one of them out. Both keep to the exporter's
# $places: a tie to a node only in another place is neither named nor counted (a tie
# that crosses places is there when an edge file names people of two).
PERSON_TIES = (
    """
MATCH (p:Person {id: $person_id})-[r]-(other)
WHERE NOT other:PersonalRecord
  AND NOT other:ConsentEvent
  AND (NOT other:Person
       OR (other.consent_given_at IS NOT NULL AND other.consent_withdrawn_at IS NULL))
  AND """
    + in_places_if_placed("other")
    + """
RETURN type(r) AS type,
       CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
       [label IN labels(other) WHERE label <> 'Resident'][0] AS label,
       other.id AS id,
       properties(r) AS properties
ORDER BY type, label, id
"""
)

PERSON_TIES_WITHHELD = (
    """
MATCH (p:Person {id: $person_id})-[r]-(other:Person)
WHERE (other.consent_given_at IS NULL OR other.consent_withdrawn_at IS NOT NULL)
  AND """
    + in_places("other")
    + """
RETURN type(r) AS type,
       CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
       count(*) AS people
ORDER BY type, direction
"""
)

PERSON_CONSENT_HISTORY = """
MATCH (:Person {id: $person_id})-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
RETURN e {.kind, .at, .scopes, .recorded_at, .recorded_by, .source, .evidence} AS event
ORDER BY e.at, e.recorded_at
"""

PERSON_PERSONAL_RECORD = """
MATCH (:Person {id: $person_id})-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
RETURN r {.name, .email, .phone, .date_of_birth, .nationality, .immigration_status, .address,
          .postcode} AS record
"""

# Personal reads name people by bare id; every other event by ``Person:<id>``.
AUDIT_EVENTS_ABOUT = """
MATCH (e:AuditEvent)
WHERE $target IN e.target_ids
   OR (e.operation = 'read_personal' AND $person_id IN e.target_ids)
RETURN e {.id, .at, .subject, .role, .organisation_id, .operation, .detail} AS event
ORDER BY e.at, e.id
"""

# Activity: the latest of a stage move (its date, or when a caseworker recorded it), a
# consent event recorded, or a load that said something new of the person
# (``changed_at``; ``loaded_at`` for people not loaded since it was kept). Loading the
# same row again is not activity. Only people who still have a personal record are
# candidates.
INACTIVE_PEOPLE = """
MATCH (p:Person)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord)
OPTIONAL MATCH (p)-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
WITH p, max(e.recorded_at) AS last_consent
WITH p, [t IN [
  last_consent,
  coalesce(p.changed_at, p.loaded_at),
  p.stage_moved_at,
  CASE WHEN size(coalesce(p.stage_dates, [])) > 0 THEN datetime({date: last(p.stage_dates)}) END
] WHERE t IS NOT NULL] AS times
WITH p, reduce(latest = null, t IN times |
  CASE WHEN latest IS NULL OR t > latest THEN t ELSE latest END) AS last_active
WHERE last_active IS NULL OR last_active < $cutoff
RETURN p.id AS id, last_active
ORDER BY id
"""
