"""When a tie held: the one definition every query that reads the network uses.

A tie carries ``since`` (null: for as long as anyone knows) and ``until`` (null: it
still holds; else the first day it no longer did). It held on day ``$as_of`` when
``since`` is null or not after that day, and ``until`` is null or after it.

The predicate is written here once and spliced into the query constants when their
modules are imported, so no query can state it differently. The text put together
is fixed text of this package (a relationship variable written in the query),
never a value: the day always arrives as the parameter ``$as_of`` (a Neo4j date).
Which types keep history is ``graph.vocabulary.HISTORY_TYPES``; every query reading
one of them tests each tie with ``held_on`` (tests/graph/test_tie_history_static.py).
"""

from typing import LiteralString

__all__ = ["held_on"]


def held_on(tie: LiteralString) -> LiteralString:
    """The Cypher predicate "the relationship bound to ``tie`` held on ``$as_of``"."""
    return (
        "((" + tie + ".since IS NULL OR " + tie + ".since <= $as_of)"
        " AND (" + tie + ".until IS NULL OR $as_of < " + tie + ".until))"
    )
