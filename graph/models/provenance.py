"""Where a node or relationship came from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Provenance"]


class Provenance(BaseModel):
    """Stamped on everything a load writes: which source, when, by which loader version."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(min_length=1, description="File or system the data came from")
    loaded_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    loader_version: str = Field(min_length=1)

    def as_params(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "loaded_at": self.loaded_at,
            "loader_version": self.loader_version,
        }
