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
        ["region and world sums (_aggregate_rows, _place_sums)",
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


# The same stages measured by the same function on main at c60fd50 (2026-12-07, this machine,
# quiet), before the chart over time and the ranking were assembled as plain data
# (charts.draft): median and p95 ms, kept so the change stays visible.
INTERACTION_BEFORE: dict[str, tuple[float, float]] = {
    "reading and filtering": (5.3, 6.9),
    "figure building": (57.0, 86.3),
    "sentences": (2.1, 3.8),
    "CSV bytes": (2.2, 2.9),
    "serialisation": (2.4, 3.6),
    "all the stages above": (69.1, 102.0),
}


def interaction_stages(selections: int = 40, db: Path | None = None) -> list[list[object]]:
    """A new Compare selection, stage by stage: the server's work for a country change that
    nobody asked before (the chart over time of three countries and the world, and their
    ranking in one year), on the bundled data, each stage timed on its own (median and p95
    over ``selections`` different selections, ms), beside ``INTERACTION_BEFORE``. Streamlit's
    own share (the fragment's rerun, the message) is the rest of benchmark 5's one-user
    server time. ``db``: a database of the bundled data (made anew when None)."""
    import statistics

    from benchmarks.server import bundled_db
    from indicators import report
    from indicators.settings import IndicatorSettings
    from indicators.store import Store

    progress("profile: a new Compare selection, stage by stage")
    tmp = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    try:
        with Store(db or bundled_db(tmp), read_only=True) as store:
            snapshot = store.snapshot()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    settings = IndicatorSettings()
    frame = report.indicator_frame_from(snapshot.observations, snapshot.countries, settings)
    # the page keeps each indicator's rows (a cache per data version)
    frame = frame.filter(frame["indicator"] == "conviction_rate")
    codes = sorted(snapshot.countries["iso3"].to_list())
    times: dict[str, list[float]] = {}
    for i in range(selections + 1):  # the first is a warm-up, not counted
        _one_selection(snapshot, frame, settings, [
            codes[(7 * i) % len(codes)], codes[(13 * i + 5) % len(codes)],
            codes[(29 * i + 3) % len(codes)], "WORLD"], times)
        if i == 0:
            times.clear()
    # the CSV is made at the click that asks for it: not part of a new selection's time
    at_click = {stage: ms for stage, ms in times.items() if stage.startswith("CSV bytes")}
    shown = {stage: ms for stage, ms in times.items() if stage not in at_click}
    totals = [sum(parts) for parts in zip(*shown.values(), strict=True)]
    times = {**shown, "all the stages above": totals, **at_click}

    def before(stage: str) -> tuple[float, float] | tuple[str, str]:
        return next((ms for key, ms in INTERACTION_BEFORE.items() if stage.startswith(key)),
                    ("", ""))

    return [[stage, *before(stage), round(statistics.median(ms), 1),
             round(statistics.quantiles(ms, n=20)[-1], 1)] for stage, ms in times.items()]


def _one_selection(snapshot, frame, settings, scopes: list[str],  # noqa: ANN001
                   times: dict[str, list[float]]) -> None:
    """``interaction_stages``' stages for one selection, each added to ``times`` (ms)."""
    import plotly.io as pio

    from indicators import alt_text, charts, figure_export, series_views, view_charts, views

    indicator, years, year = "conviction_rate", (2003, 2022), 2019

    def timed(stage: str, fn):  # noqa: ANN202 - any stage's result
        start = time.perf_counter()
        made = fn()
        times.setdefault(stage, []).append((time.perf_counter() - start) * 1000)
        return made

    def rows() -> tuple:  # as view_charts.lines and .ranking read them
        names = view_charts._scope_names(snapshot.countries)
        lines = views.lines_data(frame, indicator, scopes, years, names)
        lines = series_views.with_series_note(lines, series_views.indicator_basis_notes(
            snapshot.observations, snapshot.adoptions, indicator, iso3s=None, years=years))
        ranked = views.ranking_data(frame, indicator, year, scopes, names)
        return (lines, views.sources_used(lines["source"], snapshot.sources), ranked,
                views.sources_used(ranked["source"], snapshot.sources))

    lines, line_sources, ranked, rank_sources = timed(
        "reading and filtering: the selection's rows, names, series notes, sources", rows)
    drafts = timed("figure building: the chart over time and the ranking, as the page has "
                   "them (their drafts: a go.Figure is made at an export)", lambda: (
        charts.indicator_lines_draft(lines, indicator, sources=line_sources,
                                     baseline_year=settings.baseline_year,
                                     deadline_year=settings.deadline_year, years=years),
        charts.ranking_bars_draft(ranked, indicator, sources=rank_sources, year=year)))
    timed("sentences: both charts' text alternatives", lambda: (
        alt_text.lines(lines, indicator), alt_text.ranking(ranked, indicator, year)))
    timed("serialisation: both figures' dicts and JSON, as the page hands them over",
          lambda: [pio.to_json(charts.figure_dict(draft), validate=False)
                   for draft in drafts])
    timed("CSV bytes: both charts' rows as their downloads (made at the click since "
          "2026-12-08, not with the selection: not in the sum)", lambda: (
        figure_export.chart_csv(lines), figure_export.chart_csv(ranked)))
