"""API keys for services and loaders: only a SHA-256 hash of each key is stored."""

CREATE_API_KEY = """
CREATE (k:ApiKey {
  id: $id,
  key_hash: $key_hash,
  name: $name,
  role: $role,
  organisation_id: $organisation_id,
  created_at: datetime()
})
"""

API_KEY_BY_HASH = """
MATCH (k:ApiKey {key_hash: $key_hash})
WHERE k.revoked_at IS NULL
RETURN k {.id, .name, .role, .organisation_id} AS key
"""

REVOKE_API_KEY = """
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k.id AS id
"""
