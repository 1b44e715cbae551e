"""Pages of skills, occupations and qualifications, one query a listing.

The page query and count of each listing; what they take and return is told
in ``graph.services.explore_lists``.
"""

SKILLS_PAGE = """
MATCH (n:Skill)
WHERE ($skill_type IS NULL OR n.skill_type = $skill_type)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, CASE $sort
  WHEN 'label' THEN toLower(n.preferred_label)
  WHEN 'id' THEN n.id
END AS key
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

OCCUPATIONS_PAGE = """
MATCH (n:Occupation)
WHERE ($regulated IS NULL OR coalesce(n.regulated, false) = $regulated)
  AND ($search IS NULL
    OR toLower(n.preferred_label) CONTAINS toLower($search)
    OR any(label IN coalesce(n.alt_labels, []) WHERE toLower(label) CONTAINS toLower($search)))
WITH n, CASE $sort
  WHEN 'label' THEN toLower(n.preferred_label)
  WHEN 'id' THEN n.id
END AS key
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

QUALIFICATIONS_PAGE = """
MATCH (n:Qualification)
WHERE ($occupation_id IS NULL OR EXISTS { (n)-[:QUALIFIES_FOR]->(:Occupation {id: $occupation_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
WITH n, CASE $sort
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

COUNT_QUALIFICATIONS = """
MATCH (n:Qualification)
WHERE ($occupation_id IS NULL OR EXISTS { (n)-[:QUALIFIES_FOR]->(:Occupation {id: $occupation_id}) })
  AND ($search IS NULL OR toLower(n.title) CONTAINS toLower($search))
RETURN count(n) AS total
"""
