"""The labels, relationship types and property keys the product's Cypher writes or reads.

Read from the text of every query constant in ``graph.cypher`` (the one place Cypher
lives) and from the fields of the models in ``graph.models`` (loaders write a node's
fields as a map of properties), so a query or field added later is covered without a
list to keep. A name found here
that the product never writes costs one unused token in the database: harmless. A name
missed here (a key that only ever comes in a parameter map) is registered by Neo4j on
first use, which readers of derived state answer by rereading whole once: only slower.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from pydantic import BaseModel

import graph.cypher
import graph.models
from graph.models.base import NodeModel

__all__ = ["Names", "product_names"]

# `(n:Label`, `n:Label:Other`, `SET n:Label`; CamelCase, so map values and keywords are
# not taken for labels.
_LABEL = re.compile(r"(?<=[\w)`]):([A-Z][a-z][A-Za-z0-9]*)\b")
# `[r:TYPE`, `[:A|B]`, `[:A|:B*1..3]`: upper case with underscores, split on `|`.
_TYPES = re.compile(r"\[\s*\w*\s*:\s*([A-Z][A-Z0-9_]*(?:\s*\|\s*:?\s*[A-Z][A-Z0-9_]*)*)")
# `n.key` (not a function such as `date.truncate(`) and `{key: ...}` / `, key: ...`.
_DOTTED_KEY = re.compile(r"\b[a-z_]\w*\.([a-z_]\w*)\b(?!\s*\()")
_MAP_KEY = re.compile(r"[{,]\s*([a-z_]\w*)\s*:(?!:)")
# Namespaces of Cypher functions and procedures, whose dotted names are not keys.
_NAMESPACES = frozenset(
    {"db", "dbms", "apoc", "gds", "date", "datetime", "duration", "point",
     "localdatetime", "localtime", "time", "vector", "genai", "tx"}
)  # fmt: skip


@dataclass(frozen=True)
class Names:
    labels: frozenset[str]
    types: frozenset[str]
    keys: frozenset[str]


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def _model_fields() -> set[str]:
    fields: set[str] = set()
    for module in _modules(graph.models):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                fields.update(value.model_fields)
            if isinstance(value, type) and issubclass(value, NodeModel):
                fields.update(value.DERIVED_PROPERTIES)
    return fields


def _queries() -> list[str]:
    texts: list[str] = []
    for module in _modules(graph.cypher):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                texts.append(value)
            elif name.isupper() and isinstance(value, tuple | list | dict):
                items = value.values() if isinstance(value, dict) else value
                texts.extend(item for item in items if isinstance(item, str))
    return texts


@cache
def product_names() -> Names:
    """Every name the product's queries use."""
    labels: set[str] = set()
    types: set[str] = set()
    keys = _model_fields()
    for text in _queries():
        labels.update(_LABEL.findall(text))
        for alternatives in _TYPES.findall(text):
            types.update(t.strip(" :") for t in alternatives.split("|"))
        for match in _DOTTED_KEY.finditer(text):
            owner = text[: match.start(1) - 1].rsplit(None, 1)[-1].split("(")[-1].split(".")[0]
            if owner.lower() not in _NAMESPACES:
                keys.add(match.group(1))
        keys.update(_MAP_KEY.findall(text))
    return Names(frozenset(labels), frozenset(types), frozenset(keys))
