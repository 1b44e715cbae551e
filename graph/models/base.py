"""The shape every node model shares."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["NodeModel"]


class NodeModel(BaseModel):
    """A node with a stable external id. Fields named in ``LINK_FIELDS`` become
    relationships rather than properties."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset()
    # Properties written beside the fields, derived from them (see node_properties).
    DERIVED_PROPERTIES: ClassVar[frozenset[str]] = frozenset()

    id: str = Field(min_length=1, max_length=200)

    def node_properties(self) -> dict[str, object]:
        return self.model_dump(mode="python", exclude=set(self.LINK_FIELDS))
