"""Derived state brought up to the newest commit between questions, not only by them.

The candidate index and the kept answers catch up with the change journal when a
question finds them behind (read your writes). Alone, that puts the catching up of
every write on the first question after it: after a people batch, the index rereads a
thousand people while a caseworker waits. A :class:`Follower` asks each structure to
catch up every ``interval_s`` in a thread of its own, so by the time a question comes
the work is usually done, and the question's own check finds nothing to do. Questions
still check for themselves: the follower makes them faster, never fresher.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

__all__ = ["Follower"]

log = logging.getLogger("assetbridge.graph")


class Follower:
    """Runs each step (a structure's catch-up) every ``interval_s`` until stopped."""

    def __init__(self, steps: Sequence[Callable[[], object]], interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s: follow at least once a while (a positive interval)")
        self._steps = list(steps)
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.failures = 0

    def follow_once(self) -> None:
        """Each step once; a step that fails is logged and tried again next round (a
        question meanwhile catches up, or reads the graph, for itself)."""
        for step in self._steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - a background catch-up must never stop the others
                self.failures += 1
                log.warning("following the journal in the background failed", exc_info=True)
        self.rounds += 1

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="journal-follower", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.follow_once()
