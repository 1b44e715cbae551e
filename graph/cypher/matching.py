"""What matching reads: a vacancy's requirements, candidates, and a person's facts.

Only people whose consent is given and not withdrawn are ever read here, and only
vacancies, people and organisations in the caller's ``$places``.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

VACANCY_REQUIREMENTS = (
    """
UNWIND $vacancy_ids AS vacancy_id
MATCH (v:Vacancy {id: vacancy_id})
WHERE """
    + in_places("v")
    + """
OPTIONAL MATCH (anchor:AnchorInstitution)-[:POSTS]->(v)
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(occupation:Occupation)
// An anchor working in several places has a hub in each: the vacancy's is one of its
// own places (then the first by id, so the choice is the same every time).
OPTIONAL MATCH (hub:Department {kind: 'employment_hub'})-[:PART_OF]->(anchor)
WHERE """
    + in_places("hub")
    + """
WITH v, anchor, occupation, hub
ORDER BY any(place IN hub.place_ids WHERE place IN v.place_ids) DESC, hub.id
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
)

# The candidates for some vacancies, as kinds of people: the facts those vacancies
# can see (which of $skill_ids are held or one BROADER step away, recognitions
# for $occupation_ids, which of $vacancy_areas they live in, by $area_places: each
# area inside them mapped to those it lies in) and every person of the caller's
# $places with exactly those facts. Scores and gaps read nothing else, and there are far fewer
# kinds than people, so ranking tens of thousands of people returns a few thousand
# rows. Lists follow the order of the parameters, so equal facts group together.
CANDIDATE_KINDS = (
    """
CALL () {
  UNWIND $skill_ids AS skill_id
  MATCH (:Skill {id: skill_id})<-[:HAS_SKILL]-(p:Person)
  RETURN p, skill_id AS held, null AS related
  UNION
  UNWIND $skill_ids AS skill_id
  MATCH (:Skill {id: skill_id})-[:BROADER]-(:Skill)<-[:HAS_SKILL]-(p:Person)
  RETURN p, null AS held, skill_id AS related
  UNION
  UNWIND $occupation_ids AS occupation_id
  MATCH (p:Person {trained_as: occupation_id})
  RETURN p, null AS held, null AS related
}
WITH p, collect(held) AS held, collect(related) AS related
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL AND """
    + in_places("p")
    + """
// Read outwards from each person (a few ties each): an index on the far end would
// tempt the planner to start from the occupation and walk all its qualifications.
WITH p, held, related,
     [(p)-[:HOLDS]->(:Qualification)-[q:QUALIFIES_FOR]->(o) | [o.id, q.status]] AS recognitions,
     [(p)-[:LIVES_IN]->(a:Area) WHERE $area_places[a.id] IS NOT NULL | a.id] AS homes
WITH p.id AS person, {
  stage: p.stage,
  right_to_work: p.right_to_work,
  ielts_overall: p.ielts_overall,
  // Only English levels count towards a score (graph.algorithms.matching).
  languages: [level IN coalesce(p.languages, []) WHERE level STARTS WITH 'en:'],
  held: [s IN $skill_ids WHERE s IN held],
  related: [s IN $skill_ids WHERE s IN related],
  recognitions: [o IN $occupation_ids | [r IN recognitions WHERE r[0] = o | r[1]]],
  places: [area IN $vacancy_areas WHERE any(home IN homes WHERE area IN $area_places[home])]
} AS kind
RETURN kind, collect(person) AS people
"""
)

# The areas inside each of $vacancy_areas (themselves included), so that a person's
# home is checked with one step rather than a walk up the area hierarchy per person.
AREAS_WITHIN = """
UNWIND $vacancy_areas AS outer_id
MATCH (area:Area)-[:WITHIN*0..5]->(:Area {id: outer_id})
RETURN area.id AS area, collect(DISTINCT outer_id) AS places
"""

PERSON_FACTS = (
    """
UNWIND $person_ids AS person_id
MATCH (p:Person {id: person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL AND """
    + in_places("p")
    + """
RETURN p {
  .id, .stage, .right_to_work, .ielts_overall, .trained_as,
  languages: coalesce(p.languages, []),
  held: [(p)-[:HAS_SKILL]->(s:Skill) | s.id],
  related: [(p)-[:HAS_SKILL]->(:Skill)-[:BROADER]-(s:Skill) | s.id],
  recognitions: [(p)-[:HOLDS]->(:Qualification)-[q:QUALIFIES_FOR]->(o:Occupation) |
                 {occupation_id: o.id, status: q.status}],
  places: [(p)-[:LIVES_IN]->(:Area)-[:WITHIN*0..5]->(a:Area) | a.id],
  organisations: [(p)-[s:SUPPORTED_BY]->(o:CommunityOrganisation) WHERE """
    + held_on("s")
    + """ | o.id]
} AS person
"""
)

OPEN_VACANCY_IDS_FOR = (
    """
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
WHERE v.status = 'open' AND """
    + in_places("v")
    + """
RETURN v.id AS id
"""
)

GAP_PROVIDERS = (
    """
UNWIND $service_types AS service_type
MATCH (o:CommunityOrganisation)-[:OFFERS]->(s:Service {service_type: service_type})
WHERE """
    + in_places("o")
    + """
RETURN service_type, o.id AS id, o.name AS name, s.name AS service
ORDER BY service_type, o.name, o.id
"""
)
