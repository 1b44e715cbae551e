"""Emptying a graph, batch by batch, each batch with its audit event."""

from __future__ import annotations

from collections.abc import Callable

from neo4j import Driver, ManagedTransaction

from graph.access import Caller
from graph.cypher import reset as q
from graph.models.journal import EVERYTHING
from graph.services.audit import audit_in_transaction

__all__ = ["BATCH_NODES", "count_resettable_nodes", "reset_graph"]

BATCH_NODES = 10_000


def count_resettable_nodes(driver: Driver, database: str) -> int:
    """How many nodes a reset would delete (all but migrations and the audit log)."""
    records, _, _ = driver.execute_query(q.COUNT_RESETTABLE_NODES, database_=database)
    return int(records[0]["nodes"])


def reset_graph(
    driver: Driver,
    database: str,
    caller: Caller,
    forget_people: Callable[[list[str]], object] | None = None,
    batch: int = BATCH_NODES,
) -> int:
    """Delete every node but the schema's bookkeeping and the audit log; return how many.

    ``forget_people`` is given each batch's person ids after the batch commits (the CLI
    destroys their keys with it, so nothing of them stays readable anywhere)."""

    def one_batch(tx: ManagedTransaction) -> tuple[int, list[str]]:
        row = tx.run(q.DELETE_GRAPH_BATCH, batch=batch).single(strict=True)
        deleted, people = int(row["deleted"]), list(row["people"])
        if deleted:
            audit_in_transaction(
                tx, caller, "reset_graph", [], detail=f"nodes={deleted}", changes=EVERYTHING
            )
        return deleted, people

    total = 0
    with driver.session(database=database) as session:
        while True:
            deleted, people = session.execute_write(one_batch)
            if people and forget_people is not None:
                forget_people(people)
            total += deleted
            if deleted < batch:
                return total
