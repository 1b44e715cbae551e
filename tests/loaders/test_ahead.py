"""The read-ahead under the pipeline: order kept, errors raised in their place, never
more than one item made beyond the caller's, and the source closed in its own thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import closing

import pytest

from loaders.ahead import read_ahead


class _Source:
    """Numbers 0..n-1, recording how many were made and in which thread it closed."""

    def __init__(self, n: int, fail_at: int | None = None) -> None:
        self.made = 0
        self.closed_in: str | None = None
        self.threads: set[str] = set()
        self.items = self._make(n, fail_at)

    def _make(self, n: int, fail_at: int | None) -> Iterator[int]:
        try:
            for i in range(n):
                self.threads.add(threading.current_thread().name)
                if i == fail_at:
                    raise ValueError(f"line {i} is unreadable")
                self.made += 1
                yield i
        finally:
            self.closed_in = threading.current_thread().name


def test_items_come_in_order_made_in_one_other_thread() -> None:
    source = _Source(50)
    assert list(read_ahead(source.items)) == list(range(50))
    assert source.threads == {"read-ahead"}
    assert source.closed_in == "read-ahead"


def test_an_error_is_raised_after_every_item_before_it() -> None:
    source = _Source(10, fail_at=4)
    items = read_ahead(source.items)
    assert [next(items) for _ in range(4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="line 4 is unreadable"):
        next(items)
    assert source.closed_in == "read-ahead"


def test_closing_early_stops_one_item_ahead_and_closes_the_source() -> None:
    source = _Source(1000)
    with closing(read_ahead(source.items)) as items:
        for item in items:
            if item == 2:
                # The worker makes item 3 while the caller holds item 2, and no more.
                deadline = time.monotonic() + 5
                while source.made < 4 and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.1)
                break
    assert source.made == 4
    assert source.closed_in == "read-ahead"
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
