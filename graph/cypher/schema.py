"""Constraints and indexes, and the bookkeeping of which migrations ran.

Labels cannot be parameters, so each statement is written out in full; the
test sweep checks there is one uniqueness constraint per entity label.
"""

from typing import LiteralString

UNIQUE_ID_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT personal_record_id IF NOT EXISTS FOR (n:PersonalRecord) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_id IF NOT EXISTS FOR (n:Skill) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT occupation_id IF NOT EXISTS FOR (n:Occupation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT qualification_id IF NOT EXISTS FOR (n:Qualification) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT community_organisation_id IF NOT EXISTS FOR (n:CommunityOrganisation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT service_id IF NOT EXISTS FOR (n:Service) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT anchor_institution_id IF NOT EXISTS FOR (n:AnchorInstitution) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT department_id IF NOT EXISTS FOR (n:Department) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT vacancy_id IF NOT EXISTS FOR (n:Vacancy) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT property_id IF NOT EXISTS FOR (n:Property) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT area_id IF NOT EXISTS FOR (n:Area) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT schema_migration_id IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.id IS UNIQUE",
)

SEARCH_INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX person_stage IF NOT EXISTS FOR (n:Person) ON (n.stage)",
    "CREATE INDEX skill_uri IF NOT EXISTS FOR (n:Skill) ON (n.uri)",
    "CREATE INDEX occupation_uri IF NOT EXISTS FOR (n:Occupation) ON (n.uri)",
    "CREATE INDEX organisation_type IF NOT EXISTS FOR (n:CommunityOrganisation) ON (n.org_type)",
    "CREATE INDEX vacancy_shortage IF NOT EXISTS FOR (n:Vacancy) ON (n.shortage)",
    "CREATE INDEX area_kind IF NOT EXISTS FOR (n:Area) ON (n.kind)",
)

MATCHING_INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX person_trained_as IF NOT EXISTS FOR (n:Person) ON (n.trained_as)",
    "CREATE INDEX vacancy_status IF NOT EXISTS FOR (n:Vacancy) ON (n.status)",
    "CREATE INDEX department_kind IF NOT EXISTS FOR (n:Department) ON (n.kind)",
    "CREATE INDEX service_type IF NOT EXISTS FOR (n:Service) ON (n.service_type)",
)

# A tie's dates, for counting what held on a day from what is there less what did not
# (graph/cypher/explore_links.py ORGANISATION_PEOPLE_COUNTS): the few ties that ended or
# have not begun are found without reading every tie.
HISTORY_INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX supported_by_until IF NOT EXISTS FOR ()-[r:SUPPORTED_BY]-() ON (r.until)",
    "CREATE INDEX supported_by_since IF NOT EXISTS FOR ()-[r:SUPPORTED_BY]-() ON (r.since)",
)

ACCESS_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX audit_event_at IF NOT EXISTS FOR (n:AuditEvent) ON (n.at)",
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_hash IS UNIQUE",
)

APPLIED_MIGRATION_IDS = """
MATCH (m:SchemaMigration)
RETURN m.id AS id
"""

RECORD_MIGRATION = """
MERGE (m:SchemaMigration {id: $id})
ON CREATE SET m.applied_at = datetime(), m.description = $description
"""

SHOW_CONSTRAINT_NAMES = """
SHOW CONSTRAINTS
YIELD name
RETURN name
"""

SHOW_INDEX_NAMES = """
SHOW INDEXES
YIELD name
RETURN name
"""

AWAIT_INDEXES = """
CALL db.awaitIndexes(300)
"""

# Registers the names the product writes before any derived state follows the journal.
# Neo4j commits each new label, relationship type or property key in a transaction of
# its own, which the change journal cannot account for; registering an existing name
# commits nothing.
REGISTER_NAMES = """
CALL (){ UNWIND $labels AS name CALL db.createLabel(name) }
CALL (){ UNWIND $types AS name CALL db.createRelationshipType(name) }
CALL (){ UNWIND $keys AS name CALL db.createProperty(name) }
"""
