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
    def __init__(self, size: int) -> None:
        self.size = size
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
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
