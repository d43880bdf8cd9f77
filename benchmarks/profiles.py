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

from benchmarks.common import ROOT, app_test, progress


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
    """compute_indicators' stages, each run on its own on the previous stage's output (best of
    `repeats`, ms), then the whole and the inputs of one country's rows."""
    from benchmarks.synthetic import synthetic_countries, synthetic_observations
    from indicators import compute
    from indicators.settings import IndicatorSettings

    progress("profile: compute_indicators stages")
    settings = IndicatorSettings()
    observations, country_list = synthetic_observations(countries), synthetic_countries(countries)

    def best(fn) -> float:
        fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return round(min(times) * 1000, 1)

    obs = compute._prepare(observations)
    layout = compute._layout(obs, country_list)
    figures = compute._grid_figures(obs, layout, detail=False)
    estimates = figures["estimated_victims"]
    nearest = compute._nearest_estimates(estimates, layout)
    coverage = compute._coverage(estimates, nearest, layout)
    [parts] = compute._collect(
        compute._country_parts(figures, nearest, layout, settings, detail=False))
    [country_rows] = compute._collect(
        compute._country_rows(parts.lazy(), layout, settings.baseline_year))
    sums = compute._place_sums(
        compute._collect(compute._aggregate_rows(parts.lazy(), layout, coverage))[0], layout)
    rows = compute._assemble(country_rows, sums, layout)
    with_sources = compute._with_sources(rows, layout)
    frame = compute.compute_indicators(observations, country_list, settings)
    one_country = frame.filter((frame["scope"] == frame["scope"][0])
                               & (frame["year"] == frame["year"].max())).drop("sources")
    return [
        ["figures typed, citation column (_prepare)", best(lambda: compute._prepare(observations))],
        ["scopes, regions, years, citations (_layout)",
         best(lambda: compute._layout(obs, country_list))],
        ["figures on the country × year grid (_grid_figures)",
         best(lambda: compute._grid_figures(obs, layout, detail=False))],
        ["nearest estimate per cell, coverage weights",
         best(lambda: compute._coverage(
             estimates, compute._nearest_estimates(estimates, layout), layout))],
        ["five indicators' numerators and denominators per country (_country_parts)",
         best(lambda: compute._collect(compute._country_parts(figures, nearest, layout,
                                                              settings, detail=False)))],
        ["country rows: values, proxy, notes, citations (_country_rows)",
         best(lambda: compute._collect(compute._country_rows(parts.lazy(), layout,
                                                             settings.baseline_year)))],
        ["region and world sums, one group-by (_aggregate_rows, _place_sums)",
         best(lambda: compute._place_sums(
             compute._collect(compute._aggregate_rows(parts.lazy(), layout, coverage))[0],
             layout))],
        ["output order (_assemble)", best(lambda: compute._assemble(country_rows, sums, layout))],
        ["sources text per row (_with_sources)",
         best(lambda: compute._with_sources(rows, layout))],
        ["targets, projection and status (_finish)",
         best(lambda: compute._finish(with_sources, layout, coverage, settings))],
        ["whole compute_indicators",
         best(lambda: compute.compute_indicators(observations, country_list, settings))],
        ["indicator_inputs for one country's five rows of one year",
         best(lambda: compute.indicator_inputs(observations, country_list, settings,
                                               one_country))],
    ]


def page_profile(page: str = "pages/compare.py") -> list[list[object]]:
    """cProfile of one warm AppTest run of a page: project functions with most time."""
    from benchmarks.server import bundled_db

    progress(f"profile: warm run of {page}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    try:
        with app_test(str(bundled_db(tmp))) as app:
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
        shutil.rmtree(tmp, ignore_errors=True)
