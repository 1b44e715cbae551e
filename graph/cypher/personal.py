"""Personal records, read only through the consent rule.

``$everyone`` is true for an administrator only; otherwise a record is returned
only where the person's consent includes ``$scope`` (``share:<organisation id>``).
"""

PERSONAL_RECORDS = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord)
WHERE p.consent_given_at IS NOT NULL
  AND p.consent_withdrawn_at IS NULL
  AND ($everyone OR $scope IN coalesce(p.consent_scopes, []))
RETURN r {
  .name, .email, .phone, .date_of_birth, .nationality, .immigration_status, .address, .postcode,
  person_id: p.id
} AS record
"""
