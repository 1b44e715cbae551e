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
WITH p, collect(organisation) AS organisations, collect(hops) AS hops
RETURN p.id AS id,
       organisations,
       hops,
       [(p)-[:SUPPORTED_BY]->(o:CommunityOrganisation) | o.id] AS serving
"""

ORGANISATION_NAMES = """
UNWIND $organisation_ids AS organisation_id
MATCH (o:CommunityOrganisation {id: organisation_id})
RETURN o.id AS id, o.name AS name
"""
