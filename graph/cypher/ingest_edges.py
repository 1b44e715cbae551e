"""Batched MERGE of relationships from edge lists, one query a (type, from, to).

Endpoints were checked to exist before these run; ``row.props`` holds since,
strength, evidence, count and stage (nulls remove a property).
"""

MERGE_PERSON_SUPPORTED_BY_ORGANISATION = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:CommunityOrganisation {id: row.to_id})
MERGE (a)-[r:SUPPORTED_BY]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_KNOWS_PERSON = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:KNOWS]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_MENTORED_BY_PERSON = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:MENTORED_BY]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_HAS_SKILL = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Skill {id: row.to_id})
MERGE (a)-[r:HAS_SKILL]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_HOLDS_QUALIFICATION = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Qualification {id: row.to_id})
MERGE (a)-[r:HOLDS]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_APPLIED_TO_VACANCY = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Vacancy {id: row.to_id})
MERGE (a)-[r:APPLIED_TO]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_PERSON_PLACED_IN_VACANCY = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Vacancy {id: row.to_id})
MERGE (a)-[r:PLACED_IN]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_REFERS_TO_ORGANISATION = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:CommunityOrganisation {id: row.to_id})
MERGE (a)-[r:REFERS_TO]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_REFERS_TO_DEPARTMENT = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:Department {id: row.to_id})
MERGE (a)-[r:REFERS_TO]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_REFERS_TO_ANCHOR = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:AnchorInstitution {id: row.to_id})
MERGE (a)-[r:REFERS_TO]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_DEPARTMENT_REFERS_TO_ORGANISATION = """
UNWIND $rows AS row
MATCH (a:Department {id: row.from_id})
MATCH (b:CommunityOrganisation {id: row.to_id})
MERGE (a)-[r:REFERS_TO]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_PARTNERS_WITH_ORGANISATION = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:CommunityOrganisation {id: row.to_id})
MERGE (a)-[r:PARTNERS_WITH]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_PARTNERS_WITH_ANCHOR = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:AnchorInstitution {id: row.to_id})
MERGE (a)-[r:PARTNERS_WITH]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_DEPARTMENT_PARTNERS_WITH_ORGANISATION = """
UNWIND $rows AS row
MATCH (a:Department {id: row.from_id})
MATCH (b:CommunityOrganisation {id: row.to_id})
MERGE (a)-[r:PARTNERS_WITH]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_ORGANISATION_USES_PROPERTY = """
UNWIND $rows AS row
MATCH (a:CommunityOrganisation {id: row.from_id})
MATCH (b:Property {id: row.to_id})
MERGE (a)-[r:USES]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""

MERGE_SERVICE_DELIVERED_AT_PROPERTY = """
UNWIND $rows AS row
MATCH (a:Service {id: row.from_id})
MATCH (b:Property {id: row.to_id})
MERGE (a)-[r:DELIVERED_AT]->(b)
SET r += row.props,
    r.source = $source,
    r.loaded_at = $loaded_at,
    r.loader_version = $loader_version
"""
