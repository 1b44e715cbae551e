"""What brokerage-gap analysis reads beyond the referral network.

Only ties that held on ``$as_of`` (graph/cypher/history.py) are ways in, and only
nodes in ``$places`` (graph/cypher/scope.py) are read: the anchor, its vacancies and
hubs, the people and their friends, and the organisations they meet.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# No row when there is no such anchor in $places (one elsewhere is answered as an
# unknown one). Its open shortage vacancies (of one occupation, if asked) and its
# employment hubs, where suggested ties should go, of those places.
ANCHOR_SHORTAGES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
RETURN COLLECT {
         MATCH (anchor)-[:POSTS]->(v:Vacancy)
         WHERE v.shortage = true
           AND coalesce(v.status, 'open') = 'open'
           AND ($occupation_id IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
           AND """
    + in_places("v")
    + """
         RETURN v.id
       } AS vacancy_ids,
       COLLECT {
         MATCH (hub:Department {kind: 'employment_hub'})-[:PART_OF]->(anchor)
         WHERE """
    + in_places("hub")
    + """
         RETURN hub.id
       } AS hub_ids
"""
)

# Where each person first meets an organisation (the people are of $places: the
# candidates are found in them), their own (one hop), and those of the people they
# know there (consenting people only; two hops), an organisation once for each
# acquaintance it serves; the second only when $friends (with too few
# hops for such a way in to reach the anchor, the walk is left out: it is most of
# the read). Brokerage reasons about these ways in, so the people themselves never
# need to be walked again. One packed row, and lists rather than grouping: a row per
# person, or grouping by person and organisation, costs the server more than the
# walk itself. Organisations come as their numbers in the backbone ($numbers, read
# just before: every organisation with an id), which the client takes as they are
# rather than decode and look up tens of thousands of ids; one made since that read
# is nobody's way in yet. Many people are read in parts at once, each part its own
# read: a person's row depends on nothing read for another.
ENTRY_POINTS = (
    """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN collect([
  p.id,
  [(p)-[s:SUPPORTED_BY]->(o:CommunityOrganisation) WHERE $numbers[o.id] IS NOT NULL AND """
    + held_on("s")
    + """ | $numbers[o.id]],
  [(p)-[k:KNOWS|MENTORED_BY]-(f:Person)-[s:SUPPORTED_BY]->(o:CommunityOrganisation)
   WHERE $friends AND f.consent_given_at IS NOT NULL AND f.consent_withdrawn_at IS NULL
     AND $numbers[o.id] IS NOT NULL AND """
    + held_on("k")
    + " AND "
    + held_on("s")
    + " AND "
    + in_places("f")
    + """ | $numbers[o.id]]
]) AS people
"""
)

# The organisations of a friend of a friend (three hops away), for the people
# whose answer they could change, by their numbers likewise. Walking that far costs
# about three times as much a person as the nearer ways in, and most people's answer
# is settled without it.
FAR_ENTRY_POINTS = (
    """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
MATCH (p)-[k:KNOWS|MENTORED_BY]-(f:Person)-[j:KNOWS|MENTORED_BY]-(g:Person)-[s:SUPPORTED_BY]->(o:CommunityOrganisation)
WHERE f.consent_given_at IS NOT NULL AND f.consent_withdrawn_at IS NULL
  AND g.consent_given_at IS NOT NULL AND g.consent_withdrawn_at IS NULL
  AND $numbers[o.id] IS NOT NULL
  AND """
    + held_on("k")
    + " AND "
    + held_on("j")
    + " AND "
    + held_on("s")
    + " AND "
    + in_places("f")
    + " AND "
    + in_places("g")
    + """
WITH p, collect(DISTINCT $numbers[o.id]) AS organisations
RETURN collect([p.id, organisations]) AS people
"""
)

# Every organisation of $places and its name, for those the referral network lacks
# (an organisation with no ties is still someone's way in).
ORGANISATIONS = (
    """
MATCH (o:CommunityOrganisation)
WHERE o.id IS NOT NULL
  AND """
    + in_places("o")
    + """
RETURN collect([o.id, o.name]) AS organisations
"""
)
