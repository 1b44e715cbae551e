"""The referral network, read for path finding.

Only people who consented appear; a person reaches organisations through at
most two word-of-mouth hops (KNOWS or MENTORED_BY, "a friend of a friend"),
and everything past the first organisation runs over organisational ties.
"""

REFERRAL_BACKBONE = """
MATCH (a)-[r:REFERS_TO|PARTNERS_WITH|PART_OF|POSTS]->(b)
WHERE a:CommunityOrganisation OR a:Department OR a:AnchorInstitution
RETURN labels(a)[0] AS from_label,
       a.id AS from_id,
       coalesce(a.name, a.title) AS from_name,
       labels(b)[0] AS to_label,
       b.id AS to_id,
       coalesce(b.name, b.title) AS to_name,
       type(r) AS type,
       r.strength AS strength
"""

PEOPLE_NEIGHBOURHOODS = """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
MATCH (p)(()-[:KNOWS|MENTORED_BY]-(x:Person WHERE x.consent_given_at IS NOT NULL AND x.consent_withdrawn_at IS NULL)){0,2}(q:Person)
WHERE q.consent_given_at IS NOT NULL AND q.consent_withdrawn_at IS NULL
WITH DISTINCT q
CALL (q) {
  MATCH (q)-[r:KNOWS|MENTORED_BY]-(other:Person)
  WHERE other.consent_given_at IS NOT NULL AND other.consent_withdrawn_at IS NULL
  RETURN 'Person' AS to_label, other.id AS to_id, null AS to_name, type(r) AS type, r.strength AS strength
  UNION
  MATCH (q)-[r:SUPPORTED_BY]->(o:CommunityOrganisation)
  RETURN 'CommunityOrganisation' AS to_label, o.id AS to_id, o.name AS to_name, type(r) AS type, r.strength AS strength
}
RETURN q.id AS from_id, to_label, to_id, to_name, type, strength
"""
