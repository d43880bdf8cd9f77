"""Run the benchmarks and write docs/performance.md with a plot.

    .venv/bin/python -m benchmarks                   # all seven (make bench), under 20 minutes
    .venv/bin/python -m benchmarks --only users      # one of them, run again: the others are
                                                     # kept from the last run, and the document
                                                     # says which ran when
    .venv/bin/python -m benchmarks --quick           # small sizes, to check the machinery
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from benchmarks import report
from benchmarks.common import Result, machine, progress

ORDER = ("import", "indicators", "pages", "browser", "users", "brief", "api")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", action="append", choices=ORDER,
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and few runs: checks the machinery, not the speed")
    parser.add_argument("--no-profiles", action="store_true")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite docs/performance.md from the last run's saved results")
    args = parser.parse_args(argv)
    if args.report_only:
        return _report_only()
    chosen = [k for k in ORDER if not args.only or k in args.only]
    started = time.monotonic()
    before = machine()
    progress(f"machine: {before['cores']} cores, {before['memory_gb']} GB, "
             f"load {before['load_average']}; running {', '.join(chosen)}")
    results: dict[str, Result] = {}
    hot_spots: dict[str, list[list[object]]] = {}
    for key in chosen:
        t0 = time.monotonic()
        try:
            result = _run(key, args.quick)
        except Exception as exc:  # noqa: BLE001 - one failure must not lose the others
            traceback.print_exc()
            result = Result(key=key, title=f"{ORDER.index(key) + 1}. {key}", command="",
                            error=f"{type(exc).__name__}: {exc}"[:400])
        result.seconds = time.monotonic() - t0
        results[key] = result
        progress(f"{key} done in {result.seconds:.0f} s")
        if not args.no_profiles:
            try:
                hot_spots.update(_profile(key, args.quick))
            except Exception as exc:  # noqa: BLE001
                progress(f"profile for {key} failed: {exc}")
    after = machine()
    rerun, ran_at = None, {}
    if args.only and not args.quick:
        results, hot_spots, rerun, ran_at = _with_the_last_run(results, hot_spots, before)
    _save(results, before, after, hot_spots, time.monotonic() - started, ran_at)
    plot_path = report.plot(results) if any(
        k in results for k in ("import", "indicators", "users")) else None
    path = report.write(results, before, after, hot_spots, time.monotonic() - started,
                        plot_path=plot_path, rerun=rerun)
    progress(f"wrote {path} in {(time.monotonic() - started) / 60:.1f} minutes")
    return 0 if all(r.error is None for r in results.values()) else 1


def _save(results: dict[str, Result], before: dict, after: dict,
          hot_spots: dict[str, list[list[object]]], seconds: float,
          ran_at: dict[str, str]) -> None:
    """The raw results beside the report (git-ignored artifacts), for --report-only, with when
    each ran (``ran_at``: the kept ones' dates; the others ran now)."""
    import dataclasses
    import json

    from benchmarks.common import ROOT

    path = ROOT / "tests" / "artifacts" / "bench-results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "results": {k: dataclasses.asdict(r) for k, r in results.items()},
        "before": before, "after": after, "hot_spots": hot_spots, "seconds": seconds,
        "ran_at": {k: ran_at.get(k, time.strftime("%Y-%m-%d %H:%M")) for k in results},
    }, default=str, indent=1))


def _with_the_last_run(results: dict[str, Result], hot_spots: dict[str, list[list[object]]],
                       machine_now: dict
                       ) -> tuple[dict[str, Result], dict, str | None, dict[str, str]]:
    """The benchmarks just run laid over the last run's saved results (the others kept), a
    sentence saying which ran when, and when each kept one ran; the results as they are when
    no run was saved."""
    import datetime as dt
    import json

    from benchmarks.common import ROOT

    path = ROOT / "tests" / "artifacts" / "bench-results.json"
    if not path.exists():
        return results, hot_spots, None, {}
    saved = json.loads(path.read_text())
    kept = {k: Result(**r) for k, r in saved["results"].items() if k not in results}
    if not kept:
        return results, hot_spots, None, {}
    merged = {k: results.get(k) or kept[k] for k in ORDER if k in results or k in kept}
    file_time = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    ran_at = saved.get("ran_at") or {}
    older: dict[str, list[str]] = {}
    for key in kept:
        older.setdefault(ran_at.get(key, file_time), []).append(f"{ORDER.index(key) + 1}")
    ran = ", ".join(f"{ORDER.index(k) + 1}. {k}" for k in results)
    load = ", ".join(f"{x:.1f}" for x in machine_now["load_average"])
    kept_words = "; ".join(f"{', '.join(keys)} from the run of {when}"
                           for when, keys in sorted(older.items()))
    sentence = (f"This run measured only {ran} (load average at its start {load}); the other "
                f"benchmarks are kept: {kept_words}.")
    kept_at = {k: ran_at.get(k, file_time) for k in kept}
    return merged, {**saved.get("hot_spots", {}), **hot_spots}, sentence, kept_at


def _report_only() -> int:
    import json

    from benchmarks.common import ROOT

    saved_at = ROOT / "tests" / "artifacts" / "bench-results.json"
    if not saved_at.exists():
        print(f"There are no saved results to report ({saved_at} is made by a run of "
              "`make bench`): run `make bench` first.", file=sys.stderr)
        return 1
    saved = json.loads(saved_at.read_text())
    results = {k: Result(**r) for k, r in saved["results"].items()}
    plot_path = report.plot(results)
    path = report.write(results, saved["before"], saved["after"], saved["hot_spots"],
                        saved["seconds"], plot_path=plot_path)
    progress(f"rewrote {path} from the saved results")
    return 0


def _run(key: str, quick: bool) -> Result:
    if key == "import":
        from benchmarks import bench_import

        return bench_import.run((2_000, 20_000) if quick else bench_import.SIZES)
    if key == "indicators":
        from benchmarks import bench_indicators

        return bench_indicators.run((50, 500) if quick else bench_indicators.SIZES)
    if key == "pages":
        from benchmarks import bench_pages

        return bench_pages.run(2 if quick else bench_pages.REPEATS)
    if key == "browser":
        from benchmarks import bench_browser

        return bench_browser.run(2 if quick else bench_browser.RUNS)
    if key == "api":
        from benchmarks import bench_api

        return bench_api.run(3.0, 10) if quick else bench_api.run()
    if key == "brief":
        from benchmarks import bench_brief

        return bench_brief.run(2, 1) if quick else bench_brief.run()
    from benchmarks import bench_users

    if quick:
        return bench_users.run((1, 3), duration=8.0)
    return bench_users.run()


INTERACTION_PROFILE = (
    "Interaction: a new Compare selection (three countries and the world, conviction rate), "
    "the server's work stage by stage, each timed on its own over 40 selections never asked "
    "before (ms); before: the same code on main at c60fd50, 2026-12-07, before the charts were "
    "assembled as plain data. Since 2026-12-08 the page sends the drafts' dicts (the figure is "
    "made at an export) and a chart's CSV is made at the click; the rest of benchmark 5's "
    "one-user server time is Streamlit's own (the fragments' rerun, the elements, the "
    "messages)")


def _profile(key: str, quick: bool) -> dict[str, list[list[object]]]:
    from benchmarks import profiles

    if key == "import":
        rows = 10_000 if quick else 100_000
        return {f"Import: cProfile of prepare() on {rows:,} synthetic rows (library functions "
                "by cumulative time)": profiles.import_profile(rows)}
    if key == "indicators":
        return {"Indicators: compute_indicators stages at 250 × 50 × 10, each collected on its "
                "own": profiles.indicator_stages()}
    if key == "pages":
        return {"Pages: cProfile of one warm run of the Compare page (project functions by "
                "cumulative time)": profiles.page_profile()}
    if key == "users":
        return {INTERACTION_PROFILE: profiles.interaction_stages(10 if quick else 40)}
    return {}


if __name__ == "__main__":
    raise SystemExit(main())
