"""Pages of areas and properties, one query a sort order.

Sort keys are pre-written here, never taken from a request. Each ``*_BY_*``
query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key
are broken by id. Null filter parameters match everything. ``COUNT_*`` counts
what the pages of the same filters hold.
"""

AREAS_BY_NAME = """
MATCH (n:Area)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($parent_id IS NULL OR EXISTS { (n)-[:WITHIN]->(:Area {id: $parent_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, toLower(n.name) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

AREAS_BY_ID = """
MATCH (n:Area)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($parent_id IS NULL OR EXISTS { (n)-[:WITHIN]->(:Area {id: $parent_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_AREAS = """
MATCH (n:Area)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($parent_id IS NULL OR EXISTS { (n)-[:WITHIN]->(:Area {id: $parent_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

# The owner is named by kind and id together: ids are unique within a label only.
PROPERTIES_BY_NAME = """
MATCH (n:Property)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) })
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

PROPERTIES_BY_ID = """
MATCH (n:Property)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) })
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

PROPERTIES_BY_SIZE_DESC = """
MATCH (n:Property)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, coalesce(n.size_sqm, -1.0) AS key
WHERE $after_id IS NULL
   OR key < $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key DESC, id
LIMIT $limit
"""

COUNT_PROPERTIES = """
MATCH (n:Property)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($available_for_community IS NULL OR coalesce(n.available_for_community, false) = $available_for_community)
  AND ($owner_id IS NULL OR EXISTS { (o)-[:OWNS]->(n) WHERE o.id = $owner_id AND $owner_kind IN labels(o) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""
