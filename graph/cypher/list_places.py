"""Pages of areas and properties, one query a listing.

The page query and count of each listing; what they take and return is told
in ``graph.services.explore_lists``.
"""

from graph.cypher.history import held_on

AREAS_PAGE = """
MATCH (n:Area)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($parent_id IS NULL OR EXISTS { (n)-[:WITHIN]->(:Area {id: $parent_id}) })
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

COUNT_AREAS = """
MATCH (n:Area)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($parent_id IS NULL OR EXISTS { (n)-[:WITHIN]->(:Area {id: $parent_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

# The owner is named by kind and id together: ids are unique within a label only.
PROPERTIES_PAGE = (
    """
MATCH (n:Property)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[owns:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) AND """
    + held_on("owns")
    + """ })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, CASE $sort
  WHEN 'name' THEN toLower(n.name)
  WHEN 'id' THEN n.id
  WHEN 'size_desc' THEN coalesce(n.size_sqm, -1.0)
END AS key
WHERE $after_id IS NULL
   OR (CASE $sort WHEN 'size_desc' THEN key < $after_key ELSE key > $after_key END)
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY CASE $sort WHEN 'size_desc' THEN key END DESC, key, id
LIMIT $limit
"""
)

COUNT_PROPERTIES = (
    """
MATCH (n:Property)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[owns:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) AND """
    + held_on("owns")
    + """ })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""
)
