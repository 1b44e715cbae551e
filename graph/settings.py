"""Connection settings for Neo4j, read from the environment (``NEO4J_*``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Neo4jSettings", "PlaceSettings", "get_neo4j_settings", "get_place_settings"]

# A place's id: short, stable, safe in a URL and a file name.
PLACE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Neo4jSettings(BaseSettings):
    """Where the graph lives. ``neo4j://`` URIs route, so a cluster or Aura works unchanged."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", env_file=".env", extra="ignore")

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: SecretStr = SecretStr("assetbridge-dev")
    database: str = "neo4j"
    connection_timeout_s: float = 5.0
    acquisition_timeout_s: float = 10.0
    max_pool_size: int = 50
    # How long a transaction that failed for a transient reason (Neo4j restarting, a
    # leader election) is retried before the error reaches the caller.
    max_transaction_retry_time_s: float = 30.0

    @field_validator("uri")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if "://" not in value or scheme not in _SCHEMES:
            raise ValueError(f"NEO4J_URI must start with one of {', '.join(_SCHEMES)}://")
        return value


@lru_cache(maxsize=1)
def get_neo4j_settings() -> Neo4jSettings:
    """The process's settings, built on first use rather than at import."""
    return Neo4jSettings()


class PlaceSettings(BaseSettings):
    """The place a load puts what it writes in when it names none, and into which
    migration 0010 puts everything loaded before places existed (docs/places.md)."""

    model_config = SettingsConfigDict(env_prefix="ASSETBRIDGE_", env_file=".env", extra="ignore")

    default_place_id: str = Field("home", min_length=1, max_length=64, pattern=PLACE_ID_PATTERN)
    default_place_name: str = Field("Home place", min_length=1, max_length=200)


@lru_cache(maxsize=1)
def get_place_settings() -> PlaceSettings:
    return PlaceSettings()
