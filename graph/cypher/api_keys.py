"""API keys for services and loaders: only a SHA-256 hash of each key is stored.

``places`` is the sorted ids of the places the key's holder may see (null: every place,
for an administrator's key; a key of another role stored before places has none either,
and ``graph.services.api_keys`` reads it as the default place)."""

CREATE_API_KEY = """
CREATE (k:ApiKey {
  id: $id,
  key_hash: $key_hash,
  name: $name,
  role: $role,
  organisation_id: $organisation_id,
  places: $places,
  created_at: datetime()
})
"""

API_KEY_BY_HASH = """
MATCH (k:ApiKey {key_hash: $key_hash})
WHERE k.revoked_at IS NULL
RETURN k {.id, .name, .role, .organisation_id, .places} AS key
"""

REVOKE_API_KEY = """
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k.id AS id
"""
