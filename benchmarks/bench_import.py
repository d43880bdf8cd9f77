"""Benchmark 1: import 10k / 100k / 1M synthetic rows through the real pipeline vs DuckDB, and
the same pipeline into PostgreSQL.

The pipeline is `indicators.upload.pipeline.prepare` + `commit`, exactly as the Upload page and
`indicators import` call them. The baseline, in the same run, is DuckDB's own `read_csv` into a
table plus the same checks written as SQL (country known, four-digit year in range, known
measure, number or '<5', a source, no repeated country-year-measure), the diff against the
current figures and the insert, in one transaction. Each size and each side runs in its own
child process, so the peak memory (ru_maxrss) is that import's alone. The pipeline also runs
into a PostgreSQL server started for the benchmark (its default, durable settings), side by
side with the DuckDB file.

Run one side by hand: python -m benchmarks.bench_import --worker pipeline --csv F --db D
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, max_rss_mb, progress, run_worker
from benchmarks.synthetic import (
    UPLOAD_MEASURES,
    synthetic_iso3_codes,
    synthetic_upload_csv,
    upload_countries_needed,
)

SIZES = (10_000, 100_000, 1_000_000)
GOAL_RATIO = 1.5
TIMEOUT = 900.0


def _codes(rows: int) -> list[str]:
    from indicators.countries import country_table

    taken = set(country_table()["iso3"].to_list())
    return synthetic_iso3_codes(upload_countries_needed(rows), taken)


def _seed_store(path: Path | str, codes: list[str]) -> None:
    """An empty store that knows the synthetic countries (by their code as alias)."""
    import polars as pl

    from indicators.bundled import measures_frame
    from indicators.store import Store

    countries = pl.DataFrame(
        {
            "iso3": codes,
            "name": [f"Synthetic country {c}" for c in codes],
            "region": [("Africa", "Americas", "Asia", "Europe", "Oceania")[i % 5]
                       for i in range(len(codes))],
            "subregion": [None] * len(codes),
            "aliases": [[c.lower(), f"synthetic country {c.lower()}"] for c in codes],
        },
        schema_overrides={"subregion": pl.String, "aliases": pl.List(pl.String)},
    )
    with Store(path) as store:
        store.upsert_countries(countries)
        store.upsert_measures(measures_frame())


# -- the two sides, each in a child process ----------------------------------------------------
def _pipeline(csv: Path, db: str) -> dict[str, object]:
    from indicators.store import Store
    from indicators.upload.pipeline import commit, prepare

    data = csv.read_bytes()
    stages: dict[str, float] = {}
    start = time.perf_counter()
    with Store(db) as store:
        opened = time.perf_counter()
        prepared = prepare(data, csv.name, store, limit_bytes=len(data) + 1,
                           stage_seconds=stages)
        prepared_at = time.perf_counter()
        batch = commit(prepared, store, kind="cli", contributor="benchmark",
                       organisation="synthetic")
        committed = time.perf_counter()
        stored = store.observation_count()
    return {
        "seconds": committed - start,
        "open_s": opened - start,
        "prepare_s": prepared_at - opened,
        "commit_s": committed - prepared_at,
        "batch": batch,
        "stored": stored,
        "warnings": len(prepared.warnings),
        "stages": stages,
    }


BASELINE_STATEMENTS = [
    # The file, every cell as text, with its spreadsheet row number.
    """CREATE TEMP TABLE raw AS
       SELECT row_number() OVER () + 1 AS _row, *
       FROM read_csv(?, all_varchar = true, header = true)""",
    # Each distinct country, measure and source text resolved once.
    """CREATE TEMP TABLE country_map AS
       SELECT r.country, a.iso3 FROM (SELECT DISTINCT country FROM raw) r
       LEFT JOIN (SELECT DISTINCT lower(trim(alias)) AS alias, iso3
                  FROM countries, unnest(aliases) AS t(alias)) a
         ON a.alias = lower(trim(r.country))""",
    """CREATE TEMP TABLE measure_map AS
       SELECT measure AS measure_text,
              lower(regexp_replace(trim(measure), '[\\s_]+', '_', 'g')) AS measure
       FROM (SELECT DISTINCT measure FROM raw)""",
    """CREATE TEMP TABLE source_map AS
       SELECT source, 'contrib_' || left(sha256(trim(source)), 12) AS source_id
       FROM (SELECT DISTINCT source FROM raw)""",
    """CREATE TEMP TABLE typed AS
       SELECT r._row, c.iso3, r.year AS year_text, TRY_CAST(r.year AS INTEGER) AS year,
              m.measure,
              CASE WHEN replace(trim(r.value), ' ', '') = '<5' THEN 'suppressed'
                   ELSE 'reported' END AS value_status,
              CASE WHEN replace(trim(r.value), ' ', '') = '<5' THEN NULL
                   ELSE TRY_CAST(replace(trim(r.value), ',', '') AS DOUBLE) END AS value,
              trim(r.source) AS source, s.source_id
       FROM raw r
       LEFT JOIN country_map c ON c.country IS NOT DISTINCT FROM r.country
       LEFT JOIN measure_map m ON m.measure_text IS NOT DISTINCT FROM r.measure
       LEFT JOIN source_map s ON s.source IS NOT DISTINCT FROM r.source""",
]

BASELINE_PROBLEMS = """
SELECT (SELECT count(*) FROM typed WHERE
            iso3 IS NULL
            OR NOT regexp_full_match(trim(year_text), '\\d{4}') OR year < 1990 OR year > ?
            OR measure NOT IN (SELECT unnest(?::VARCHAR[]))
            OR (value_status = 'reported' AND (value IS NULL OR value < 0))
            OR coalesce(source, '') = '')
     + (SELECT count(*) FROM (SELECT iso3, year, measure FROM typed
                              GROUP BY ALL HAVING count(*) > 1))
"""

BASELINE_COMMIT = """
CREATE TEMP TABLE diffed AS
    SELECT t.*, c.iso3 IS NULL AS is_new,
           c.iso3 IS NOT NULL AND c.value IS NOT DISTINCT FROM t.value
               AND c.value_status = t.value_status AS unchanged
    FROM typed t LEFT JOIN current_observations c
      ON c.iso3 = t.iso3 AND c.year = t.year AND c.measure = t.measure;
"""


def _baseline(csv: Path, db: str) -> dict[str, object]:
    import duckdb

    start = time.perf_counter()
    conn = duckdb.connect(str(db))
    opened = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    conn.execute(BASELINE_STATEMENTS[0], [str(csv)])
    for statement in BASELINE_STATEMENTS[1:]:
        conn.execute(statement)
    problems = conn.execute(
        BASELINE_PROBLEMS, [dt.date.today().year, list(UPLOAD_MEASURES) + ["data_sharing_active"]]
    ).fetchone()[0]
    checked = time.perf_counter()
    if problems:
        conn.execute("ROLLBACK")
        raise RuntimeError(f"baseline found {problems} problems in synthetic data")
    conn.execute(
        """INSERT OR IGNORE INTO sources (id, publisher, title, citation)
           SELECT source_id, left(trim(source), 200), trim(source), trim(source)
           FROM source_map""")
    conn.execute(BASELINE_COMMIT)
    counts = conn.execute("SELECT count(*) FILTER (is_new), count(*) FILTER (NOT unchanged) "
                          "FROM diffed").fetchone()
    batch = conn.execute(
        "INSERT INTO batches (kind, file_name, created_at, rows_in_file, rows_new, rows_changed,"
        " rows_unchanged, status) VALUES ('cli', ?, now()::TIMESTAMP, ?, ?, ?, 0, 'committed')"
        " RETURNING id", [csv.name, counts[1], counts[0], counts[1] - counts[0]]
    ).fetchone()[0]
    conn.execute(
        """INSERT INTO observations
           SELECT ?, iso3, year, measure, value, value_status,
                  CASE WHEN value_status = 'suppressed' THEN 1.0 ELSE value END,
                  CASE WHEN value_status = 'suppressed' THEN 4.0 ELSE value END,
                  source_id, NULL
           FROM diffed WHERE NOT unchanged""", [batch])
    conn.execute("COMMIT")
    committed = time.perf_counter()
    stored = conn.execute("SELECT count(*) FROM current_observations").fetchone()[0]
    conn.close()
    return {
        "seconds": committed - start,
        "open_s": opened - start,
        "prepare_s": checked - opened,
        "commit_s": committed - checked,
        "batch": batch,
        "stored": stored,
        "warnings": 0,
    }


def worker_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("pipeline", "baseline"), required=True)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--db", required=True, help="a DuckDB file or a postgresql:// URL")
    args = parser.parse_args(argv)
    import duckdb  # noqa: F401 - imported before the clock and the memory baseline
    import polars  # noqa: F401

    import indicators.upload.pipeline  # noqa: F401

    if args.worker == "pipeline":
        # Pandera loads its Polars backend on the first validation (and, with it, Hypothesis
        # when the test tools are installed: a quarter of a second). That is library loading,
        # done before the clock like the imports above; a long-running server pays it once.
        from indicators.schema import empty_long_frame
        from indicators.validate import validate_long

        validate_long(empty_long_frame(), "warm-up.csv")
    base_rss = max_rss_mb()
    result = (_pipeline if args.worker == "pipeline" else _baseline)(args.csv, args.db)
    result["max_rss_mb"] = max_rss_mb()
    result["rss_after_imports_mb"] = base_rss
    print(json.dumps(result))


# -- the benchmark -----------------------------------------------------------------------------
def run(sizes: tuple[int, ...] = SIZES) -> Result:
    result = Result.of(
        "import", "1. Import: the real pipeline against DuckDB read_csv + SQL checks")
    from benchmarks.postgres import TempPostgres

    rows_out = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    server = TempPostgres(durable=True).start()
    try:
        codes = _codes(max(sizes))
        template = workdir / "template.duckdb"
        _seed_store(template, codes)
        _seed_store(server.create("seeded"), codes)
        measured: dict[int, dict[str, dict[str, object]]] = {}
        for size in sizes:
            csv = workdir / f"synthetic_{size}.csv"
            csv.write_bytes(synthetic_upload_csv(size, codes))
            measured[size] = {}
            for side in ("baseline", "pipeline", "postgresql"):
                if side == "postgresql":
                    target = server.url(f"import_{size}")
                    server.psql(f'CREATE DATABASE "import_{size}" TEMPLATE "seeded"')
                else:
                    db = workdir / f"{side}_{size}.duckdb"
                    shutil.copyfile(template, db)
                    target = str(db)
                worker = "baseline" if side == "baseline" else "pipeline"
                progress(f"import: {side}, {size:,} rows ({csv.stat().st_size / 1e6:.0f} MB)")
                try:
                    out = run_worker("benchmarks.bench_import",
                                     ["--worker", worker, "--csv", str(csv), "--db", target],
                                     timeout=TIMEOUT)
                except Exception as exc:  # noqa: BLE001 - reported, not hidden
                    out = {"error": str(exc).splitlines()[0][:300]}
                measured[size][side] = out
                if side == "postgresql":
                    server.psql(f'DROP DATABASE "import_{size}"')
                else:
                    db.unlink(missing_ok=True)
                progress(f"import: {side}, {size:,} rows: "
                         + (f"{out['seconds']:.2f} s" if "seconds" in out else out["error"]))
            csv.unlink()
            pipe, base = measured[size]["pipeline"], measured[size]["baseline"]
            server_side = measured[size]["postgresql"]
            ratio = (pipe["seconds"] / base["seconds"]
                     if "seconds" in pipe and "seconds" in base else None)
            rows_out.append([
                f"{size:,}",
                _rate(size, pipe), _secs(pipe), _mem(pipe),
                _rate(size, base), _secs(base), _mem(base),
                f"{ratio:.1f}×" if ratio else "n/a",
                _phases(pipe),
                _secs(server_side), _phases(server_side),
            ])
        result.tables.append((
            "Import, synthetic long-template CSV into an empty store (all figures new)",
            ["rows", "pipeline rows/s", "pipeline s", "pipeline peak MB", "DuckDB rows/s",
             "DuckDB s", "DuckDB peak MB", "ratio", "pipeline open / prepare / commit s",
             "pipeline into PostgreSQL s", "PostgreSQL open / prepare / commit s"],
            rows_out,
        ))
        result.tables.append((
            "Where the pipeline's seconds go, stage by stage (prepare's stages, then the commit)",
            ["rows", *STAGES, "commit", "DuckDB read + checks", "DuckDB diff + insert"],
            [_stage_row(size, measured[size]) for size in sizes],
        ))
        result.data["measured"] = {str(k): v for k, v in measured.items()}
        largest = measured[max(sizes)]
        if "seconds" in largest["pipeline"] and "seconds" in largest["baseline"]:
            ratio = largest["pipeline"]["seconds"] / largest["baseline"]["seconds"]
            result.goals.append((f"ratio ≤ {GOAL_RATIO} at {max(sizes):,} rows",
                                 f"{ratio:.2f}×" + ("" if ratio <= GOAL_RATIO else
                                                    f", missed by {ratio - GOAL_RATIO:.1f}"),
                                 ratio <= GOAL_RATIO))
            result.goals.append((f"peak memory reported at {max(sizes):,} rows",
                                 f"{largest['pipeline'].get('max_rss_mb', float('nan')):,.0f} MB "
                                 f"(DuckDB baseline "
                                 f"{largest['baseline'].get('max_rss_mb', float('nan')):,.0f} MB)",
                                 None))
        else:
            result.goals.append((f"ratio ≤ {GOAL_RATIO} at {max(sizes):,} rows",
                                 "did not finish", False))
        result.notes.append(
            "Peak MB is the child process's ru_maxrss: Python, Polars and DuckDB loaded plus the "
            "import (about "
            f"{_first(measured, 'rss_after_imports_mb'):.0f} MB of it is the libraries alone). "
            "Times start after the libraries are imported and end when the batch is committed."
        )
    finally:
        server.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _first(measured: dict, key: str) -> float:
    for sides in measured.values():
        for out in sides.values():
            if key in out:
                return float(out[key])
    return float("nan")


def _rate(size: int, out: dict) -> str:
    return f"{size / out['seconds']:,.0f}" if "seconds" in out else "failed"


def _secs(out: dict) -> str:
    return f"{out['seconds']:.2f}" if "seconds" in out else out.get("error", "failed")


def _mem(out: dict) -> str:
    return f"{out['max_rss_mb']:.0f}" if "max_rss_mb" in out else "n/a"


STAGES = ("read", "shape", "duplicates", "validate", "plausibility", "diff")


def _stage_row(size: int, sides: dict[str, dict]) -> list[object]:
    pipe, base = sides["pipeline"], sides["baseline"]
    stages = pipe.get("stages") or {}
    return [
        f"{size:,}",
        *(f"{stages[name]:.2f}" if name in stages else "n/a" for name in STAGES),
        f"{pipe['commit_s']:.2f}" if "commit_s" in pipe else "n/a",
        f"{base['prepare_s']:.2f}" if "prepare_s" in base else "n/a",
        f"{base['commit_s']:.2f}" if "commit_s" in base else "n/a",
    ]


def _phases(out: dict) -> str:
    if "seconds" not in out:
        return "n/a"
    return f"{out['open_s']:.2f} / {out['prepare_s']:.2f} / {out['commit_s']:.2f}"


if __name__ == "__main__":
    worker_main()
