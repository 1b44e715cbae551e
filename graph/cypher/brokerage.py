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
