"""A small per-process memo for the API: each value computed once per key (the data version
is always part of the key), concurrent askers of a missing key wait for the one computing it,
and the oldest keys are forgotten past ``size``."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self, size: int, *, budget: int | None = None,
                 weigh: Callable[[object], int] | None = None) -> None:
        """At most ``size`` keys; with ``weigh``, values ``put`` here weigh at most ``budget``
        together (the oldest go first)."""
        self.size = size
        self.budget = budget
        self.weigh = weigh
        self._weights: dict[Hashable, int] = {}
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, Future] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            future = self._values.get(key)
            if future is not None:
                self._values.move_to_end(key)
                mine = False
            else:
                future = Future()
                self._values[key] = future
                mine = True
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        if mine:
            try:
                future.set_result(make())
            except BaseException as exc:
                with self._lock:
                    if self._values.get(key) is future:
                        del self._values[key]
                future.set_exception(exc)
        return future.result()

    def peek(self, key: Hashable) -> object | None:
        """The value if it is ready, else None (never waits, never computes)."""
        with self._lock:
            future = self._values.get(key)
        if future is None or not future.done() or future.exception() is not None:
            return None
        return future.result()

    def put(self, key: Hashable, value: object) -> None:
        future: Future = Future()
        future.set_result(value)
        with self._lock:
            self._values[key] = future
            self._values.move_to_end(key)
            if self.weigh is not None:
                self._weights[key] = self.weigh(value)
            while len(self._values) > self.size or (
                    self.budget is not None and sum(self._weights.values()) > self.budget
                    and len(self._values) > 1):
                oldest, _ = self._values.popitem(last=False)
                self._weights.pop(oldest, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._weights.clear()
