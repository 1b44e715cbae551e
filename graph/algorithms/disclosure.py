"""Small-cell suppression for counts of people shown as aggregates.

A count below the threshold is hidden (primary suppression). Where a total is
shown, or the hidden cells could otherwise be worked out by subtraction, more
cells are hidden (secondary suppression) so that no hidden count can be
recovered from what is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

__all__ = ["DEFAULT_ROUNDING", "DEFAULT_THRESHOLD", "round_to", "suppress", "suppress_one"]

DEFAULT_THRESHOLD = 10
# Shown counts are rounded to a multiple of this, so that subtracting the answers to two
# overlapping questions (all candidates, minus doctors) cannot pin down a hidden cell.
DEFAULT_ROUNDING = 5

K = TypeVar("K", bound=Hashable)


def suppress_one(count: int | None, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A single count on its own.

    >>> suppress_one(12), suppress_one(9), suppress_one(0)
    (12, None, None)
    """
    if count is None or count < threshold:
        return None
    return count


def suppress(
    cells: Mapping[K, int], total: int | None = None, threshold: int = DEFAULT_THRESHOLD
) -> tuple[dict[K, int | None], int | None]:
    """Cells that partition ``total`` (or stand alone when ``total`` is None), with small
    cells hidden, and the total (hidden too when small).

    When exactly one cell of a shown total is hidden, the smallest shown cell is hidden
    as well; when the hidden cells together add to less than the threshold, further cells
    are hidden until they do not, so their sum cannot be read off as a small number.

    >>> suppress({"a": 30, "b": 12, "c": 4}, total=46)
    ({'a': 30, 'b': None, 'c': None}, 46)
    >>> suppress({"a": 30, "b": 25}, total=55)
    ({'a': 30, 'b': 25}, 55)
    >>> suppress({"a": 3, "b": 4}, total=7)
    ({'a': None, 'b': None}, None)
    """
    shown: dict[K, int | None] = {k: (v if v >= threshold else None) for k, v in cells.items()}
    shown_total = suppress_one(total, threshold) if total is not None else None
    if shown_total is None:
        return shown, None

    def hidden_sum() -> int:
        return sum(cells[k] for k, v in shown.items() if v is None)

    while True:
        hidden = [k for k, v in shown.items() if v is None]
        if not hidden or (len(hidden) >= 2 and hidden_sum() >= threshold):
            break
        candidates = sorted((cells[k], str(k), k) for k, v in shown.items() if v is not None)
        if not candidates:
            break
        shown[candidates[0][2]] = None
    if all(v is None for v in shown.values()) and shown and hidden_sum() < threshold:
        return shown, None
    return shown, shown_total


def round_to(count: int | None, base: int = DEFAULT_ROUNDING) -> int | None:
    """Round half up to a multiple of ``base`` (None stays None).

    >>> round_to(12), round_to(13), round_to(25), round_to(None)
    (10, 15, 25, None)
    """
    if count is None or base <= 1:
        return count
    return ((count + base // 2) // base) * base
