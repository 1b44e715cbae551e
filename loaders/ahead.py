"""Making the next item of an iterator in a thread while the caller works on this one.

A load is two kinds of work taking turns: Python reading and validating a batch, then
Neo4j writing it while Python waits on the socket. With the next batch read and
validated in a thread of its own during the write, the two overlap. The thread only
ever holds one item ahead, so memory stays flat; it writes nothing anywhere, so a load
stopped at any point has committed exactly the batches it had committed before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["read_ahead"]

T = TypeVar("T")

# How often a producer blocked on a full hand-off looks whether the consumer has gone.
_POLL_S = 0.05


@dataclass(frozen=True)
class _End:
    """The last hand-off: the items ran out, or raised ``error``."""

    error: BaseException | None = None


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """``items`` in order, each made in a worker thread while the caller holds the one
    before. What ``items`` raises is raised here, after every item made before it.

    ``items`` runs in the worker from its first item to its end (or its ``close()``),
    so resources it opens are used and closed in one thread. Close the generator
    returned (``contextlib.closing``) to stop early: the worker then stops, closes
    ``items`` and is joined.

    >>> list(read_ahead(iter(range(5))))
    [0, 1, 2, 3, 4]
    """
    # An item travels as a 1-tuple, so that any value (None, an _End) passes as itself.
    handoff: queue.SimpleQueue[tuple[T] | _End] = queue.SimpleQueue()
    # The worker makes an item only with a slot, and the caller gives one back as it
    # takes an item: never more than one made beyond the caller's.
    slots = threading.Semaphore(1)
    stop = threading.Event()

    def slot() -> bool:
        while not stop.is_set():
            if slots.acquire(timeout=_POLL_S):
                return True
        return False

    def produce() -> None:
        try:
            while slot():
                try:
                    item = next(items)
                except StopIteration:
                    handoff.put(_End())
                    return
                handoff.put((item,))
        except BaseException as error:  # noqa: BLE001 - handed over, raised by the consumer
            handoff.put(_End(error))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while not isinstance(entry := handoff.get(), _End):
            slots.release()
            yield entry[0]
        if entry.error is not None:
            raise entry.error
    finally:
        stop.set()
        worker.join()
