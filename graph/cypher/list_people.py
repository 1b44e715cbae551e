"""Pages of people (consenting only), one query a sort order.

Sort keys are pre-written here, never taken from a request. Each ``*_BY_*``
query returns ``id`` and ``key`` for up to ``$limit`` rows after the keyset
``($after_key, $after_id)`` (both null for the first page); ties on the key
are broken by id. Null filter parameters match everything. ``COUNT_*`` counts
what the pages of the same filters hold. ``$organisation_id`` keeps the people
that organisation supports or who share their details with it (``$share_scope``,
the scope of ``graph.access.share_scope``): a caseworker's own people.
"""

# Only people who consented and have not withdrawn are listed or counted here;
# a page and its totalCount must agree.
PEOPLE_BY_ID = """
MATCH (n:Person)
WHERE n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($right_to_work IS NULL OR n.right_to_work = $right_to_work)
  AND ($trained_as IS NULL OR n.trained_as = $trained_as)
  AND ($skill_id IS NULL OR EXISTS { (n)-[:HAS_SKILL]->(:Skill {id: $skill_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LIVES_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($organisation_id IS NULL
       OR EXISTS { (n)-[:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id}) }
       OR $share_scope IN coalesce(n.consent_scopes, []))
WITH n, n.id AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

PEOPLE_BY_STAGE = """
MATCH (n:Person)
WHERE n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($right_to_work IS NULL OR n.right_to_work = $right_to_work)
  AND ($trained_as IS NULL OR n.trained_as = $trained_as)
  AND ($skill_id IS NULL OR EXISTS { (n)-[:HAS_SKILL]->(:Skill {id: $skill_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LIVES_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($organisation_id IS NULL
       OR EXISTS { (n)-[:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id}) }
       OR $share_scope IN coalesce(n.consent_scopes, []))
WITH n, coalesce(head([i IN range(0, size($stage_order) - 1) WHERE $stage_order[i] = n.stage]), size($stage_order)) AS key
WHERE $after_id IS NULL
   OR key > $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key, id
LIMIT $limit
"""

PEOPLE_BY_IELTS_DESC = """
MATCH (n:Person)
WHERE n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($right_to_work IS NULL OR n.right_to_work = $right_to_work)
  AND ($trained_as IS NULL OR n.trained_as = $trained_as)
  AND ($skill_id IS NULL OR EXISTS { (n)-[:HAS_SKILL]->(:Skill {id: $skill_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LIVES_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($organisation_id IS NULL
       OR EXISTS { (n)-[:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id}) }
       OR $share_scope IN coalesce(n.consent_scopes, []))
WITH n, coalesce(n.ielts_overall, -1.0) AS key
WHERE $after_id IS NULL
   OR key < $after_key
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY key DESC, id
LIMIT $limit
"""

COUNT_PEOPLE = """
MATCH (n:Person)
WHERE n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($right_to_work IS NULL OR n.right_to_work = $right_to_work)
  AND ($trained_as IS NULL OR n.trained_as = $trained_as)
  AND ($skill_id IS NULL OR EXISTS { (n)-[:HAS_SKILL]->(:Skill {id: $skill_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LIVES_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($organisation_id IS NULL
       OR EXISTS { (n)-[:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id}) }
       OR $share_scope IN coalesce(n.consent_scopes, []))
RETURN count(n) AS total
"""
