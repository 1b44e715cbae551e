"""What the place leaders' view reads: an anchor's pipeline, its placements, its
footprint and the partnership network around it.

An anchor's pipeline is the people it could recruit: trained in an occupation it
posts vacancies for, or who applied to one of them, and not taken on by another
anchor instead; anyone placed in one of its posts belongs to it whatever else.
"""

FUNNEL_PEOPLE = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
CALL (anchor) {
  OPTIONAL MATCH (anchor)-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
  RETURN collect(DISTINCT o.id) AS occupations
}
MATCH (p:Person)
WITH anchor, occupations, p,
     EXISTS { (p)-[:PLACED_IN]->(:Vacancy)<-[:POSTS]-(anchor) } AS placed_here,
     EXISTS { (p)-[:PLACED_IN]->(:Vacancy)<-[:POSTS]-(other:AnchorInstitution) WHERE other <> anchor } AS placed_elsewhere
WHERE placed_here
   OR (NOT placed_elsewhere
       AND (p.trained_as IN occupations
            OR EXISTS { (p)-[:APPLIED_TO]->(:Vacancy)<-[:POSTS]-(anchor) }))
CALL (p) {
  OPTIONAL MATCH (p)-[:LIVES_IN]->(home:Area)
  OPTIONAL MATCH (home)-[:WITHIN*0..2]->(ward:Area {kind: 'ward'})
  RETURN coalesce(ward, home) AS area
  LIMIT 1
}
OPTIONAL MATCH (occupation:Occupation {id: p.trained_as})
RETURN p.stage AS stage,
       coalesce(p.stage_names, []) AS stage_names,
       coalesce(p.stage_dates, []) AS stage_dates,
       p.trained_as AS occupation_id,
       occupation.preferred_label AS occupation_name,
       area.id AS area_id,
       area.name AS area_name
"""

# People in paid work now, through a post of this anchor; someone placed in several
# of its posts is counted once, in the first by id.
PLACEMENT_FACTS = """
MATCH (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(v:Vacancy)<-[:PLACED_IN]-(p:Person)
WHERE p.stage IN $working_stages
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(o:Occupation)
WITH p, v, o
ORDER BY v.id
WITH p, head(collect({vacancy: v.id, occupation: o})) AS post
WITH p, post.occupation AS occupation
RETURN occupation.id AS occupation_id,
       occupation.preferred_label AS occupation_name,
       count(p) AS placed,
       count(CASE WHEN 'language_training' IN coalesce(p.stage_names, []) THEN 1 END) AS language_trained
ORDER BY occupation_id
"""

ANCHOR_POSTED_SALARIES = """
MATCH (:AnchorInstitution {id: $anchor_id})-[:POSTS]->(v:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WHERE v.salary_min_gbp IS NOT NULL OR v.salary_max_gbp IS NOT NULL
RETURN o.id AS occupation_id,
       avg((coalesce(v.salary_min_gbp, v.salary_max_gbp) + coalesce(v.salary_max_gbp, v.salary_min_gbp)) / 2.0) AS salary
ORDER BY occupation_id
"""

ANCHOR_FOOTPRINT = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
OPTIONAL MATCH (anchor)-[:LOCATED_IN]->(area:Area)
OPTIONAL MATCH (anchor)-[:OWNS]->(property:Property)
WITH anchor, area, property
ORDER BY property.name
RETURN anchor {.id, .name, .sector, .employees, .annual_spend_gbp, .land_hectares, .significant_land, area_id: area.id} AS anchor,
       [x IN collect(property) | x {.id, .name, .kind, .size_sqm, .available_for_community}] AS land_holdings
"""

# Organisations that refer to or from, or partner, the anchor or one of its departments.
ANCHOR_ORGANISATION_TIES = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
CALL (anchor) {
  MATCH (anchor)-[r:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
  RETURN o, r
  UNION
  MATCH (anchor)<-[:PART_OF]-(:Department)-[r:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
  RETURN o, r
}
RETURN o.id AS organisation_id,
       min(r.since) AS first_since
ORDER BY organisation_id
"""

NETWORK_NODES = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
CALL (anchor) {
  RETURN anchor AS node, 'anchor' AS role
  UNION
  MATCH (department:Department)-[:PART_OF]->(anchor)
  RETURN department AS node, department.kind AS role
  UNION
  MATCH (organisation:CommunityOrganisation)
  RETURN organisation AS node, organisation.org_type AS role
}
RETURN labels(node)[0] AS label,
       node.id AS id,
       node.name AS name,
       role
ORDER BY label, id
"""

NETWORK_TIES = """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
OPTIONAL MATCH (department:Department)-[:PART_OF]->(anchor)
WITH anchor, collect(department) AS departments
MATCH (a)-[r:REFERS_TO|PARTNERS_WITH|PART_OF]->(b)
WHERE (a:CommunityOrganisation OR a = anchor OR a IN departments)
  AND (b:CommunityOrganisation OR b = anchor OR b IN departments)
RETURN labels(a)[0] AS from_label,
       a.id AS from_id,
       labels(b)[0] AS to_label,
       b.id AS to_id,
       type(r) AS type,
       r.strength AS strength,
       r.count AS count,
       r.since.year AS since_year
ORDER BY from_label, from_id, to_label, to_id, type
"""
