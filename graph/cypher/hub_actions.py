"""What an employment hub does daily: referrals, stage moves, vacancies."""

RECORD_REFERRAL = """
MATCH (a:CommunityOrganisation|Department {id: $from_id})
WHERE $from_label IN labels(a)
MATCH (b:CommunityOrganisation|Department|AnchorInstitution {id: $to_id})
WHERE $to_label IN labels(b)
MERGE (a)-[r:REFERS_TO]->(b)
ON CREATE SET r.since = $on, r.count = 0, r.source = 'assetbridge'
SET r.count = coalesce(r.count, 0) + 1,
    r.last_referral_on = $on,
    r.strength = coalesce($strength, r.strength)
RETURN r.count AS count, r.since AS since, r.strength AS strength
"""

MOVE_PERSON_STAGE = """
MATCH (p:Person {id: $person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
SET p.stage = $stage,
    p.stage_names = coalesce(p.stage_names, []) + $stage,
    p.stage_dates = coalesce(p.stage_dates, []) + $on
RETURN p.id AS id
"""

LAST_STAGE_DATE = """
MATCH (p:Person {id: $person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p.stage AS stage,
       last(coalesce(p.stage_dates, [])) AS last_on,
       coalesce(p.consent_scopes, []) AS scopes
"""

CLOSE_VACANCY = """
MATCH (v:Vacancy {id: $vacancy_id})
SET v.status = $status,
    v.closes = coalesce(v.closes, $on)
RETURN v.id AS id
"""
