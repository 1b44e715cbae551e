"""Where a node or relationship came from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.access import Caller, Role
from graph.settings import PLACE_ID_PATTERN, get_place_settings

__all__ = ["LIBRARY_LOADER", "Provenance"]

# Who a load is audited as when its caller names nobody (a library call, a test).
LIBRARY_LOADER = Caller(subject="library", role=Role.LOADER, via="library")


class Provenance(BaseModel):
    """Stamped on everything a load writes: which source, when, by which loader version."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(min_length=1, description="File or system the data came from")
    loaded_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    loader_version: str = Field(min_length=1)
    # Who loads: each batch's audit event names them. Not stamped on the nodes.
    loaded_by: Caller = LIBRARY_LOADER
    # The place every placed node the load writes joins (it keeps any other it is in).
    place_id: str = Field(
        default_factory=lambda: get_place_settings().default_place_id,
        min_length=1, max_length=64, pattern=PLACE_ID_PATTERN,
    )  # fmt: skip
    # The place's name, if the load gives one (a new place is named after its id).
    place_name: str | None = Field(None, min_length=1, max_length=200)

    def as_params(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "loaded_at": self.loaded_at,
            "loader_version": self.loader_version,
            "place_id": self.place_id,
        }
