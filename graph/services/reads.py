"""Reads for a caller who is waiting: one managed read transaction, the whole
result, and values as plain Python.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

from neo4j import READ_ACCESS, Driver, ManagedTransaction, NotificationDisabledClassification
from neo4j.time import Date, DateTime, Time

__all__ = ["INTERACTIVE_RETRY_S", "plain", "read", "read_rows", "read_values"]

# The driver retries a failed transaction for 30 s by default, which suits a
# loader but not a person waiting on a page; past this budget the caller hears
# that the graph is unavailable.
INTERACTIVE_RETRY_S = 5.0

# Optional properties that no node has yet (a new database, a field no source
# fills) make the server warn on every query; that is normal here, not news.
_QUIET = [NotificationDisabledClassification.UNRECOGNIZED]

_Rows = TypeVar("_Rows")


def plain(value: Any) -> Any:
    """``value`` with Neo4j's temporal types turned into the standard library's."""
    if isinstance(value, Date | DateTime | Time):
        return value.to_native()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def read_rows(
    driver: Driver, database: str, query: LiteralString, **params: Any
) -> list[dict[str, Any]]:
    """Run one read query and return every row as a dict of plain values."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [plain(record.data()) for record in tx.run(query, params)]

    return read(driver, database, work)


def read_values(
    driver: Driver, database: str, query: LiteralString, **params: Any
) -> list[tuple[Any, ...]]:
    """Like ``read_rows``, but each row a tuple of the values as the driver gives
    them: for large results of ids and numbers, where building dicts would cost
    more than the query."""

    def work(tx: ManagedTransaction) -> list[tuple[Any, ...]]:
        return [tuple(record.values()) for record in tx.run(query, params)]

    return read(driver, database, work)


def read(driver: Driver, database: str, work: Callable[[ManagedTransaction], _Rows]) -> _Rows:
    """Run ``work`` in one managed read transaction: several queries, one snapshot."""
    with driver.session(
        database=database,
        default_access_mode=READ_ACCESS,
        max_transaction_retry_time=INTERACTIVE_RETRY_S,
        notifications_disabled_classifications=_QUIET,
    ) as session:
        return session.execute_read(work)
