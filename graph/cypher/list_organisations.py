"""Pages of community organisations and their services, one query a listing.

The page query and count of each listing; what they take and return is told
in ``graph.services.explore_lists``. An organisation is listed from the year it was
founded: asked as of an earlier day (``$as_of``, today when not asked), it was not
there yet.
"""

ORGANISATIONS_PAGE = """
MATCH (n:CommunityOrganisation)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND (n.founded_year IS NULL OR n.founded_year <= $as_of.year)
  AND ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, CASE $sort
  WHEN 'name' THEN toLower(n.name)
  WHEN 'id' THEN n.id
  WHEN 'founded_year' THEN coalesce(n.founded_year, 9999)
END AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_ORGANISATIONS = """
MATCH (n:CommunityOrganisation)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND (n.founded_year IS NULL OR n.founded_year <= $as_of.year)
  AND ($org_type IS NULL OR n.org_type = $org_type)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

SERVICES_PAGE = """
MATCH (n:Service)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($service_type IS NULL OR n.service_type = $service_type)
  AND ($organisation_id IS NULL OR EXISTS { (:CommunityOrganisation {id: $organisation_id})-[:OFFERS]->(n) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, CASE $sort
  WHEN 'name' THEN toLower(n.name)
  WHEN 'id' THEN n.id
END AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_SERVICES = """
MATCH (n:Service)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($service_type IS NULL OR n.service_type = $service_type)
  AND ($organisation_id IS NULL OR EXISTS { (:CommunityOrganisation {id: $organisation_id})-[:OFFERS]->(n) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""
