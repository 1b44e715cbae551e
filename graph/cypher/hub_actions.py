"""What an employment hub does daily: referrals, stage moves, vacancies.

Every write here runs inside a transaction that also checks the caller's right
to it and appends its audit event, so a check, a change and its record are one.

The nodes a write acts on are read within the caller's places (``$places``, null for
every place): a node only in a place they may not see is answered as an unknown id
and is never written (docs/places.md, "The hub's writes").
"""

from graph.cypher.scope import in_places

# The caller's organisation as the employment hub of an anchor: the one place
# that decides which anchor a caseworker may open vacancies for.
# An anchor the caller may not see is no anchor of theirs, so a referral to it or a
# vacancy of it is refused as one to an anchor of no hub of theirs.
HUB_OF = (
    """
OPTIONAL MATCH (hub:Department {id: $organisation_id})-[:PART_OF]->(anchor:AnchorInstitution)
WHERE hub.kind = 'employment_hub' AND """
    + in_places("anchor")
    + """
RETURN anchor.id AS anchor_id
"""
)

# Writing to the vacancy takes its lock before its anchor is read, so nothing
# can move it to another anchor between the check and the write. MERGE under the
# uniqueness constraint makes two openings of one new id queue rather than race;
# a refused opening rolls the new node back. ``in_scope`` and ``places`` (the
# vacancy's places the caller may see) let the service answer a vacancy of another
# place as an unknown one before anything of it is read or kept.
LOCK_VACANCY = (
    """
MERGE (v:Vacancy {id: $vacancy_id})
ON CREATE SET v.locked = 'created'
ON MATCH SET v.locked = 'existing'
RETURN v.locked = 'existing' AS existed,
       coalesce("""
    + in_places("v")
    + """, false) AS in_scope,
       [place IN coalesce(v.place_ids, []) WHERE $places IS NULL OR place IN $places]
         AS places,
       head([(a:AnchorInstitution)-[:POSTS]->(v) | a.id]) AS anchor_id
"""
)

# The places a new vacancy joins: its anchor's that the caller may see (none when the
# anchor lies only in other places, which the service answers as an unknown anchor).
ANCHOR_PLACES = (
    """
MATCH (a:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("a")
    + """
RETURN [place IN coalesce(a.place_ids, []) WHERE $places IS NULL OR place IN $places]
         AS places
"""
)

# Written after the vacancy was merged into the first of them: a vacancy of an anchor
# of two places opened by a caller of both is in both.
SET_VACANCY_PLACES = """
MATCH (v:Vacancy {id: $vacancy_id})
SET v.place_ids = $place_ids
"""

RELEASE_VACANCY = """
MATCH (v:Vacancy {id: $vacancy_id})
REMOVE v.locked
"""

CLOSE_VACANCY = """
MATCH (v:Vacancy {id: $vacancy_id})
SET v.status = $status,
    v.closes = coalesce(v.closes, $on)
REMOVE v.locked
RETURN v.id AS id
"""

# The service passes a strength only from a loader or an administrator, so a
# caseworker's referral counts without touching the tie's trust. A referral
# recorded late (an earlier day) keeps the latest day as the last referral.
# Whether the tie is new and what its trust was are read before the write: the
# journal says which the referral moved (a tie, or only a count and a date). A
# referral counts on the tie's open period (no ``until``); on a tie that has ended it
# starts a new period (docs/places.md).
RECORD_REFERRAL = (
    """
MATCH (a:CommunityOrganisation|Department {id: $from_id})
WHERE $from_label IN labels(a) AND """
    + in_places("a")
    + """
MATCH (b:CommunityOrganisation|Department|AnchorInstitution {id: $to_id})
WHERE $to_label IN labels(b) AND """
    + in_places("b")
    + """
WITH a, b, head(COLLECT {
  MATCH (a)-[open:REFERS_TO]->(b)
  WHERE open.until IS NULL
  RETURN open
}) AS found
WITH a, b, found,
     found IS NULL AS created,
     [x IN [found] WHERE x IS NOT NULL | x.strength] AS strengths_before
OPTIONAL CALL (a, b, found) {
  WITH a, b
  WHERE found IS NULL
  CREATE (a)-[made:REFERS_TO]->(b)
  SET made.since = $on, made.count = 0, made.source = 'assetbridge'
  RETURN made
}
WITH coalesce(found, made) AS r, created, strengths_before
SET r.count = coalesce(r.count, 0) + 1,
    r.last_referral_on = CASE
      WHEN r.last_referral_on IS NULL OR r.last_referral_on < $on THEN $on
      ELSE r.last_referral_on
    END,
    r.strength = coalesce($strength, r.strength)
RETURN r.count AS count, r.since AS since, r.strength AS strength,
       created, strengths_before
"""
)

# The person is locked (written to) before their consent and last stage are read,
# so a withdrawal or another move cannot slip between the check and the move.
LOCK_PERSON_FOR_STAGE = (
    """
MATCH (p:Person {id: $person_id})
WHERE """
    + in_places("p")
    + """
SET p.locked = true
RETURN p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL AS consented,
       last(coalesce(p.stage_dates, [])) AS last_on,
       coalesce(p.consent_scopes, []) AS scopes
"""
)

MOVE_PERSON_STAGE = """
MATCH (p:Person {id: $person_id})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
SET p.stage = $stage,
    p.stage_names = coalesce(p.stage_names, []) + $stage,
    p.stage_dates = coalesce(p.stage_dates, []) + $on,
    p.stage_moved_at = datetime()
REMOVE p.locked
RETURN p.id AS id
"""
