"""The API's memo (indicators.api.memo): one computation per key, even when asked at once,
and a byte budget for kept answers."""

from __future__ import annotations

import threading
import time

from indicators.api.memo import Memo


def test_concurrent_askers_of_a_missing_key_share_one_computation():
    memo = Memo(size=4)
    calls = []

    def make() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("k", make)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8 and len(calls) == 1


def test_kept_values_stay_within_their_budget_oldest_first():
    memo = Memo(size=100, budget=10, weigh=len)
    for key, value in (("a", b"xxxx"), ("b", b"yyyy"), ("c", b"zzzz")):
        memo.put(key, value)
    assert memo.peek("a") is None  # 12 bytes > 10: the oldest went
    assert memo.peek("b") == b"yyyy" and memo.peek("c") == b"zzzz"


def test_a_failed_computation_is_not_kept():
    memo = Memo(size=4)

    def fail() -> int:
        raise ValueError("no")

    for _ in range(2):
        try:
            memo.get("k", fail)
        except ValueError:
            pass
    assert memo.get("k", lambda: 7) == 7
