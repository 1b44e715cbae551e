"""What matching reads: a vacancy's requirements, candidates, and a person's facts.

Only people whose consent is given and not withdrawn are ever read here.
"""

VACANCY_REQUIREMENTS = """
UNWIND $vacancy_ids AS vacancy_id
MATCH (v:Vacancy {id: vacancy_id})
OPTIONAL MATCH (anchor:AnchorInstitution)-[:POSTS]->(v)
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(occupation:Occupation)
OPTIONAL MATCH (hub:Department {kind: 'employment_hub'})-[:PART_OF]->(anchor)
WITH v, anchor, occupation, head(collect(hub)) AS hub
RETURN v {
  .id, .title, .min_ielts, .min_cefr, .qualification_required, .registration_required,
  .shortage, .status, .salary_band,
  anchor_id: anchor.id,
  anchor_name: anchor.name,
  occupation_id: occupation.id,
  occupation_label: occupation.preferred_label,
  regulated: coalesce(occupation.regulated, false),
  regulator: occupation.regulator,
  hub_id: hub.id,
  hub_name: hub.name,
  essential: [(v)-[r:REQUIRES WHERE r.essential]->(s:Skill) | {id: s.id, label: s.preferred_label}],
  optional: [(v)-[r:REQUIRES WHERE NOT r.essential]->(s:Skill) | {id: s.id, label: s.preferred_label}],
  places: [(v)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..5]->(a:Area) | a.id] +
          [(anchor)-[:LOCATED_IN]->(:Area)-[:WITHIN*0..5]->(a:Area) | a.id]
} AS vacancy
"""

CANDIDATE_IDS = """
CALL () {
  MATCH (p:Person)
  WHERE $occupation_id IS NOT NULL AND p.trained_as = $occupation_id
  RETURN p
  UNION
  UNWIND $skill_ids AS skill_id
  MATCH (:Skill {id: skill_id})<-[:HAS_SKILL]-(p:Person)
  RETURN p
  UNION
  UNWIND $skill_ids AS skill_id
  MATCH (:Skill {id: skill_id})-[:BROADER]-(:Skill)<-[:HAS_SKILL]-(p:Person)
  RETURN p
}
WITH p
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p.id AS id
"""

PERSON_FACTS = """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p {
  .id, .stage, .right_to_work, .ielts_overall, .trained_as,
  languages: coalesce(p.languages, []),
  held: [(p)-[:HAS_SKILL]->(s:Skill) | s.id],
  related: [(p)-[:HAS_SKILL]->(:Skill)-[:BROADER]-(s:Skill) | s.id],
  recognitions: [(p)-[:HOLDS]->(:Qualification)-[q:QUALIFIES_FOR]->(o:Occupation) |
                 {occupation_id: o.id, status: q.status}],
  places: [(p)-[:LIVES_IN]->(:Area)-[:WITHIN*0..5]->(a:Area) | a.id],
  organisations: [(p)-[:SUPPORTED_BY]->(o:CommunityOrganisation) | o.id]
} AS person
"""

OPEN_VACANCY_IDS_FOR = """
MATCH (p:Person {id: $person_id})
CALL (p) {
  MATCH (v:Vacancy)-[:FOR_OCCUPATION]->(:Occupation {id: p.trained_as})
  RETURN v
  UNION
  MATCH (p)-[:HAS_SKILL]->(:Skill)<-[:REQUIRES]-(v:Vacancy)
  RETURN v
  UNION
  MATCH (p)-[:HAS_SKILL]->(:Skill)-[:BROADER]-(:Skill)<-[:REQUIRES]-(v:Vacancy)
  RETURN v
}
WITH v
WHERE v.status = 'open'
RETURN v.id AS id
"""

GAP_PROVIDERS = """
UNWIND $service_types AS service_type
MATCH (o:CommunityOrganisation)-[:OFFERS]->(s:Service {service_type: service_type})
RETURN service_type, o.id AS id, o.name AS name, s.name AS service
ORDER BY service_type, o.name, o.id
"""
