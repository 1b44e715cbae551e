"""Pages of community organisations and their services, one query a sort order.

Sort keys are pre-written here, never taken from a request. Each ``*_BY_*``
query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key
are broken by id. Null filter parameters match everything. ``COUNT_*`` counts
what the pages of the same filters hold.
"""

ORGANISATIONS_BY_NAME = """
MATCH (n:CommunityOrganisation)
WHERE ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, toLower(n.name) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

ORGANISATIONS_BY_ID = """
MATCH (n:CommunityOrganisation)
WHERE ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

ORGANISATIONS_BY_FOUNDED_YEAR = """
MATCH (n:CommunityOrganisation)
WHERE ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, coalesce(n.founded_year, 9999) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_ORGANISATIONS = """
MATCH (n:CommunityOrganisation)
WHERE ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

SERVICES_BY_NAME = """
MATCH (n:Service)
WHERE ($service_type IS NULL OR n.service_type = $service_type)
  AND ($organisation_id IS NULL OR EXISTS { (:CommunityOrganisation {id: $organisation_id})-[:OFFERS]->(n) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, toLower(n.name) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

SERVICES_BY_ID = """
MATCH (n:Service)
WHERE ($service_type IS NULL OR n.service_type = $service_type)
  AND ($organisation_id IS NULL OR EXISTS { (:CommunityOrganisation {id: $organisation_id})-[:OFFERS]->(n) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_SERVICES = """
MATCH (n:Service)
WHERE ($service_type IS NULL OR n.service_type = $service_type)
  AND ($organisation_id IS NULL OR EXISTS { (:CommunityOrganisation {id: $organisation_id})-[:OFFERS]->(n) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""
