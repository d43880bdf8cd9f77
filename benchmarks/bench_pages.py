"""Benchmark 3: each page's server time with Streamlit's AppTest, cold and warm.

Every page listed in app.py's navigation is run through `app.py` (as a visitor reaches it) on a
fresh copy of the bundled data. Cold: the process-wide caches (the open database, computed
indicators) are cleared first, as after a restart. Warm: the same page run again with its caches
filled, as for the next visitor. AppTest runs the script in this process and skips the browser
and the network: these are the server's own seconds per page view.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, Result, app_test, median, percentile, progress

REPEATS = 20


def page_files() -> list[str]:
    """The page files in app.py's navigation, in menu order."""
    text = (ROOT / "app.py").read_text()
    return re.findall(r'st\.Page\(\s*"([^"]+\.py)"', text)


def _time_pages(target: str, repeats: int) -> tuple[list[list[object]], dict[str, object]]:
    """Cold and warm runs of every page with INDICATORS_DB pointing at ``target``."""
    import streamlit as st

    rows, data = [], {}
    with app_test(target) as app:
        for page in page_files():
            progress(f"pages: {page}, {repeats} cold and {repeats} warm runs on "
                     f"{'PostgreSQL' if target.startswith('postgresql') else 'DuckDB'}")
            app.switch_page(page).run()
            cold, warm, failures = [], [], 0
            for _ in range(repeats):
                st.cache_data.clear()
                st.cache_resource.clear()
                start = time.perf_counter()
                app.run()
                cold.append(time.perf_counter() - start)
                failures += len(app.exception)
            for _ in range(repeats):
                start = time.perf_counter()
                app.run()
                warm.append(time.perf_counter() - start)
                failures += len(app.exception)
            rows.append([f"`{page}`", f"{median(cold) * 1000:,.0f}",
                         f"{percentile(cold, 95) * 1000:,.0f}", f"{median(warm) * 1000:,.0f}",
                         f"{percentile(warm, 95) * 1000:,.0f}", failures])
            data[page] = {"cold": cold, "warm": warm, "exceptions": failures}
            progress(f"pages: {page}: cold {median(cold) * 1000:,.0f} ms, "
                     f"warm {median(warm) * 1000:,.0f} ms")
    return rows, data


def run(repeats: int = REPEATS) -> Result:
    import subprocess
    import sys

    from benchmarks.postgres import TempPostgres
    from benchmarks.server import bundled_db

    result = Result.of("pages", "3. Pages: server time per page with AppTest, cold and warm, "
                       "DuckDB and PostgreSQL")
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    header = ["page", "cold median ms", "cold p95 ms", "warm median ms", "warm p95 ms",
              "exceptions shown"]
    try:
        rows, data = _time_pages(str(bundled_db(tmp)), repeats)
        result.data.update(data)
        result.tables.append((f"AppTest through app.py on the bundled data in a DuckDB file, "
                              f"{repeats} runs each", header, rows))
        with TempPostgres(durable=True) as server:
            target = server.create("indicators")
            subprocess.run([sys.executable, "-m", "indicators", "init", "--db", target],
                           check=True, capture_output=True, cwd=ROOT, timeout=600)
            rows, data = _time_pages(target, repeats)
        result.data["postgresql"] = data
        result.tables.append((f"The same on PostgreSQL (a server started for the benchmark), "
                              f"{repeats} runs each", header, rows))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.notes.append(
        "Cold clears st.cache_data and st.cache_resource before each run, so it includes "
        "opening (and integrity-checking) the database, reading the current figures into "
        "memory and computing the indicators; warm is what every later visitor costs the "
        "server (the figures are in memory by then, so both backends should agree).")
    return result
