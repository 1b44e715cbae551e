"""Pages of anchor institutions, their departments and vacancies, one query a sort order.

Sort keys are pre-written here, never taken from a request. Each ``*_BY_*``
query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key
are broken by id. Null filter parameters match everything. ``COUNT_*`` counts
what the pages of the same filters hold.
"""

ANCHORS_BY_NAME = """
MATCH (n:AnchorInstitution)
WHERE ($sector IS NULL OR n.sector = $sector)
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

ANCHORS_BY_ID = """
MATCH (n:AnchorInstitution)
WHERE ($sector IS NULL OR n.sector = $sector)
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

ANCHORS_BY_EMPLOYEES_DESC = """
MATCH (n:AnchorInstitution)
WHERE ($sector IS NULL OR n.sector = $sector)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, coalesce(n.employees, -1) AS key
WHERE $after_id IS NULL
   OR key < $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key DESC, id
LIMIT $limit
"""

COUNT_ANCHORS = """
MATCH (n:AnchorInstitution)
WHERE ($sector IS NULL OR n.sector = $sector)
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

DEPARTMENTS_BY_NAME = """
MATCH (n:Department)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($anchor_id IS NULL OR EXISTS { (n)-[:PART_OF]->(:AnchorInstitution {id: $anchor_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, toLower(n.name) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

DEPARTMENTS_BY_ID = """
MATCH (n:Department)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($anchor_id IS NULL OR EXISTS { (n)-[:PART_OF]->(:AnchorInstitution {id: $anchor_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_DEPARTMENTS = """
MATCH (n:Department)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($anchor_id IS NULL OR EXISTS { (n)-[:PART_OF]->(:AnchorInstitution {id: $anchor_id}) })
  AND ($search IS NULL OR toLower(n.name) CONTAINS toLower($search))
RETURN count(n) AS total
"""

# Vacancies without a closing date sort after every dated one.
VACANCIES_BY_CLOSES = """
MATCH (n:Vacancy)
WHERE ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, coalesce(toString(n.closes), '9999-12-31') AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

VACANCIES_BY_TITLE = """
MATCH (n:Vacancy)
WHERE ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, toLower(n.title) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

VACANCIES_BY_ID = """
MATCH (n:Vacancy)
WHERE ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_VACANCIES = """
MATCH (n:Vacancy)
WHERE ($status IS NULL OR n.status = $status)
  AND ($shortage IS NULL OR n.shortage = $shortage)
  AND ($anchor_id IS NULL OR EXISTS { (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(n) })
  AND ($occupation_id IS NULL OR EXISTS { (n)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
RETURN count(n) AS total
"""
