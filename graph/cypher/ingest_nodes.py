"""Batched MERGE of nodes on their external id, stamping provenance.

Each ``MERGE_*`` takes ``$rows`` (``{props: {...}}`` maps, ``props.id`` set) and
the provenance parameters. ``SET n += row.props`` with a null value removes that
property, so a reload mirrors the source.

Every node of a placed label joins the load's place (``$place_id``) and keeps any
other place it is in: one organisation working in two cities is one node.

People are the exception: their consent properties and stage history are not taken
from the row as is (``graph/services/people_ingest.py`` derives them from history),
and a personal record, sealed before it gets here, is never written for someone who
withdrew.
"""

# ``changed_at`` moves only when the file says something new of the person (its row's
# digest differs, or there was none): a nightly re-load of the same row is not activity
# and must not keep a person's record from retention (``INACTIVE_PEOPLE``).
MERGE_PEOPLE = """
UNWIND $rows AS row
MERGE (n:Person {id: row.props.id})
SET n.changed_at = CASE
      WHEN n.row_digest = row.digest THEN coalesce(n.changed_at, $loaded_at)
      ELSE $loaded_at
    END,
    n.row_digest = row.digest
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

# Everything a people batch may change of each person but the batch's own time
# (``loaded_at``), read before and after the batch writes: a person alike in both is
# one it did not change (an unchanged row loaded again), and is not journalled. A
# personal record by its being there: its values are in the person's row digest.
PEOPLE_STATES = """
UNWIND $ids AS id
OPTIONAL MATCH (p:Person {id: id})
RETURN id,
       p {.*, loaded_at: null} AS person,
       [(p)-[:LIVES_IN]->(a) | a.id] AS areas,
       [(p)-[r:HAS_SKILL]->(s) | [s.id, r.source]] AS skills,
       [(p)-[r:SUPPORTED_BY]->(o) | [o.id, r.source]] AS organisations,
       [(p)-[:HAS_PERSONAL_RECORD]->(r) | r.id] AS records,
       COUNT { (p)-[:HAS_CONSENT_EVENT]->() } AS events
"""

MERGE_PERSONAL_RECORDS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.props.id})
WHERE p.consent_withdrawn_at IS NULL
MERGE (n:PersonalRecord {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version
MERGE (p)-[:HAS_PERSONAL_RECORD]->(n)
"""

MERGE_SKILLS = """
UNWIND $rows AS row
MERGE (n:Skill {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version
"""

MERGE_OCCUPATIONS = """
UNWIND $rows AS row
MERGE (n:Occupation {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version
"""

MERGE_QUALIFICATIONS = """
UNWIND $rows AS row
MERGE (n:Qualification {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version
"""

MERGE_ORGANISATIONS = """
UNWIND $rows AS row
MERGE (n:CommunityOrganisation {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_SERVICES = """
UNWIND $rows AS row
MERGE (n:Service {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_ANCHORS = """
UNWIND $rows AS row
MERGE (n:AnchorInstitution {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_DEPARTMENTS = """
UNWIND $rows AS row
MERGE (n:Department {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_VACANCIES = """
UNWIND $rows AS row
MERGE (n:Vacancy {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_PROPERTIES = """
UNWIND $rows AS row
MERGE (n:Property {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

MERGE_AREAS = """
UNWIND $rows AS row
MERGE (n:Area {id: row.props.id})
SET n += row.props,
    n.source = $source,
    n.loaded_at = $loaded_at,
    n.loader_version = $loader_version,
    n.place_ids = CASE WHEN $place_id IN n.place_ids THEN n.place_ids
                  ELSE coalesce(n.place_ids, []) + $place_id END
"""

# The place a load writes into; a new one is named after its id until a load names it.
MERGE_PLACE = """
MERGE (pl:Place {id: $place_id})
ON CREATE SET pl.name = coalesce($place_name, $place_id), pl.created_at = $loaded_at
WITH pl, pl.created_at = $loaded_at AS created
SET pl.name = coalesce($place_name, pl.name)
RETURN created
"""
