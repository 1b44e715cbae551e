"""Migration 0010's data step: everything loaded before places existed goes into the
default place (``ASSETBRIDGE_DEFAULT_PLACE_ID`` and ``_NAME``).

The place is made if missing, then every node of a placed label that is in no place
joins it, in batches, each one transaction with its audit record. Ties are untouched:
their ``since`` stays the start of their history. Nodes already in a place keep it,
so a killed run is simply re-run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.cypher import places as q
from graph.models.journal import EVERYTHING
from graph.services.audit import audit_in_transaction
from graph.settings import get_place_settings

__all__ = ["bring_places_forward"]

MIGRATION_CALLER = Caller(subject="migration:0010", role=Role.ADMIN, via="migration")
_BATCH = 5000


def bring_places_forward(driver: Driver, database: str) -> None:
    settings = get_place_settings()
    place_id, place_name = settings.default_place_id, settings.default_place_name

    def ensure(tx: ManagedTransaction) -> None:
        tx.run(q.ENSURE_PLACE, place_id=place_id, place_name=place_name,
               now=datetime.now(UTC)).consume()  # fmt: skip
        audit_in_transaction(tx, MIGRATION_CALLER, "make_default_place", [f"Place:{place_id}"],
                             detail=f"name={place_name}", changes=EVERYTHING)  # fmt: skip

    def place(tx: ManagedTransaction, nodes: list[str]) -> None:
        placed = tx.run(q.PUT_IN_PLACE, nodes=nodes, place_id=place_id).single(strict=True)
        # Counts, not ids: the nodes include people who never consented, whom the audit
        # log names nowhere. Derived state rereads whole.
        audit_in_transaction(tx, MIGRATION_CALLER, "put_in_default_place", [],
                             detail=f"place={place_id} nodes={placed['placed']}",
                             changes=EVERYTHING)  # fmt: skip

    with driver.session(database=database) as session:
        session.execute_write(ensure)
        unplaced = [r["node"] for r in session.run(q.UNPLACED_NODES)]
        for start in range(0, len(unplaced), _BATCH):
            session.execute_write(place, unplaced[start : start + _BATCH])
