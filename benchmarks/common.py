"""Shared by the benchmarks: the machine, versions, timing, child processes, progress."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
_START = time.monotonic()


def progress(message: str) -> None:
    """One line on stderr with the time since the run started."""
    elapsed = time.monotonic() - _START
    print(f"[bench {elapsed:6.0f}s] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, object]:
    """Cores, memory, processor, OS and the versions that matter, for every result."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    versions = {}
    for name in ("streamlit", "duckdb", "polars", "plotly", "pandera", "playwright"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    chromium = "not installed"
    if Path(CHROMIUM).exists():
        try:
            chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                      timeout=30).stdout.strip() or chromium
        except (OSError, subprocess.SubprocessError):
            pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "chromium": chromium,
        "load_average": os.getloadavg(),
    }


def max_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int) -> float:
    """A process's current resident memory, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run_worker(module: str, args: list[str], timeout: float, env: dict[str, str] | None = None
               ) -> dict[str, object]:
    """Run `python -m module args` and parse the JSON object on its last stdout line."""
    completed = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})},
    )
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines() or ["no output"]
        raise RuntimeError(f"{lines[-1][:300]} (exit {completed.returncode}; "
                           f"python -m {module} {' '.join(args)})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


@dataclass
class Result:
    """One benchmark's outcome, ready for docs/performance.md."""

    key: str
    title: str
    command: str
    tables: list[tuple[str, list[str], list[list[object]]]] = field(default_factory=list)
    goals: list[tuple[str, str, bool | None]] = field(default_factory=list)  # goal, measured, met
    notes: list[str] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None

    @classmethod
    def of(cls, key: str, title: str) -> Result:
        """A new result of the benchmark ``key``, which `python -m benchmarks --only KEY`
        runs again."""
        return cls(key=key, title=title, command=f"python -m benchmarks --only {key}")


@contextmanager
def app_test(target: str) -> Iterator[AppTest]:
    """Streamlit's AppTest of app.py, run once, with INDICATORS_DB pointing at ``target`` and
    the process-wide caches empty before and after (INDICATORS_DB is put back after)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("INDICATORS_DB")
    try:
        os.environ["INDICATORS_DB"] = target
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        yield app
    finally:
        if previous is None:
            os.environ.pop("INDICATORS_DB", None)
        else:
            os.environ["INDICATORS_DB"] = previous
        st.cache_data.clear()
        st.cache_resource.clear()
