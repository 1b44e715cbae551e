"""Cells safe to open in a spreadsheet: the one rule every CSV the product writes follows.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` sends whoever clicks it to another site with data in the address),
and some read a leading tab or carriage return the same way. OWASP's rule: prefix such a
cell with a single quote, which the spreadsheet shows as text. Only text is prefixed:
a number the product writes as a number (a score of ``-0.5``) stays a number; the same
characters arriving as text (a name ``-0.5``) are prefixed, since text from a file or a
form is never trusted to be a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_mapping", "safe_row"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

K = TypeVar("K")


def safe_cell(value: object) -> object:
    """``value`` as it may go into a CSV cell: text that a spreadsheet would run is
    prefixed with ``'``; anything else (numbers, ``None``) is returned as it is.

    >>> safe_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell("-0.5"), safe_cell(-0.5), safe_cell("Amina")
    ("'-0.5", -0.5, 'Amina')
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Each cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def safe_mapping(values: Mapping[K, object]) -> dict[K, object]:
    """Each value of a mapping (a ``DictWriter`` row) through :func:`safe_cell`."""
    return {name: safe_cell(value) for name, value in values.items()}
