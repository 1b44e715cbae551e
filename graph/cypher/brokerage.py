"""What brokerage-gap analysis reads beyond the referral network."""

SHORTAGE_VACANCY_IDS = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})-[:POSTS]->(v:Vacancy)
WHERE v.shortage = true
  AND coalesce(v.status, 'open') = 'open'
  AND ($occupation_id IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(:Occupation {id: $occupation_id}) })
RETURN v.id AS id
ORDER BY id
"""

ANCHOR_HUBS = """
MATCH (hub:Department {kind: 'employment_hub'})-[:PART_OF]->(:AnchorInstitution {id: $anchor_id})
RETURN hub.id AS id
ORDER BY id
"""

# Where each person first meets an organisation: their own, or that of someone
# they know or a friend of a friend knows (consenting people only), with the hops
# it took. Brokerage reasons about groups of people with the same ways in, so the
# people themselves never need to be walked again.
ENTRY_POINTS = """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
OPTIONAL MATCH path = (p)(()-[:KNOWS|MENTORED_BY]-(x:Person WHERE x.consent_given_at IS NOT NULL AND x.consent_withdrawn_at IS NULL)){0,2}(:Person)-[:SUPPORTED_BY]->(o:CommunityOrganisation)
WITH p, o.id AS organisation, min(length(path)) AS hops
WITH p, collect(CASE WHEN organisation IS NOT NULL THEN [organisation, hops] END) AS entries
// $distance: hops from each organisation to the anchor. A person with a way in
// that reaches the anchor needs no other: losing a node or tie only lengthens
// routes, so ways in already too long can never count. Only people with no
// route keep them all, for the suggestions.
WITH p, entries,
     [e IN entries WHERE e[1] + coalesce($distance[e[0]], $max_hops + 1) <= $max_hops] AS useful
WITH p, CASE WHEN size(useful) > 0 THEN useful ELSE entries END AS entries
RETURN p.id AS id,
       [e IN entries | e[0]] AS organisations,
       [e IN entries | e[1]] AS hops,
       [(p)-[:SUPPORTED_BY]->(o:CommunityOrganisation) | o.id] AS serving
"""

ORGANISATION_NAMES = """
UNWIND $organisation_ids AS organisation_id
MATCH (o:CommunityOrganisation {id: organisation_id})
RETURN o.id AS id, o.name AS name
"""
