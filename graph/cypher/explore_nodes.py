"""Nodes by external id, one query a label, each row shaped as the label's model.

Every query takes ``$ids`` and returns one ``node`` map per id that exists;
a query of a placed label also takes ``$places`` and finds only the nodes in them
(graph/cypher/scope.py), so a node of another place reads as no node at all. Link
fields (ids) are not scoped here: each names a node read in turn by its label's query,
which is. Link fields (``area_id``, ``anchor_id``...) are filled from the relationships
the loaders write, so a row validates as the model it came from.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# People who have not consented, or have withdrawn consent, are never read
# individually: the filter sits here so that no caller can forget it.
PEOPLE_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Person {id: id})
WHERE n.consent_given_at IS NOT NULL
  AND n.consent_withdrawn_at IS NULL
  AND """
    + in_places("n")
    + """
RETURN n {
  .id,
  .right_to_work,
  .trained_as,
  .ielts_overall,
  .ielts_listening,
  .ielts_reading,
  .ielts_writing,
  .ielts_speaking,
  .ielts_date,
  .stage,
  .consent_scopes,
  .consent_given_at,
  .consent_withdrawn_at,
  languages: [code IN coalesce(n.languages, []) | {language: split(code, ':')[0], cefr: split(code, ':')[1]}],
  stage_history: [i IN range(0, size(coalesce(n.stage_names, [])) - 1) | [n.stage_names[i], n.stage_dates[i]]],
  home_area_id: head([(n)-[:LIVES_IN]->(a:Area) | a.id])
} AS node
"""
)

SKILLS_BY_IDS = """
UNWIND $ids AS id
MATCH (n:Skill {id: id})
RETURN n {
  .id,
  .uri,
  .preferred_label,
  .alt_labels,
  .skill_type,
  .reuse_level,
  .description,
  .invented
} AS node
"""

OCCUPATIONS_BY_IDS = """
UNWIND $ids AS id
MATCH (n:Occupation {id: id})
RETURN n {
  .id,
  .uri,
  .preferred_label,
  .alt_labels,
  .isco_group,
  .code,
  .regulated,
  .regulator,
  .description,
  .invented
} AS node
"""

QUALIFICATIONS_BY_IDS = """
UNWIND $ids AS id
MATCH (n:Qualification {id: id})
OPTIONAL MATCH (n)-[r:QUALIFIES_FOR]->(o:Occupation)
WITH n, head(collect({occupation_id: o.id, recognition: r.status})) AS link
RETURN n {
  .id,
  .title,
  .awarding_country,
  .level,
  occupation_id: link.occupation_id,
  recognition: link.recognition
} AS node
"""

ORGANISATIONS_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:CommunityOrganisation {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .org_type,
  .description,
  .founded_year,
  .website,
  .email,
  area_id: head([(n)-[:LOCATED_IN]->(a:Area) | a.id])
} AS node
"""
)

SERVICES_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Service {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .service_type,
  .description,
  organisation_id: head([(o:CommunityOrganisation)-[:OFFERS]->(n) | o.id])
} AS node
"""
)

ANCHORS_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:AnchorInstitution {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .sector,
  .employees,
  .annual_spend_gbp,
  .land_hectares,
  .significant_land,
  area_id: head([(n)-[:LOCATED_IN]->(a:Area) | a.id])
} AS node
"""
)

DEPARTMENTS_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Department {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .kind,
  anchor_id: head([(n)-[:PART_OF]->(a:AnchorInstitution) | a.id]),
  area_id: head([(n)-[:LOCATED_IN]->(a:Area) | a.id])
} AS node
"""
)

VACANCIES_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Vacancy {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .title,
  .qualification_required,
  .registration_required,
  .min_ielts,
  .min_cefr,
  .salary_band,
  .salary_min_gbp,
  .salary_max_gbp,
  .opens,
  .closes,
  .shortage,
  .status,
  anchor_id: head([(a:AnchorInstitution)-[:POSTS]->(n) | a.id]),
  occupation_id: head([(n)-[:FOR_OCCUPATION]->(o:Occupation) | o.id]),
  essential_skill_ids: COLLECT {
    MATCH (n)-[r:REQUIRES]->(s:Skill)
    WHERE r.essential
    RETURN s.id ORDER BY s.id
  },
  optional_skill_ids: COLLECT {
    MATCH (n)-[r:REQUIRES]->(s:Skill)
    WHERE NOT coalesce(r.essential, false)
    RETURN s.id ORDER BY s.id
  },
  area_id: head([(n)-[:LOCATED_IN]->(a:Area) | a.id])
} AS node
"""
)

# The owner is the one of $as_of (graph/cypher/history.py): a property sold keeps its
# former owners as ended ties.
PROPERTIES_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Property {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .kind,
  .use,
  .size_sqm,
  .available_for_community,
  .latitude,
  .longitude,
  owner_id: head([(o)-[owns:OWNS]->(n)
                  WHERE (o:AnchorInstitution OR o:CommunityOrganisation) AND """
    + held_on("owns")
    + """ | o.id]),
  area_id: head([(n)-[:LOCATED_IN]->(a:Area) | a.id])
} AS node
"""
)

AREAS_BY_IDS = (
    """
UNWIND $ids AS id
MATCH (n:Area {id: id})
WHERE """
    + in_places("n")
    + """
RETURN n {
  .id,
  .name,
  .kind,
  parent_id: head([(n)-[:WITHIN]->(p:Area) | p.id])
} AS node
"""
)
