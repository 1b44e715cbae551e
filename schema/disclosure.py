"""Small-cell suppression as the schema applies it: to the counts place leaders see."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.access import Caller
from graph.algorithms.disclosure import (
    DEFAULT_ROUNDING,
    DEFAULT_THRESHOLD,
    round_to,
    suppress,
    suppress_one,
)

__all__ = [
    "DisclosureLevel",
    "DisclosureSettings",
    "count_for",
    "counts_for",
    "disclosure_level",
    "split_for",
    "threshold",
]


class DisclosureSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_DISCLOSURE_", env_file=".env", extra="ignore"
    )

    threshold: int = Field(
        DEFAULT_THRESHOLD, ge=1, description="Smallest count a place leader sees"
    )
    rounding: int = Field(
        DEFAULT_ROUNDING, ge=1, description="Counts place leaders see round to a multiple of this"
    )


@lru_cache(maxsize=1)
def settings() -> DisclosureSettings:
    return DisclosureSettings()


def threshold() -> int:
    return settings().threshold


@dataclass(frozen=True)
class DisclosureLevel:
    """Everything of the caller that decides what an answer shows them: people one by
    one or only as counts, small counts or suppressed ones (and then the rule in force).
    Two callers of one level are shown the same answer to the same question, so an
    answer kept for one may be given to the other (graph.services.kept_answers)."""

    individuals: bool
    small_counts: bool
    suppression: tuple[int, int] | None


def disclosure_level(caller: Caller | None) -> DisclosureLevel:
    individuals = caller is not None and caller.sees_individuals
    small_counts = caller is not None and caller.sees_small_counts
    rule = None if small_counts else (threshold(), settings().rounding)
    return DisclosureLevel(individuals, small_counts, rule)


def count_for(caller: Caller | None, count: int) -> int | None:
    """A count as this caller may see it (None: hidden as a small cell)."""
    if caller is not None and caller.sees_small_counts:
        return count
    return round_to(suppress_one(count, threshold()), settings().rounding)


def counts_for(
    caller: Caller | None, cells: dict[str, int], total: int | None
) -> tuple[dict[str, int | None], int | None]:
    """Cells of a total as this caller may see them (with secondary suppression)."""
    if caller is not None and caller.sees_small_counts:
        return dict(cells), total
    shown, shown_total = suppress(cells, total, threshold())
    base = settings().rounding
    return {k: round_to(v, base) for k, v in shown.items()}, round_to(shown_total, base)


def split_for(caller: Caller | None, part: int, whole: int) -> tuple[int | None, int | None]:
    """A part of a whole and the whole, as this caller may see them: the part and the
    rest partition the whole, so a small rest hides the part as well. A part of none
    or of all is shown: it says something of everyone, so of no one in particular."""
    if caller is not None and caller.sees_small_counts:
        return part, whole
    shown_whole = count_for(caller, whole)
    if shown_whole is None:
        return None, None
    if part == 0:
        return 0, shown_whole
    if part == whole:
        return shown_whole, shown_whole
    cells, total = counts_for(caller, {"part": part, "rest": whole - part}, whole)
    return cells["part"], total
