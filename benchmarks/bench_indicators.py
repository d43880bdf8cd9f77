"""Benchmark 2: all five indicators for 250 countries × 50 years × 10 measures, ×10 and ×100.

Synthetic observations (benchmarks/synthetic.py, fixed seed, 20% of figures missing, 5% '<5')
go through `indicators.compute.compute_indicators`; the baseline in the same process is one
plain Polars group-by over the same frame (per country and measure: count, sum, bounds). The
sizes grow by adding countries (250 → 2,500 → 25,000 synthetic countries), the way more data
reaches the dashboard. The bundled (real) data is timed too, for reference.

The frame carries each row's sources, not its inputs; `indicator_inputs` works out the inputs of
the rows a report prints. Its cost is timed at the first size for the scopes a report asks for.
"""

from __future__ import annotations

import gc
import math
import time

from benchmarks.common import Result, max_rss_mb, median, progress

SIZES = (250, 2_500, 25_000)  # countries; × 50 years × 10 measures
REPEATS = {250: 20, 2_500: 5, 25_000: 2}
GOAL_MS = 50.0


def _baseline(obs):
    import polars as pl

    return obs.group_by("iso3", "measure").agg(
        pl.len(), pl.col("value").sum(), pl.col("lower").sum(), pl.col("upper").sum(),
        pl.col("year").max(),
    )


def _time(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b·x, and the exponent k of y ∝ x^k (log-log fit)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mlx, mly = sum(lx) / n, sum(ly) / n
    k = sum((x - mlx) * (y - mly) for x, y in zip(lx, ly, strict=True)) / sum(
        (x - mlx) ** 2 for x in lx)
    return my - b * mx, b, k


def _bundled_times(repeats: int = 20) -> tuple[int, list[float]]:
    import shutil
    import tempfile
    from pathlib import Path

    from benchmarks.server import bundled_db
    from indicators.compute import compute_indicators
    from indicators.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-ind-"))
    try:
        with Store(bundled_db(tmp), read_only=False) as store:
            obs, countries = store.observations(), store.countries()
        compute_indicators(obs, countries)
        return obs.height, _time(lambda: compute_indicators(obs, countries), repeats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _inputs_rows(obs, countries, repeats: int = 5) -> list[list[object]]:
    """indicator_inputs for the selections `indicators report` makes, and every row."""
    from indicators.compute import compute_indicators, indicator_inputs
    from indicators.report import select_rows

    frame = compute_indicators(obs, countries)
    regions = countries["region"].drop_nulls().unique().to_list()
    subregion = countries["subregion"].drop_nulls()[0]
    country = frame.filter(frame["scope_type"] == "country")["scope"][0]
    year = int(frame["year"].max())  # type: ignore[arg-type]
    asks = [
        (f"one country, one year ({country} {year})", dict(country=country, year=year)),
        (f"one country, every year ({country})", dict(country=country)),
        (f"one region, one year ({regions[0]} {year})", dict(region=regions[0], year=year)),
        (f"one subregion, one year ({subregion} {year})", dict(region=subregion, year=year)),
        ("the world, every year", dict(world=True)),
    ]
    rows = []
    for label, selection in asks:
        asked = select_rows(frame, regions, **selection).drop("sources")
        times = _time(lambda a=asked: indicator_inputs(obs, countries, None, a), repeats)
        rows.append([label, f"{asked.height:,}", f"{median(times) * 1000:,.1f}",
                     f"{min(times) * 1000:,.1f}", repeats])
    times = _time(lambda: compute_indicators(obs, countries, with_inputs=True), 2)
    rows.append(["every row (compute_indicators(..., with_inputs=True))", f"{frame.height:,}",
                 f"{median(times) * 1000:,.1f}", f"{min(times) * 1000:,.1f}", 2])
    return rows


def run(sizes: tuple[int, ...] = SIZES) -> Result:
    from benchmarks.synthetic import synthetic_countries, synthetic_observations
    from indicators.compute import compute_indicators

    result = Result.of(
        "indicators", "2. Indicators: compute_indicators against one plain Polars group-by")
    rows = []
    points = []
    baseline_points = []
    real_rows, real_times = _bundled_times()
    real_ms = median(real_times) * 1000
    progress(f"indicators: bundled data ({real_rows:,} figures): {real_ms:.0f} ms")
    for countries in sizes:
        progress(f"indicators: generating {countries:,} countries × 50 years × 10 measures")
        obs = synthetic_observations(countries)
        country_frame = synthetic_countries(countries)
        repeats = REPEATS.get(countries, 3)
        if countries == sizes[0]:
            compute_indicators(obs, country_frame)  # warm-up (imports, first allocations)
            inputs_rows = _inputs_rows(obs, country_frame)
        progress(f"indicators: {obs.height:,} figures, {repeats} runs")
        sizes_out: list[int] = []
        times = _time(lambda obs=obs, c=country_frame, out=sizes_out: out.append(
            compute_indicators(obs, c).height), repeats)
        output_rows = sizes_out[0]
        base = _time(lambda obs=obs: _baseline(obs), max(repeats, 5))
        t, b = median(times), median(base)
        points.append((obs.height, t))
        baseline_points.append((obs.height, b))
        rows.append([f"{countries:,} × 50 × 10", f"{obs.height:,}", f"{output_rows:,}",
                     f"{t * 1000:,.0f}", f"{min(times) * 1000:,.0f}", f"{b * 1000:,.1f}",
                     f"{t / b:,.0f}×", f"{obs.height / t:,.0f}", repeats])
        progress(f"indicators: {countries:,} countries: median {t * 1000:,.0f} ms "
                 f"(baseline {b * 1000:.1f} ms)")
        del obs, country_frame
        gc.collect()
    rows.insert(0, ["bundled (real) data", f"{real_rows:,}", "", f"{real_ms:,.0f}",
                    f"{min(real_times) * 1000:,.0f}", "", "",
                    f"{real_rows / median(real_times):,.0f}", len(real_times)])
    result.tables.append((
        "compute_indicators, median of the runs (synthetic data; figures = rows in)",
        ["size (countries × years × measures)", "figures in", "indicator rows out",
         "median ms", "best ms", "group-by baseline ms", "ratio", "figures/s", "runs"],
        rows,
    ))
    result.tables.append((
        f"indicator_inputs at {sizes[0]:,} × 50 × 10: the inputs of the rows a report prints "
        "(median and best ms)",
        ["rows asked for", "rows", "median ms", "best ms", "runs"],
        inputs_rows,
    ))
    intercept, slope, exponent = fit([p[0] for p in points], [p[1] for p in points])
    result.data.update({"points": points, "baseline_points": baseline_points,
                        "slope_s_per_row": slope, "intercept_s": intercept, "exponent": exponent,
                        "bundled_ms": median(real_times) * 1000, "max_rss_mb": max_rss_mb()})
    first = points[0][1] * 1000
    result.goals.append((f"< {GOAL_MS:.0f} ms at {sizes[0]:,} × 50 × 10",
                         f"{first:,.0f} ms" + ("" if first < GOAL_MS else
                                               f", missed by {first - GOAL_MS:,.0f} ms "
                                               f"({first / GOAL_MS:.1f}× the goal)"),
                         first < GOAL_MS))
    result.goals.append(("grows linearly", f"time ∝ rows^{exponent:.2f}", exponent < 1.15))
    result.notes.append(
        f"Fitted line: {intercept * 1000:,.0f} ms + {slope * 1e8:,.1f} ms per 100,000 figures "
        f"(least squares over the three sizes); log-log exponent {exponent:.2f} (1.00 is "
        f"linear). Peak memory of the benchmark process: {max_rss_mb():,.0f} MB."
    )
    return result
