"""Pages of skills, occupations and qualifications, one query a sort order.

Sort keys are pre-written here, never taken from a request. Each ``*_BY_*``
query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key
are broken by id. Null filter parameters match everything. ``COUNT_*`` counts
what the pages of the same filters hold.
"""

SKILLS_BY_LABEL = """
MATCH (n:Skill)
WHERE ($skill_type IS NULL OR n.skill_type = $skill_type)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, toLower(n.preferred_label) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

SKILLS_BY_ID = """
MATCH (n:Skill)
WHERE ($skill_type IS NULL OR n.skill_type = $skill_type)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_SKILLS = """
MATCH (n:Skill)
WHERE ($skill_type IS NULL OR n.skill_type = $skill_type)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
RETURN count(n) AS total
"""

OCCUPATIONS_BY_LABEL = """
MATCH (n:Occupation)
WHERE ($regulated IS NULL OR coalesce(n.regulated, false) = $regulated)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, toLower(n.preferred_label) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

OCCUPATIONS_BY_ID = """
MATCH (n:Occupation)
WHERE ($regulated IS NULL OR coalesce(n.regulated, false) = $regulated)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_OCCUPATIONS = """
MATCH (n:Occupation)
WHERE ($regulated IS NULL OR coalesce(n.regulated, false) = $regulated)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
RETURN count(n) AS total
"""

QUALIFICATIONS_BY_TITLE = """
MATCH (n:Qualification)
WHERE ($occupation_id IS NULL OR EXISTS { (n)-[:QUALIFIES_FOR]->(:Occupation {id: $occupation_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, toLower(n.title) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

QUALIFICATIONS_BY_ID = """
MATCH (n:Qualification)
WHERE ($occupation_id IS NULL OR EXISTS { (n)-[:QUALIFIES_FOR]->(:Occupation {id: $occupation_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

COUNT_QUALIFICATIONS = """
MATCH (n:Qualification)
WHERE ($occupation_id IS NULL OR EXISTS { (n)-[:QUALIFIES_FOR]->(:Occupation {id: $occupation_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
RETURN count(n) AS total
"""
