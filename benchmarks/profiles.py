"""Hot spots, for the goals a benchmark misses: where the time goes, measured, not guessed."""

from __future__ import annotations

import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, progress


def _top(profile: cProfile.Profile, limit: int = 8, prefixes: tuple[str, ...] = (
        "indicators/", "pages/")) -> list[list[object]]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        rel = filename.replace(str(ROOT) + "/", "")
        if rel.startswith(prefixes):
            rows.append([f"`{rel}:{line} {name}`", calls, round(tottime, 3), round(cumtime, 3)])
    rows.sort(key=lambda r: r[3], reverse=True)
    return rows[:limit]


def import_profile(rows: int = 100_000) -> list[list[object]]:
    """cProfile of prepare() on a synthetic file: the library functions with most time."""
    from benchmarks.bench_import import _codes, _seed_store
    from benchmarks.synthetic import synthetic_upload_csv
    from indicators.store import Store
    from indicators.upload.pipeline import prepare

    progress(f"profile: prepare() on {rows:,} rows")
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    try:
        codes = _codes(rows)
        db = tmp / "p.duckdb"
        _seed_store(db, codes)
        data = synthetic_upload_csv(rows, codes)
        with Store(db) as store:
            profile = cProfile.Profile()
            profile.enable()
            prepare(data, "synthetic.csv", store, limit_bytes=len(data) + 1)
            profile.disable()
        return _top(profile, prefixes=("indicators/",))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def indicator_stages(countries: int = 250, repeats: int = 5) -> list[list[object]]:
    """compute_indicators' stages, each collected on its own (best of `repeats`, ms)."""
    import polars as pl

    from benchmarks.synthetic import synthetic_countries, synthetic_observations
    from indicators import compute
    from indicators.settings import IndicatorSettings

    progress("profile: compute_indicators stages")
    settings = IndicatorSettings()
    obs = compute._prepare(synthetic_observations(countries))
    membership = compute._membership(synthetic_countries(countries), obs)
    weights = compute._latest(obs, "estimated_victims")
    known = obs.select("iso3").unique()
    first, last = int(obs["year"].min()), int(obs["year"].max())

    def best(fn) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    grid_ms = best(lambda: compute._grid(membership, first, last,
                                          compute._scope_sizes(membership, weights, known)))
    grid = compute._grid(membership, first, last,
                         compute._scope_sizes(membership, weights, known)).lazy()
    parts = compute._all_parts(obs.lazy(), settings)
    rows = [["grid of scopes × years (eager)", round(grid_ms, 1)]]
    engine = "in-memory"
    rows.append(["inputs per country (five indicators' parts)",
                 round(best(lambda: pl.collect_all(list(parts.values()), engine=engine)), 1)])
    for key, part in parts.items():
        collected = part.collect(engine=engine).lazy()
        rows.append([f"{key}: country rows", round(best(
            lambda k=key, p=collected: compute._country_rows(k, p).collect(engine=engine)), 1)])
        rows.append([f"{key}: region and world sums", round(best(
            lambda k=key, p=collected: compute._aggregate_rows(
                k, p, membership.lazy(), weights.lazy()).collect(engine=engine)), 1)])
        rows.append([f"{key}: grid join, inputs list, status and projection", round(best(
            lambda k=key, p=collected: compute._indicator_rows(
                k, p, membership.lazy(), grid, weights.lazy(), settings).collect(engine=engine)
        ), 1)])
    return rows


def page_profile(page: str = "pages/compare.py") -> list[list[object]]:
    """cProfile of one warm AppTest run of a page: project functions with most time."""
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from benchmarks.server import bundled_db

    progress(f"profile: warm run of {page}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    previous = os.environ.get("INDICATORS_DB")
    try:
        os.environ["INDICATORS_DB"] = str(bundled_db(tmp))
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        app.switch_page(page).run()
        app.run()
        # AppTest runs the page in its own thread: start the profiler inside that thread.
        profile = cProfile.Profile()

        def start_in_thread(*_: object) -> None:
            sys.setprofile(None)
            profile.enable()

        threading.setprofile(start_in_thread)
        try:
            app.run()
        finally:
            threading.setprofile(None)
        return _top(profile, limit=10)
    finally:
        if previous is None:
            os.environ.pop("INDICATORS_DB", None)
        else:
            os.environ["INDICATORS_DB"] = previous
        st.cache_data.clear()
        st.cache_resource.clear()
        shutil.rmtree(tmp, ignore_errors=True)
