"""Which of a batch's ids already exist, one query a label (labels are not parameters);
of a placed label, in ``$places`` (graph/cypher/scope.py; null: every place, as a load
asks)."""

from graph.cypher.scope import in_places

EXISTING_PERSON_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Person {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_SKILL_IDS = """
UNWIND $ids AS id
MATCH (n:Skill {id: id})
RETURN n.id AS id
"""

EXISTING_OCCUPATION_IDS = """
UNWIND $ids AS id
MATCH (n:Occupation {id: id})
RETURN n.id AS id
"""

EXISTING_QUALIFICATION_IDS = """
UNWIND $ids AS id
MATCH (n:Qualification {id: id})
RETURN n.id AS id
"""

EXISTING_ORGANISATION_IDS = (
    """
UNWIND $ids AS id
MATCH (n:CommunityOrganisation {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_SERVICE_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Service {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_ANCHOR_IDS = (
    """
UNWIND $ids AS id
MATCH (n:AnchorInstitution {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_DEPARTMENT_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Department {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_VACANCY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Vacancy {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_PROPERTY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Property {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

EXISTING_AREA_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Area {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)

COUNT_NODES_BY_LABEL = """
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
"""

COUNT_RELATIONSHIPS_BY_TYPE = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
"""

CONSENTED_PERSON_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Person {id: id})
WHERE n.consent_given_at IS NOT NULL AND n.consent_withdrawn_at IS NULL
  AND """
    + in_places("n")
    + """
RETURN n.id AS id
"""
)
