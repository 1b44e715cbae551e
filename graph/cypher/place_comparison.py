"""What the comparison of places reads beside the funnel, the placements and brokerage
(graph/cypher/place_view.py, graph/cypher/brokerage.py): each place's people, its
employment hub and the hub's community partners.

``$places`` here are the places compared, every one of them among the caller's
(graph.services.place_comparison checks it first), and each place's figures test its
own id rather than the whole list, so no place's figures take in another's.
"""

from graph.cypher.history import held_on

# A place's hub: its employment hub (the first by id when it has several) with the
# anchor it is part of, both in the place. Its partners are the community
# organisations of the place it referred to, was referred by or partnered, by ties
# held on $as_of (as tests/loaders/test_demo_places.py counts the demo's partners).
# Its people are those in the place: what its "per 1,000 residents" is per.
PLACE_FIGURES = (
    """
UNWIND $places AS place_id
OPTIONAL MATCH (place:Place {id: place_id})
CALL (place_id) {
  OPTIONAL MATCH (hub:Department {kind: 'employment_hub'})-[:PART_OF]->(anchor:AnchorInstitution)
  WHERE place_id IN hub.place_ids AND place_id IN anchor.place_ids
  WITH hub, anchor
  ORDER BY hub.id
  LIMIT 1
  RETURN hub, anchor
}
CALL (place_id, hub) {
  OPTIONAL MATCH (hub)-[tie:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
  WHERE place_id IN o.place_ids
    AND """
    + held_on("tie")
    + """
  RETURN count(DISTINCT o) AS partners
}
CALL (place_id) {
  MATCH (p:Person)
  WHERE place_id IN p.place_ids
  RETURN count(p) AS residents
}
RETURN place_id,
       coalesce(place.name, place_id) AS name,
       hub.id AS hub_id,
       anchor.id AS anchor_id,
       CASE WHEN hub IS NULL THEN null ELSE partners END AS partners,
       residents
"""
)

# The places that exist among $places (null: every place), by id.
PLACES_KNOWN = """
MATCH (place:Place)
WHERE $places IS NULL OR place.id IN $places
RETURN place.id AS id
ORDER BY id
"""
