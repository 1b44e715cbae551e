"""Global ids: ``<Type>:<external id>``, e.g. ``Area:E01011331`` or ``Person:p-1``.

External ids are unique within a label only (a skill and an occupation may
share an ESCO code), so the type name goes in front. The rest is the external
id exactly as loaded, colons and all, so an id stays readable and a caller who
knows an ONS code or ESCO URI can write the global id by hand.
"""

from __future__ import annotations

import strawberry

from graph.services.explore_nodes import EXPLORABLE
from graph.vocabulary import Label
from schema.errors import BadUserInput

__all__ = ["external_id", "global_id", "parse_global_id", "reference"]


def global_id(label: Label, external_id: str) -> strawberry.ID:
    return strawberry.ID(f"{label.value}:{external_id}")


def parse_global_id(value: str) -> tuple[Label, str] | None:
    """The label and external id a global id names; ``None`` if it names no explorable kind."""
    kind, separator, external_id = value.partition(":")
    if not separator or not external_id or kind not in {label.value for label in EXPLORABLE}:
        return None
    return Label(kind), external_id


def reference(value: str | None, argument: str, *labels: Label) -> tuple[Label, str] | None:
    """An argument that must be the global id of one of ``labels`` (or absent)."""
    if value is None:
        return None
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in labels:
        kinds = " or ".join(label.value for label in labels)
        raise BadUserInput(
            f"{argument} must name a node of type {kinds}, written '{labels[0]}:<external id>'"
        )
    return parsed


def external_id(value: str | None, argument: str, label: Label) -> str | None:
    """The external id of an argument that must name a node of ``label``."""
    parsed = reference(value, argument, label)
    return parsed[1] if parsed else None
