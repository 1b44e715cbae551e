"""API settings (``ASSETBRIDGE_API_*``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ApiSettings", "get_api_settings"]


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_API_", env_file=".env", extra="ignore"
    )

    host: str = "127.0.0.1"
    port: int = 8000
    environment: Literal["development", "production"] = "development"
    # Keep every consenting person's matching facts in memory, read again after
    # each change to the graph (see graph/services/candidate_index.py).
    candidate_index: bool = True
    # Keep the heavy aggregate answers (brokerage gaps, funnel, impact, footprint,
    # partnership network, centrality, brokerage roles), each given again while none
    # of the facts it read has changed (see graph/services/kept_answers.py).
    kept_answers: bool = True
    # How often the candidate index and kept answers catch up with the change journal
    # between questions (graph/services/following.py); 0: only when a question asks.
    follow_interval_s: float = Field(0.25, ge=0, le=60)

    @property
    def graphiql(self) -> bool:
        return self.environment == "development"


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    return ApiSettings()
