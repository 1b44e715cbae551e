"""What the candidate index reads: every consenting person's matching facts, the
skill taxonomy's BROADER neighbours, and the areas each area lies within.

The index is one for the whole database, shared by every caller, so these reads take
no ``$places``: each person's ``place_ids`` is one of the facts read, and a ranking is
cut down to the caller's places when it is asked (``CandidateIndex.rank``).

People come packed, 2,000 to a row: a row per person costs more in the driver than
the query does on the server.
"""

CANDIDATE_INDEX_PEOPLE = """
MATCH (p:Person)
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
WITH p, [p.id, p.stage, p.right_to_work, p.ielts_overall,
         [level IN coalesce(p.languages, []) WHERE level STARTS WITH 'en:'],
         p.trained_as,
         [(p)-[:HAS_SKILL]->(s:Skill) | s.id],
         [(p)-[:HOLDS]->(:Qualification)-[q:QUALIFIES_FOR]->(o:Occupation) | [o.id, q.status]],
         [(p)-[:LIVES_IN]->(a:Area) | a.id],
         coalesce(p.place_ids, [])] AS person
WITH collect(person) AS people
UNWIND range(0, size(people) - 1, 2000) AS start
RETURN people[start..start + 2000] AS people
"""

SKILL_NEIGHBOURS = """
MATCH (skill:Skill)-[:BROADER]-(near:Skill)
RETURN skill.id AS skill, collect(DISTINCT near.id) AS near
"""

AREAS_CONTAINING = """
MATCH (area:Area)-[:WITHIN*0..5]->(outer:Area)
RETURN area.id AS area, collect(DISTINCT outer.id) AS within
"""

# The cheapest read there is: only its bookmark matters, which names the point in
# the database's history that the read saw.
HISTORY_POINT = "RETURN 1 AS point"

# The same facts for the people named (a patch from the change journal): those who
# are not returned have left the index (consent withdrawn, erased) or never were in it.
CANDIDATE_INDEX_PEOPLE_BY_ID = """
MATCH (p:Person)
WHERE p.id IN $ids AND p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN [p.id, p.stage, p.right_to_work, p.ielts_overall,
        [level IN coalesce(p.languages, []) WHERE level STARTS WITH 'en:'],
        p.trained_as,
        [(p)-[:HAS_SKILL]->(s:Skill) | s.id],
        [(p)-[:HOLDS]->(:Qualification)-[q:QUALIFIES_FOR]->(o:Occupation) | [o.id, q.status]],
        [(p)-[:LIVES_IN]->(a:Area) | a.id],
        coalesce(p.place_ids, [])] AS person
"""

# Whose recognitions a changed qualification (or its QUALIFIES_FOR) touches.
HOLDERS_OF_QUALIFICATIONS = """
MATCH (p:Person)-[:HOLDS]->(q:Qualification)
WHERE q.id IN $ids
RETURN collect(DISTINCT p.id) AS people
"""
