"""The derived state's objects kept out of the garbage collector's full passes.

The candidate index and the funnels' pipelines hold hundreds of thousands of Python
objects for the process's lifetime. CPython's full collection walks every tracked
object, and one runs whenever the objects surviving younger passes grow by a quarter of
the old generation: with the index held, each pass stopped every thread for 150 ms on a
quiet machine and up to 800 ms on a busy one, about every 9 s in the busy benchmark,
which is what a request's p95 saw. Frozen objects (``gc.freeze``) are left out of every
pass; they are still freed by reference counting when a structure drops them, so a
whole reread that replaces the index frees the old one (measured: the frozen count and
the resident memory stay flat over repeated rereads).

A :class:`LongLivedFreezer` is a step of the follower: when a structure has been read
whole since its last round (start-up, a write made round the product, a new pipeline),
it collects once, so no garbage is frozen, and freezes what is left.
"""

from __future__ import annotations

import gc
import logging
import time

from graph.services.candidate_index import CandidateIndexHolder
from graph.services.funnel_rows import FollowedFunnels

__all__ = ["LongLivedFreezer"]

log = logging.getLogger("assetbridge.api")


class LongLivedFreezer:
    """Freezes the heap after the index or any pipeline has been read whole since the
    last call."""

    def __init__(self, index: CandidateIndexHolder | None, funnels: FollowedFunnels | None) -> None:
        self._index = index
        self._funnels = funnels
        self._seen = (0, 0)
        self.freezes = 0

    def __call__(self) -> None:
        counts = (
            self._index.whole_reads if self._index else 0,
            self._funnels.wholes if self._funnels else 0,
        )
        if counts == self._seen:
            return
        self._seen = counts
        started = time.perf_counter()
        # Garbage already made must not be frozen: frozen cycles would never be freed.
        gc.collect()
        gc.freeze()
        self.freezes += 1
        log.info(
            "froze %d long-lived objects in %.0f ms",
            gc.get_freeze_count(),
            (time.perf_counter() - started) * 1000,
        )
