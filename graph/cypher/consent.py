"""Consent as history: dated ``ConsentEvent`` nodes, and the current state on the
Person derived from the latest of them.

An event is ``granted`` (with its scopes), ``scopes_changed``, ``withdrawn`` or
``erased``. The latest by ``at`` wins; at the same instant a withdrawal or erasure
outranks a grant, so a tie never re-opens consent.
"""

from typing import LiteralString

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# The people of a batch who withdrew, for a load's check (which refuses a row that would
# restore consent); the whole histories are read again in the write's own transaction.
CONSENT_WITHDRAWN_AT = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
WHERE p.consent_withdrawn_at IS NOT NULL
RETURN p.id AS id,
       p.consent_withdrawn_at AS withdrawn_at
"""

# What a load merges a batch's rows with, read in its write transaction. Dates come as
# ISO text and an event's time as epoch seconds and nanoseconds: the driver builds its
# own temporal objects in pure Python, half the cost of reading a reloaded batch.
CONSENT_HISTORIES = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
OPTIONAL MATCH (p)-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
WITH p, e
ORDER BY e.at, e.recorded_at
RETURN p.id AS id,
       coalesce(p.stage, '') AS stage,
       coalesce(p.stage_names, []) AS stage_names,
       [day IN coalesce(p.stage_dates, []) | toString(day)] AS stage_dates,
       [x IN collect(e) | x {
         .kind, .scopes, seconds: x.at.epochSeconds, nanosecond: x.at.nanosecond
       }] AS events
"""

# ``event.at`` arrives as ISO-8601 text with its offset and is parsed here: the driver
# turns a Python datetime into Bolt in pure Python (0.1 ms of CPU each, a second for
# every 10,000 people loaded); the stored value is the same zoned DateTime.
CREATE_CONSENT_EVENTS = """
UNWIND $events AS event
MATCH (p:Person {id: event.person_id})
CREATE (p)-[:HAS_CONSENT_EVENT]->(:ConsentEvent {
  id: event.id,
  person_id: event.person_id,
  kind: event.kind,
  at: datetime(event.at),
  scopes: event.scopes,
  recorded_at: datetime(),
  recorded_by: $recorded_by,
  source: $source,
  evidence: event.evidence
})
"""

# The one place the current consent properties are written. ``consent_given_at`` is
# the latest grant's time (kept after a withdrawal, as it always was); the scopes are
# emptied by a withdrawal, as nothing may be shared any more. Only the people who stand
# withdrawn come back: a row for each of a load's 2,000 cost the driver 0.1 s of CPU.
APPLY_CONSENT_STATE = """
UNWIND $ids AS id
MATCH (p:Person {id: id})
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
  WITH e
  ORDER BY e.at DESC,
           CASE e.kind WHEN 'erased' THEN 2 WHEN 'withdrawn' THEN 1 ELSE 0 END DESC,
           e.recorded_at DESC
  RETURN collect(e) AS events
}
WITH p, head(events) AS latest, [e IN events WHERE e.kind = 'granted'] AS grants
WITH p, latest, head(grants) AS grant,
     latest IS NOT NULL AND latest.kind IN ['withdrawn', 'erased'] AS withdrawn
SET p.consent_given_at = grant.at,
    p.consent_withdrawn_at = CASE WHEN withdrawn THEN latest.at END,
    p.consent_scopes = CASE
      WHEN latest IS NULL OR withdrawn THEN []
      ELSE coalesce(latest.scopes, [])
    END
WITH p, withdrawn
WHERE withdrawn
RETURN p.id AS id
"""

# A caseworker may act for a person only through an organisation that supports them;
# an administrator for anyone. Read inside the write transaction that depends on it.
# With ``$scope`` set (a caseworker's read, such as the access export) the person must
# also consent now with that scope, as every personal read requires; otherwise they
# look exactly like an unknown id. Support that has ended ($as_of: today) gives nothing,
# and a person in none of the caller's $places is unknown to them whoever supports them
# (an organisation working in two places does not carry its caseworkers across).
PERSON_FOR_CALLER = (
    """
MATCH (p:Person {id: $person_id})
WHERE """
    + in_places("p")
    + """
  AND ($everyone
   OR (EXISTS { (p)-[s:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id})
                WHERE """
    + held_on("s")
    + """ }
       AND ($scope IS NULL
            OR (p.consent_given_at IS NOT NULL
                AND p.consent_withdrawn_at IS NULL
                AND $scope IN coalesce(p.consent_scopes, [])))))
RETURN p.id AS id,
       p.consent_given_at AS given_at,
       p.consent_withdrawn_at AS withdrawn_at,
       coalesce(p.consent_scopes, []) AS scopes,
       COLLECT {
         MATCH (p)-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
         RETURN e.at
         ORDER BY e.at DESC
         LIMIT 1
       }[0] AS last_event_at
"""
)

DELETE_PERSONAL_RECORDS_OF_WITHDRAWN = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
WHERE p.consent_withdrawn_at IS NOT NULL
DETACH DELETE r
RETURN p.id AS id
"""

DELETE_PERSONAL_RECORDS = """
UNWIND $ids AS id
MATCH (:Person {id: id})-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
DETACH DELETE r
RETURN id
"""

# -- migration 0007: bringing people loaded before consent history forward ---------

PEOPLE_WITHOUT_CONSENT_HISTORY = """
MATCH (p:Person)
WHERE NOT EXISTS { (p)-[:HAS_CONSENT_EVENT]->(:ConsentEvent) }
  AND (p.consent_given_at IS NOT NULL OR p.consent_withdrawn_at IS NOT NULL)
RETURN p.id AS id,
       p.consent_given_at AS given_at,
       p.consent_withdrawn_at AS withdrawn_at,
       coalesce(p.consent_scopes, []) AS scopes
ORDER BY id
LIMIT $limit
"""

UNSEALED_PERSONAL_RECORDS = """
MATCH (p:Person)-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
WHERE any(field IN $fields WHERE r[field] IS NOT NULL AND NOT toString(r[field]) STARTS WITH $prefix)
RETURN p.id AS id,
       p.consent_withdrawn_at IS NOT NULL AS withdrawn,
       r {.name, .email, .phone, .date_of_birth, .nationality, .immigration_status, .address,
          .postcode} AS values
ORDER BY id
LIMIT $limit
"""

SET_SEALED_PERSONAL_RECORDS = """
UNWIND $rows AS row
MATCH (:Person {id: row.id})-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
SET r += row.values
"""

WITHDRAWN_WITH_PERSONAL_RECORDS = """
MATCH (p:Person)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord)
WHERE p.consent_withdrawn_at IS NOT NULL
RETURN p.id AS id
ORDER BY id
LIMIT $limit
"""

CONSENT_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT consent_event_id IF NOT EXISTS FOR (n:ConsentEvent) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX consent_event_person IF NOT EXISTS FOR (n:ConsentEvent) ON (n.person_id)",
)
