"""What the place leaders' view reads: an anchor's pipeline, its placements, its
footprint and the partnership network around it.

An anchor's pipeline is the people it could recruit: trained in an occupation it
posts vacancies for, or who applied to one of them, and not taken on by another
anchor instead; anyone placed in one of its posts belongs to it whatever else.

The footprint and the partnership network read the ties (and land) that held on
``$as_of`` (graph/cypher/history.py).
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# The anchor's pipeline as stage paths: a row for the people of a group who stand
# at the same stage and whose histories name the same stages, with each one's days
# counted from $epoch. Names sent once a path and days as whole numbers keep a
# pipeline of 100,000 people to a few hundred small rows; dates would become
# Python objects one by one on the way in.
# Candidates are the anchor's occupations' people (an index seek), its applicants
# and everyone placed in an anchor's post; each one's strongest tie decides: placed
# here (2), taken on by another anchor instead (1), trained or applied (0). Homes
# join in the same pass from the areas' side, cheaper than reading every person's
# relationships for their LIVES_IN.
# $group_by: 'occupation' (trained in), 'area' (the ward of the home area, or the
# home area itself when it lies in no ward), or null.
# ids: with $with_ids, the people of the row in the order of their days, for
# graph.services.funnel_rows, which keeps each one's row and patches it when the journal
# names them; else none (reading them costs a whole read about a third more).
# Places: the anchor and the people counted are those in $places (graph/cypher/scope.py);
# each row names its people's place_ids, so rows read once with every place (null) can
# be cut to a caller's places afterwards, as the followed funnels do.
FUNNEL_STAGE_PATHS = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
CALL (anchor) {
  OPTIONAL MATCH (anchor)-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
  RETURN collect(DISTINCT o.id) AS occupations
}
CALL (anchor, occupations) {
  UNWIND occupations AS occupation
  MATCH (p:Person {trained_as: occupation})
  RETURN p, 0 AS tie, null AS home
  UNION ALL
  MATCH (anchor)-[:POSTS]->(:Vacancy)<-[:APPLIED_TO]-(p:Person)
  RETURN p, 0 AS tie, null AS home
  UNION ALL
  MATCH (other:AnchorInstitution)-[:POSTS]->(:Vacancy)<-[:PLACED_IN]-(p:Person)
  WHERE other <> anchor
  RETURN p, 1 AS tie, null AS home
  UNION ALL
  MATCH (anchor)-[:POSTS]->(:Vacancy)<-[:PLACED_IN]-(p:Person)
  RETURN p, 2 AS tie, null AS home
  UNION ALL
  MATCH (home:Area)<-[:LIVES_IN]-(p:Person)
  WHERE $group_by = 'area'
  RETURN p, -1 AS tie, home
}
WITH p, max(tie) AS tie, head(collect(home)) AS home
WHERE (tie = 0 OR tie = 2)
  AND """
    + in_places("p")
    + """
WITH p, home,
     CASE $group_by WHEN 'occupation' THEN p.trained_as END AS occupation_id,
     coalesce(p.stage_dates, []) AS dates
WITH occupation_id, home, p.stage AS stage, coalesce(p.stage_names, []) AS stage_names,
     coalesce(p.place_ids, []) AS place_ids,
     collect(CASE WHEN dates IS :: LIST<DATE NOT NULL> THEN [d IN dates | duration.inDays($epoch, d).days] ELSE [] END) AS days,
     collect(CASE WHEN $with_ids THEN p.id END) AS ids
OPTIONAL MATCH (occupation:Occupation {id: occupation_id})
WITH occupation_id, occupation, stage, stage_names, place_ids, days, ids,
     coalesce(head([(home)-[:WITHIN*0..2]->(ward:Area {kind: 'ward'}) | ward]), home) AS area
RETURN CASE $group_by WHEN 'occupation' THEN occupation_id WHEN 'area' THEN area.id END AS group_id,
       CASE $group_by WHEN 'occupation' THEN occupation.preferred_label WHEN 'area' THEN area.name END AS group_name,
       stage,
       stage_names,
       place_ids,
       days,
       ids
"""
)

# The rows of FUNNEL_STAGE_PATHS person by person, for the people $ids only (an index
# seek each): who of them is in the anchor's pipeline now, by the same ties, and their
# group, stage and days, each worked out as that query works it out. One of $ids who
# is not in the pipeline (or no longer exists) gives no row.
FUNNEL_PEOPLE_ROWS = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
CALL (anchor) {
  OPTIONAL MATCH (anchor)-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
  RETURN collect(DISTINCT o.id) AS occupations
}
UNWIND $ids AS id
MATCH (p:Person {id: id})
WITH p,
     CASE
       WHEN EXISTS { (anchor)-[:POSTS]->(:Vacancy)<-[:PLACED_IN]-(p) } THEN 2
       WHEN EXISTS { (other:AnchorInstitution)-[:POSTS]->(:Vacancy)<-[:PLACED_IN]-(p) WHERE other <> anchor } THEN 1
       WHEN p.trained_as IN occupations THEN 0
       WHEN EXISTS { (anchor)-[:POSTS]->(:Vacancy)<-[:APPLIED_TO]-(p) } THEN 0
     END AS tie
WHERE (tie = 0 OR tie = 2)
  AND """
    + in_places("p")
    + """
OPTIONAL MATCH (p)-[:LIVES_IN]->(home:Area)
WHERE $group_by = 'area'
WITH p, head(collect(home)) AS home
WITH p, home,
     CASE $group_by WHEN 'occupation' THEN p.trained_as END AS occupation_id,
     coalesce(p.stage_dates, []) AS dates
OPTIONAL MATCH (occupation:Occupation {id: occupation_id})
WITH p, occupation_id, occupation, dates,
     coalesce(head([(home)-[:WITHIN*0..2]->(ward:Area {kind: 'ward'}) | ward]), home) AS area
RETURN p.id AS id,
       CASE $group_by WHEN 'occupation' THEN occupation_id WHEN 'area' THEN area.id END AS group_id,
       CASE $group_by WHEN 'occupation' THEN occupation.preferred_label WHEN 'area' THEN area.name END AS group_name,
       p.stage AS stage,
       coalesce(p.stage_names, []) AS stage_names,
       coalesce(p.place_ids, []) AS place_ids,
       CASE WHEN dates IS :: LIST<DATE NOT NULL> THEN [d IN dates | duration.inDays($epoch, d).days] ELSE [] END AS days
"""
)

# People of $places in paid work now, through a post of this anchor; someone placed in
# several of its posts is counted once, in the first by id. With $as_of (a past day;
# null: now) a person counts when the last step of their stage history dated by then
# (the later of two on one day) is paid work, and their language training is a step
# by then; the post they hold is today's PLACED_IN, which keeps no history.
PLACEMENT_FACTS = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})-[:POSTS]->(v:Vacancy)<-[:PLACED_IN]-(p:Person)
WHERE """
    + in_places("anchor")
    + " AND "
    + in_places("p")
    + """
WITH p, v,
     CASE WHEN $as_of IS NOT NULL
       THEN [i IN range(0, size(coalesce(p.stage_dates, [])) - 1) WHERE p.stage_dates[i] <= $as_of]
     END AS steps
WITH p, v, steps,
     reduce(last = -1, i IN coalesce(steps, []) |
       CASE WHEN last < 0 OR p.stage_dates[i] >= p.stage_dates[last] THEN i ELSE last END) AS last
WITH p, v,
     CASE WHEN steps IS NULL THEN p.stage WHEN last >= 0 THEN p.stage_names[last] END AS stage,
     CASE WHEN steps IS NULL THEN coalesce(p.stage_names, [])
       ELSE [i IN steps | p.stage_names[i]] END AS stage_names
WHERE stage IN $working_stages
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(o:Occupation)
WITH p, v, o, stage_names
ORDER BY v.id
WITH p, stage_names, head(collect({vacancy: v.id, occupation: o})) AS post
WITH p, stage_names, post.occupation AS occupation
RETURN occupation.id AS occupation_id,
       occupation.preferred_label AS occupation_name,
       count(p) AS placed,
       count(CASE WHEN 'language_training' IN stage_names THEN 1 END) AS language_trained
ORDER BY occupation_id
"""
)

# The pay of the anchor's vacancies in $places: another place's posts are not this
# place's to average.
ANCHOR_POSTED_SALARIES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})-[:POSTS]->(v:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WHERE (v.salary_min_gbp IS NOT NULL OR v.salary_max_gbp IS NOT NULL)
  AND """
    + in_places("anchor")
    + " AND "
    + in_places("v")
    + """
RETURN o.id AS occupation_id,
       avg((coalesce(v.salary_min_gbp, v.salary_max_gbp) + coalesce(v.salary_max_gbp, v.salary_min_gbp)) / 2.0) AS salary
ORDER BY occupation_id
"""
)

# The anchor's places, when it is in $places: the followed funnels read an anchor's
# pipeline once for every place and keep this to answer each caller as an unknown id
# when the anchor lies outside their places.
ANCHOR_PLACES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
RETURN coalesce(anchor.place_ids, []) AS place_ids
"""
)

ANCHOR_FOOTPRINT = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
OPTIONAL MATCH (anchor)-[:LOCATED_IN]->(area:Area)
WHERE """
    + in_places("area")
    + """
OPTIONAL MATCH (anchor)-[owns:OWNS]->(property:Property)
WHERE """
    + held_on("owns")
    + " AND "
    + in_places("property")
    + """
WITH anchor, area, property
ORDER BY property.name
RETURN anchor {.id, .name, .sector, .employees, .annual_spend_gbp, .land_hectares, .significant_land, area_id: area.id} AS anchor,
       [x IN collect(property) | x {.id, .name, .kind, .size_sqm, .available_for_community}] AS land_holdings
"""
)

# Organisations that refer to or from, or partner, the anchor or one of its departments;
# like the footprint's anchor, area and land, only those in $places (graph/cypher/scope.py).
ANCHOR_ORGANISATION_TIES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
CALL (anchor) {
  MATCH (anchor)-[r:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
  WHERE """
    + held_on("r")
    + " AND "
    + in_places("o")
    + """
  RETURN o, r
  UNION
  MATCH (anchor)<-[:PART_OF]-(d:Department)-[r:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
  WHERE """
    + held_on("r")
    + " AND "
    + in_places("d")
    + " AND "
    + in_places("o")
    + """
  RETURN o, r
}
RETURN o.id AS organisation_id,
       min(r.since) AS first_since
ORDER BY organisation_id
"""
)

# The anchor, its departments and organisations in $places (graph/cypher/scope.py): an
# anchor outside them reads as none, so the caller is told it is unknown.
NETWORK_NODES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
WHERE """
    + in_places("anchor")
    + """
CALL (anchor) {
  RETURN anchor AS node, 'anchor' AS role
  UNION
  MATCH (department:Department)-[:PART_OF]->(anchor)
  WHERE """
    + in_places("department")
    + """
  RETURN department AS node, department.kind AS role
  UNION
  MATCH (organisation:CommunityOrganisation)
  WHERE """
    + in_places("organisation")
    + """
  RETURN organisation AS node, organisation.org_type AS role
}
RETURN labels(node)[0] AS label,
       node.id AS id,
       node.name AS name,
       role
ORDER BY label, id
"""
)

NETWORK_TIES = (
    """
MATCH (anchor:AnchorInstitution {id: $anchor_id})
OPTIONAL MATCH (department:Department)-[:PART_OF]->(anchor)
WITH anchor, collect(department) AS departments
MATCH (a)-[r:REFERS_TO|PARTNERS_WITH|PART_OF]->(b)
WHERE (a:CommunityOrganisation OR a = anchor OR a IN departments)
  AND (b:CommunityOrganisation OR b = anchor OR b IN departments)
  AND """
    + held_on("r")
    + " AND "
    + in_places("a")
    + " AND "
    + in_places("b")
    + """
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
)
