"""Relationships from a batch of nodes: one row per ``$ids`` entry, in any order.

Each query answers for every id it is given, with an empty list (or zero)
where the node has no such relationship, so a loader never waits on a
missing row. Neighbours come back as ids; their nodes are read by label.
Ties that keep history are those that held on ``$as_of`` (graph/cypher/history.py);
the other queries take the parameter and leave it be. A neighbour of a placed label is
listed only when it lies in ``$places`` (graph/cypher/scope.py): a node in two places
shows a caller of either only what lies in the caller's places. The vocabulary's
queries take the parameter and leave it be.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

PERSON_SKILL_IDS = """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Person {id: id})-[:HAS_SKILL]->(s:Skill)
  RETURN s.id ORDER BY s.preferred_label, s.id
} AS ids
"""

PERSON_SUPPORTERS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Person {id: id})-[r:SUPPORTED_BY]->(o:CommunityOrganisation)
  WHERE """
    + held_on("r")
    + " AND "
    + in_places("o")
    + """
  WITH o, r
  ORDER BY coalesce(r.strength, -1.0) DESC, o.id
  RETURN {organisation_id: o.id, strength: r.strength, since: r.since}
} AS links
"""
)

SKILL_BROADER_IDS = """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Skill {id: id})-[:BROADER]->(b:Skill)
  RETURN b.id ORDER BY b.preferred_label, b.id
} AS ids
"""

SKILL_NARROWER_IDS = """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Skill {id: id})<-[:BROADER]-(n:Skill)
  RETURN n.id ORDER BY n.preferred_label, n.id
} AS ids
"""

OCCUPATION_SKILLS = """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Occupation {id: id})-[r:REQUIRES]->(s:Skill)
  WITH s, coalesce(r.essential, false) AS essential
  ORDER BY essential DESC, s.preferred_label, s.id
  RETURN {skill_id: s.id, essential: essential}
} AS links
"""

OCCUPATION_QUALIFICATION_IDS = """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Occupation {id: id})<-[:QUALIFIES_FOR]-(q:Qualification)
  RETURN q.id ORDER BY q.title, q.id
} AS ids
"""

ORGANISATION_SERVICE_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:CommunityOrganisation {id: id})-[:OFFERS]->(s:Service)
  WHERE """
    + in_places("s")
    + """
  RETURN s.id ORDER BY s.name, s.id
} AS ids
"""
)

ORGANISATION_PROPERTY_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:CommunityOrganisation {id: id})-[owns:OWNS]->(p:Property)
  WHERE """
    + held_on("owns")
    + " AND "
    + in_places("p")
    + """
  RETURN p.id ORDER BY p.name, p.id
} AS ids
"""
)

ORGANISATION_REFERRALS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:CommunityOrganisation {id: id})-[r:REFERS_TO]->(t)
  WHERE (t:CommunityOrganisation OR t:Department OR t:AnchorInstitution)
    AND """
    + held_on("r")
    + " AND "
    + in_places("t")
    + """
  WITH t, r
  ORDER BY coalesce(r.count, 0) DESC, t.id
  RETURN {
    kind: CASE
      WHEN t:CommunityOrganisation THEN 'CommunityOrganisation'
      WHEN t:Department THEN 'Department'
      ELSE 'AnchorInstitution'
    END,
    id: t.id,
    strength: r.strength,
    count: r.count,
    since: r.since
  }
} AS links
"""
)

# Partnership is mutual whichever way the source recorded it, so both
# directions count; a pair recorded twice appears once.
ORGANISATION_PARTNERS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:CommunityOrganisation {id: id})-[r:PARTNERS_WITH]-(t)
  WHERE (t:CommunityOrganisation OR t:Department OR t:AnchorInstitution)
    AND """
    + held_on("r")
    + " AND "
    + in_places("t")
    + """
  WITH t, collect(r)[0] AS r
  ORDER BY t.id
  RETURN {
    kind: CASE
      WHEN t:CommunityOrganisation THEN 'CommunityOrganisation'
      WHEN t:Department THEN 'Department'
      ELSE 'AnchorInstitution'
    END,
    id: t.id,
    strength: r.strength,
    count: r.count,
    since: r.since
  }
} AS links
"""
)

# Everyone supported is counted, consenting or not: a count names nobody.
# Counted as every tie's being there (the node's degree, kept by the store: no tie
# read) less the ties that did not hold on $as_of, found through the since and until
# indexes (migration 0011): few, where reading each tie to test its dates cost 7 times
# as much for a page of 20 organisations at 100,000 people. Every SUPPORTED_BY runs
# from a person (graph/cypher/ingest_edges.py, ingest_links.py). That form counts the
# people of every place the organisation is in, so it serves only a caller who sees
# them all (`whole`); for one who does not (an organisation in two places asked
# about by a caller of one) the ties are read and dated and only people in $places
# counted, the slower walk paid only by such organisations.
ORGANISATION_PEOPLE_COUNTS = (
    """
CALL () {
  MATCH ()-[s:SUPPORTED_BY]->(o:CommunityOrganisation)
  WHERE s.until <= $as_of AND o.id IN $ids AND NOT """
    + held_on("s")
    + """
  RETURN o, s
  UNION
  MATCH ()-[s:SUPPORTED_BY]->(o:CommunityOrganisation)
  WHERE s.since > $as_of AND o.id IN $ids AND NOT """
    + held_on("s")
    + """
  RETURN o, s
}
WITH o, count(s) AS ended
WITH collect([o.id, ended]) AS not_held
UNWIND $ids AS id
OPTIONAL MATCH (o:CommunityOrganisation {id: id})
WITH id, o, not_held,
     $places IS NULL
     OR (o.place_ids IS NOT NULL AND all(place IN o.place_ids WHERE place IN $places)) AS whole
CALL (o, whole) {
  MATCH (o)<-[s:SUPPORTED_BY]-(p:Person)
  WHERE NOT whole
    AND """
    + held_on("s")
    + " AND "
    + in_places("p")
    + """
  RETURN count(s) AS in_places
}
RETURN id, CASE
  WHEN whole THEN COUNT { (o)<-[:SUPPORTED_BY]-() }
                  - coalesce(head([pair IN not_held WHERE pair[0] = id | pair[1]]), 0)
  ELSE in_places
END AS count
"""
)

ANCHOR_VACANCY_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:AnchorInstitution {id: id})-[:POSTS]->(v:Vacancy)
  WHERE """
    + in_places("v")
    + """
  RETURN v.id ORDER BY v.title, v.id
} AS ids
"""
)

ANCHOR_DEPARTMENT_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:AnchorInstitution {id: id})<-[:PART_OF]-(d:Department)
  WHERE """
    + in_places("d")
    + """
  RETURN d.id ORDER BY d.name, d.id
} AS ids
"""
)

ANCHOR_PROPERTY_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:AnchorInstitution {id: id})-[owns:OWNS]->(p:Property)
  WHERE """
    + held_on("owns")
    + " AND "
    + in_places("p")
    + """
  RETURN p.id ORDER BY p.name, p.id
} AS ids
"""
)

PROPERTY_OWNERS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (o)-[owns:OWNS]->(:Property {id: id})
  WHERE (o:AnchorInstitution OR o:CommunityOrganisation)
    AND """
    + held_on("owns")
    + " AND "
    + in_places("o")
    + """
  WITH o
  ORDER BY o.id
  RETURN {
    kind: CASE WHEN o:AnchorInstitution THEN 'AnchorInstitution' ELSE 'CommunityOrganisation' END,
    id: o.id
  }
} AS links
"""
)

AREA_CHILD_IDS = (
    """
UNWIND $ids AS id
RETURN id, COLLECT {
  MATCH (:Area {id: id})<-[:WITHIN]-(c:Area)
  WHERE """
    + in_places("c")
    + """
  RETURN c.id ORDER BY c.name, c.id
} AS ids
"""
)
