"""What the pathway question reads beside matching's facts and the referral network."""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# A person a caseworker may ask a pathway for: consenting now, and one of their
# organisation's own people: supported by it, sharing consent with it (``$scope``,
# ``share:<organisation id>``), or, for an employment hub's caseworker, sharing with the
# hub. ``$everyone`` (an administrator) needs consent only. Support that has ended
# ($as_of: today) makes no one the organisation's, and a person outside ``$places``
# is no one's to ask about (graph/cypher/scope.py).
PERSON_IN_CASEWORK_SCOPE = (
    """
MATCH (p:Person {id: $person_id})
WHERE p.consent_given_at IS NOT NULL
  AND p.consent_withdrawn_at IS NULL
  AND """
    + in_places("p")
    + """
  AND ($everyone
       OR EXISTS { (p)-[s:SUPPORTED_BY]->(:CommunityOrganisation {id: $organisation_id})
                   WHERE """
    + held_on("s")
    + """ }
       OR $scope IN coalesce(p.consent_scopes, [])
       OR ('share_with_hub' IN coalesce(p.consent_scopes, [])
           AND EXISTS { (:Department {id: $organisation_id, kind: 'employment_hub'}) }))
RETURN p.id AS id
"""
)
