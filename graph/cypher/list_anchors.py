"""Pages of anchor institutions, their departments and vacancies, one query a listing.

The page query and count of each listing; what they take and return is told
in ``graph.services.explore_lists``.
"""

ANCHORS_PAGE = """
MATCH (n:AnchorInstitution)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($sector IS NULL OR n.sector = $sector)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, CASE $sort
  WHEN 'name' THEN toLower(n.name)
  WHEN 'id' THEN n.id
  WHEN 'employees_desc' THEN coalesce(n.employees, -1)
END AS key
WHERE $after_id IS NULL
   OR (CASE $sort WHEN 'employees_desc' THEN key < $after_key ELSE key > $after_key END)
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY CASE $sort WHEN 'employees_desc' THEN key END DESC, key, id
LIMIT $limit
"""

COUNT_ANCHORS = """
MATCH (n:AnchorInstitution)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($sector IS NULL OR n.sector = $sector)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

DEPARTMENTS_PAGE = """
MATCH (n:Department)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($anchor_id IS NULL OR EXISTS { (n)-[:PART_OF]->(:AnchorInstitution {id: $anchor_id}) })
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

COUNT_DEPARTMENTS = """
MATCH (n:Department)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($anchor_id IS NULL OR EXISTS { (n)-[:PART_OF]->(:AnchorInstitution {id: $anchor_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

# Vacancies without a closing date sort after every dated one.
VACANCIES_PAGE = """
MATCH (n:Vacancy)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, CASE $sort
  WHEN 'closes' THEN coalesce(toString(n.closes), '9999-12-31')
  WHEN 'title' THEN toLower(n.title)
  WHEN 'id' THEN n.id
END AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_VACANCIES = """
MATCH (n:Vacancy)
WHERE ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
RETURN count(n) AS total
"""
