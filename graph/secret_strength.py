"""Whether a production secret (the token-signing secret, the master key) looks generated.

A length rule alone accepts ``'a' * 32`` or a short word typed over and over, the first
things a guesser tries. These rules refuse what a person makes up instead of generating:
few distinct symbols, a block repeated, mostly runs of neighbouring symbols (``abcd``,
``1234``, ``aaaa``), and the development secrets published in this source. The limits are
set so that a generated secret is refused with a vanishing chance: 32 hex characters
(``openssl rand -hex 16``, the weakest generator in common use) have fewer than 8 distinct
symbols with a chance of 4 in 10^8 and three quarters of neighbouring pairs with 6 in
10^13; 32 random bytes have fewer than 16 distinct with 3 in 10^17; none has a repeated
block but with a chance smaller still.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["GENERATE_HINT", "MIN_DISTINCT_BYTES", "MIN_DISTINCT_CHARACTERS", "weakness"]

GENERATE_HINT = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
MIN_DISTINCT_CHARACTERS = 8
MIN_DISTINCT_BYTES = 16
# Of the pairs of neighbouring symbols, at most this share may be equal or one apart.
_MAX_NEIGHBOUR_SHARE = 0.75


def weakness(
    value: str | bytes, *, min_length: int, min_distinct: int, published: Iterable[str | bytes] = ()
) -> str | None:
    """Why ``value`` is too weak for a production secret (a phrase to follow "it"), or
    ``None`` when it passes every rule.

    >>> weakness("ab" * 16 + "c", min_length=32, min_distinct=8)
    'has only 3 distinct characters (at least 8 are needed)'
    >>> weakness("0123abcd" * 5, min_length=32, min_distinct=8)
    'repeats a block of 8 characters'
    """
    unit = "bytes" if isinstance(value, bytes) else "characters"
    codes: Sequence[int] = list(value) if isinstance(value, bytes) else [ord(c) for c in value]
    if value in set(published):
        return "is a development secret published in the source, which protects nothing"
    if len(codes) < min_length:
        return f"has {len(codes)} {unit} (at least {min_length} are needed)"
    distinct = len(set(codes))
    if distinct < min_distinct:
        return f"has only {distinct} distinct {unit} (at least {min_distinct} are needed)"
    period = _shortest_period(codes)
    if period is not None:
        return f"repeats a block of {period} {unit}"
    neighbours = sum(1 for a, b in zip(codes, codes[1:], strict=False) if abs(a - b) <= 1)
    if neighbours > _MAX_NEIGHBOUR_SHARE * (len(codes) - 1):
        return f"is mostly runs of neighbouring {unit} (such as abcd, 1234 or aaaa)"
    return None


def _shortest_period(codes: Sequence[int]) -> int | None:
    """The shortest block that, repeated (the last copy perhaps cut short), makes up
    ``codes``, if it fits at least twice; else ``None``."""
    for period in range(1, len(codes) // 2 + 1):
        if all(codes[i] == codes[i + period] for i in range(len(codes) - period)):
            return period
    return None
