"""Relationships that entity rows carry as fields (a vacancy's anchor, a service's
organisation...). Each replaces the node's previous link of that type, so a
reload mirrors the source; rows whose target is null only lose the old link.
Targets were checked to exist before these run.

Replacing is deleting, as a correction of the source, for every link but a
property's owner: ownership is history, and the owner replaced is ended, not
deleted (docs/places.md says why only it).
"""

LINK_PERSON_HOME_AREAS = """
UNWIND $rows AS row
MATCH (n:Person {id: row.id})
OPTIONAL MATCH (n)-[old:LIVES_IN]->()
DELETE old
WITH n, row
MATCH (a:Area {id: row.area_id})
MERGE (n)-[:LIVES_IN]->(a)
"""

LINK_PERSON_SKILLS = """
UNWIND $rows AS row
MATCH (n:Person {id: row.id})
UNWIND row.skill_ids AS skill_id
MATCH (s:Skill {id: skill_id})
MERGE (n)-[r:HAS_SKILL]->(s)
SET r.source = $source
"""

# A survey says who supports a person now: it writes into the open period of that
# support, or starts one when the support had ended (an edge list's ``until``).
LINK_PERSON_ORGANISATIONS = """
UNWIND $rows AS row
MATCH (n:Person {id: row.id})
UNWIND row.organisation_ids AS organisation_id
MATCH (o:CommunityOrganisation {id: organisation_id})
WITH n, o, head(COLLECT {
  MATCH (n)-[open:SUPPORTED_BY]->(o)
  WHERE open.until IS NULL
  RETURN open
}) AS found
OPTIONAL CALL (n, o, found) {
  WITH n, o
  WHERE found IS NULL
  CREATE (n)-[made:SUPPORTED_BY]->(o)
  RETURN made
}
WITH coalesce(found, made) AS r
SET r.source = $source
"""

LINK_QUALIFICATION_OCCUPATIONS = """
UNWIND $rows AS row
MATCH (n:Qualification {id: row.id})
OPTIONAL MATCH (n)-[old:QUALIFIES_FOR]->()
DELETE old
WITH n, row
MATCH (o:Occupation {id: row.occupation_id})
MERGE (n)-[r:QUALIFIES_FOR]->(o)
SET r.status = row.recognition
"""

LINK_ORGANISATION_AREAS = """
UNWIND $rows AS row
MATCH (n:CommunityOrganisation {id: row.id})
OPTIONAL MATCH (n)-[old:LOCATED_IN]->()
DELETE old
WITH n, row
MATCH (a:Area {id: row.area_id})
MERGE (n)-[:LOCATED_IN]->(a)
"""

LINK_SERVICE_ORGANISATIONS = """
UNWIND $rows AS row
MATCH (n:Service {id: row.id})
OPTIONAL MATCH ()-[old:OFFERS]->(n)
DELETE old
WITH n, row
MATCH (o:CommunityOrganisation {id: row.organisation_id})
MERGE (o)-[:OFFERS]->(n)
"""

LINK_ANCHOR_AREAS = """
UNWIND $rows AS row
MATCH (n:AnchorInstitution {id: row.id})
OPTIONAL MATCH (n)-[old:LOCATED_IN]->()
DELETE old
WITH n, row
MATCH (a:Area {id: row.area_id})
MERGE (n)-[:LOCATED_IN]->(a)
"""

LINK_DEPARTMENTS = """
UNWIND $rows AS row
MATCH (n:Department {id: row.id})
OPTIONAL MATCH (n)-[old:PART_OF|LOCATED_IN]->()
DELETE old
WITH n, row
MATCH (anchor:AnchorInstitution {id: row.anchor_id})
MERGE (n)-[:PART_OF]->(anchor)
WITH n, row
MATCH (a:Area {id: row.area_id})
MERGE (n)-[:LOCATED_IN]->(a)
"""

LINK_VACANCIES = """
UNWIND $rows AS row
MATCH (n:Vacancy {id: row.id})
OPTIONAL MATCH ()-[old_post:POSTS]->(n)
DELETE old_post
WITH n, row
OPTIONAL MATCH (n)-[old:FOR_OCCUPATION|REQUIRES|LOCATED_IN]->()
DELETE old
WITH DISTINCT n, row
MATCH (anchor:AnchorInstitution {id: row.anchor_id})
MERGE (anchor)-[:POSTS]->(n)
WITH n, row
CALL (n, row) {
  MATCH (o:Occupation {id: row.occupation_id})
  MERGE (n)-[:FOR_OCCUPATION]->(o)
}
CALL (n, row) {
  UNWIND row.essential_skill_ids AS skill_id
  MATCH (s:Skill {id: skill_id})
  MERGE (n)-[r:REQUIRES]->(s)
  SET r.essential = true
}
CALL (n, row) {
  UNWIND row.optional_skill_ids AS skill_id
  MATCH (s:Skill {id: skill_id})
  MERGE (n)-[r:REQUIRES]->(s)
  SET r.essential = coalesce(r.essential, false)
}
CALL (n, row) {
  MATCH (a:Area {id: row.area_id})
  MERGE (n)-[:LOCATED_IN]->(a)
}
"""

# Ownership is history (docs/places.md): a property that changes hands keeps its former
# owner as a tie ended the load's day (``until``), and the new owner's period starts
# that day; a first owner's start is unknown (no ``since``). The same owner loaded
# again keeps its period; an owner the property comes back to starts a new one.
LINK_PROPERTIES = """
UNWIND $rows AS row
MATCH (n:Property {id: row.id})
OPTIONAL MATCH (anchor:AnchorInstitution {id: row.owner_id})
OPTIONAL MATCH (org:CommunityOrganisation {id: row.owner_id})
WITH n, row, coalesce(anchor, org) AS owner
CALL (n, owner) {
  OPTIONAL MATCH (former)-[held:OWNS]->(n)
  WHERE held.until IS NULL AND (owner IS NULL OR former <> owner)
  SET held.until = date($loaded_at)
  RETURN count(held) AS ended
}
CALL (n, owner, ended) {
  WITH n, owner, ended
  WHERE owner IS NOT NULL
    AND NOT EXISTS { (owner)-[current:OWNS]->(n) WHERE current.until IS NULL }
  CREATE (owner)-[made:OWNS]->(n)
  SET made.since = CASE WHEN ended > 0 THEN date($loaded_at) END
}
CALL (n) {
  OPTIONAL MATCH (n)-[old:LOCATED_IN]->()
  DELETE old
}
CALL (n, row) {
  MATCH (a:Area {id: row.area_id})
  MERGE (n)-[:LOCATED_IN]->(a)
}
"""

LINK_AREAS = """
UNWIND $rows AS row
MATCH (n:Area {id: row.id})
OPTIONAL MATCH (n)-[old:WITHIN]->()
DELETE old
WITH n, row
MATCH (parent:Area {id: row.parent_id})
MERGE (n)-[:WITHIN]->(parent)
"""

LINK_SKILL_BROADER = """
UNWIND $rows AS row
MATCH (n:Skill {id: row.id})
MATCH (b:Skill {id: row.broader_id})
MERGE (n)-[:BROADER]->(b)
"""

LINK_OCCUPATION_SKILLS = """
UNWIND $rows AS row
MATCH (o:Occupation {id: row.occupation_id})
MATCH (s:Skill {id: row.skill_id})
MERGE (o)-[r:REQUIRES]->(s)
SET r.essential = row.essential
"""
