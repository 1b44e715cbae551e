"""Places: the node, and putting what was loaded before places existed into one.

What belongs to a place says so in its own ``place_ids`` (docs/places.md); loads
write it with the nodes (``graph.cypher.ingest_nodes``).
"""

PLACE_CONSTRAINTS = (
    "CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE",
)

ENSURE_PLACE = """
MERGE (pl:Place {id: $place_id})
ON CREATE SET pl.name = $place_name, pl.created_at = $now
RETURN pl.created_at = $now AS created
"""

# Nodes of a placed label in no place yet (element ids: read once, a migration's
# whole work), so each batch after finds its nodes by id instead of scanning again.
UNPLACED_NODES = """
MATCH (n)
WHERE (n:Person OR n:CommunityOrganisation OR n:Service OR n:AnchorInstitution
       OR n:Department OR n:Vacancy OR n:Property OR n:Area)
  AND n.place_ids IS NULL
RETURN elementId(n) AS node
"""

PUT_IN_PLACE = """
UNWIND $nodes AS node
MATCH (n)
WHERE elementId(n) = node AND n.place_ids IS NULL
SET n.place_ids = [$place_id]
RETURN count(n) AS placed
"""

# The places a caller may see ($places; null: every place), for the explorer's picker. A
# place made by a load is named after its id until a load names it, so name is never null.
VISIBLE_PLACES = """
MATCH (pl:Place)
WHERE $places IS NULL OR pl.id IN $places
RETURN pl {.id, name: coalesce(pl.name, pl.id)} AS place
ORDER BY place.name, place.id
"""
