"""The `indicators` command: build the database, report, export and import figures."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from indicators import report as report_module
from indicators.problems import ImportRejected
from indicators.settings import DEFAULT_BASELINE_YEAR, IndicatorSettings, db_path
from indicators.store import Store, StoreError


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help="database file (default: $INDICATORS_DB, else data/indicators.duckdb)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="indicators",
        description="Anti-Trafficking Indicators: the five indicators of success of "
        "Saif & Khan (2026) on published UNODC and Walk Free data.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="build or update the database from data/")
    _add_db(init)
    init.add_argument("--rebuild", action="store_true",
                      help="delete the database file first and build it anew from data/")

    report = sub.add_parser("report", help="print indicator rows")
    _add_db(report)
    scope = report.add_mutually_exclusive_group()
    scope.add_argument("--country", metavar="ISO3")
    scope.add_argument("--region", metavar="NAME")
    scope.add_argument("--world", action="store_true")
    report.add_argument("--indicator", choices=sorted(report_module.INDICATOR_KEYS))
    report.add_argument("--year", type=int)
    report.add_argument("--baseline", type=int, default=DEFAULT_BASELINE_YEAR)
    report.add_argument("--no-proxies", action="store_true")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")

    export = sub.add_parser("export", help="write current observations with their sources")
    _add_db(export)
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--out", required=True, type=Path)

    imp = sub.add_parser("import", help="validate a CSV of figures and commit it as a batch")
    _add_db(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--contributor", default=None)
    imp.add_argument("--organisation", default=None)
    imp.add_argument("--dry-run", action="store_true",
                     help="validate and show the diff, write nothing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            print(f"{problem.severity}: {problem.as_text()}", file=sys.stderr)
        print("Nothing was written; the database is unchanged.", file=sys.stderr)
        return 2
    except (StoreError, report_module.ReportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    if args.command == "init":
        return _init(path, rebuild=args.rebuild)
    if not path.exists():
        print(f"error: no database at {path}; run `indicators init` first.", file=sys.stderr)
        return 1
    if args.command == "report":
        return _report(path, args)
    if args.command == "export":
        return _export(path, args)
    if args.command == "import":
        return _import(path, args)
    return 1  # pragma: no cover - argparse rejects unknown commands


def _init(path: Path, *, rebuild: bool) -> int:
    from indicators.bundled import init_database

    if rebuild:
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
    with Store(path) as store:
        for item in init_database(store):
            if item.skipped:
                print(f"{item.file_name}: already loaded (batch {item.batch_id}), skipped")
            else:
                print(f"{item.file_name}: {item.figures} figures loaded as batch {item.batch_id}")
        print(f"{store.observation_count()} current figures in {path}")
    return 0


def _report(path: Path, args: argparse.Namespace) -> int:
    settings = IndicatorSettings(baseline_year=args.baseline, use_proxies=not args.no_proxies)
    with Store(path, read_only=True) as store:
        rows = report_module.indicator_report(
            store,
            settings,
            country=args.country,
            region=args.region,
            world=args.world,
            year=args.year,
            indicator=args.indicator,
        )
    if args.format == "json":
        print(json.dumps(report_module.to_records(rows), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(report_module.to_csv(rows))
    else:
        print(report_module.to_table(rows))
    return 0


def _export(path: Path, args: argparse.Namespace) -> int:
    from indicators.export import observations_for_export, write_safe_csv

    with Store(path, read_only=True) as store:
        frame = observations_for_export(store.observations(), store.sources())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "parquet":
        frame.write_parquet(args.out)
    else:
        write_safe_csv(frame, args.out)
    print(f"{frame.height} figures written to {args.out}")
    return 0


def _import(path: Path, args: argparse.Namespace) -> int:
    from indicators.upload.pipeline import commit, prepare

    data = args.file.read_bytes()
    with Store(path) as store:
        prepared = prepare(data, args.file.name, store)
        for warning in prepared.warnings:
            print(f"warning: {warning.as_text()}", file=sys.stderr)
        counts = prepared.counts
        print(f"{args.file.name}: {counts['new']} new, {counts['changed']} changed, "
              f"{counts['unchanged']} unchanged figures")
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        batch_id = commit(prepared, store, kind="cli", contributor=args.contributor,
                          organisation=args.organisation)
        print(f"Committed as batch {batch_id}.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
