"""The referral network, read for path finding.

Only people who consented appear; a person reaches organisations through at
most two word-of-mouth hops (KNOWS or MENTORED_BY, "a friend of a friend"),
and everything past the first organisation runs over organisational ties.
"""

# One row: the organisational ties as lists, then the word-of-mouth ties of
# $person_ids. A vacancy leads nowhere, so of the many POSTS ties only those to
# $vacancy_ids (the vacancies asked about) can lie on a path; the others are left
# out. One packed row costs a fraction of a row per tie through the driver.
REFERRAL_NETWORK = """
CALL () {
  CALL () {
    MATCH (a)-[r:REFERS_TO|PARTNERS_WITH|PART_OF]->(b)
    WHERE a:CommunityOrganisation OR a:Department OR a:AnchorInstitution
    RETURN a, r, b
    UNION ALL
    UNWIND $vacancy_ids AS vacancy_id
    MATCH (a:AnchorInstitution)-[r:POSTS]->(b:Vacancy {id: vacancy_id})
    RETURN a, r, b
  }
  RETURN collect([labels(a)[0], a.id, coalesce(a.name, a.title),
                  labels(b)[0], b.id, coalesce(b.name, b.title),
                  type(r), r.strength]) AS backbone
}
CALL () {
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
  RETURN collect([q.id, to_label, to_id, to_name, type, strength]) AS people
}
RETURN backbone, people
"""
