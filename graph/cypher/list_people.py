"""Pages of people (consenting only), one query a listing.

The page query and count of each listing; what they take and return is told
in ``graph.services.explore_lists``. ``$organisation_id`` keeps the people
that organisation supports or who share their details with it (``$share_scope``,
the scope of ``graph.access.share_scope``): a caseworker's own people.
"""

from typing import LiteralString

from graph.cypher.history import held_on

# Who is listed and counted, written once for the page queries and the count (a
# fragment, named in lower case so that the constant sweeps do not take it for a query).
_listed: LiteralString = (
    """
     ($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))
  AND n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($right_to_work IS NULL OR n.right_to_work = $right_to_work)
  AND ($trained_as IS NULL OR n.trained_as = $trained_as)
  AND ($skill_id IS NULL OR EXISTS { (n)-[:HAS_SKILL]->(:Skill {id: $skill_id}) })
  AND ($area_id IS NULL OR EXISTS { (n)-[:LIVES_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  AND ($organisation_id IS NULL
       OR EXISTS { (n)-[s:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id})
                   WHERE """
    + held_on("s")
    + """ }
       OR $share_scope IN coalesce(n.consent_scopes, []))
"""
)

# Only people who consented and have not withdrawn are listed or counted here;
# a page and its totalCount must agree. A stage's rank is looked up in the map
# ``$stage_rank`` (stage -> position in the route): searching a list of stages
# inside the CASE read n.stage once a stage, 1.9 times the database hits of the
# whole page at 100,000 people (docs/benchmarks.md).
PEOPLE_PAGE = (
    """
MATCH (n:Person)
WHERE """
    + _listed
    + """WITH n, CASE $sort
  WHEN 'id' THEN n.id
  WHEN 'stage' THEN coalesce($stage_rank[n.stage], size(keys($stage_rank)))
  WHEN 'ielts_desc' THEN coalesce(n.ielts_overall, -1.0)
END AS key
WHERE $after_id IS NULL
   OR (CASE $sort WHEN 'ielts_desc' THEN key < $after_key ELSE key > $after_key END)
   OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, key
ORDER BY CASE $sort WHEN 'ielts_desc' THEN key END DESC, key, id
LIMIT $limit
"""
)

# The same page in id order, the default: read along the id index, it stops once the
# page is full (77 rows read for a stage's first page at 100,000 people, 4 ms), where
# PEOPLE_PAGE, whose key is chosen by $sort, reads and sorts every person (500 ms).
# Ids are never empty, so '' starts the first page.
PEOPLE_PAGE_BY_ID = (
    """
MATCH (n:Person)
WHERE n.id > coalesce($after_id, '')
  AND """
    + _listed
    + """RETURN n.id AS id, n.id AS key
ORDER BY n.id
LIMIT $limit
"""
)

COUNT_PEOPLE = (
    """
MATCH (n:Person)
WHERE """
    + _listed
    + """RETURN count(n) AS total
"""
)
