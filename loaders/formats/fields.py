"""Cell parsers shared by the CSV and XLSX formats."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

__all__ = ["SemicolonList", "split_semicolons"]


def split_semicolons(value: object) -> object:
    """``"a; b;;c"`` -> ``["a", "b", "c"]``; lists pass through; blank -> ``[]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


SemicolonList = Annotated[list[str], BeforeValidator(split_semicolons)]
