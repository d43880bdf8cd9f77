"""The `indicators` command: build the database, report, export and import figures."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from indicators import report as report_module
from indicators.problems import ImportRejected
from indicators.settings import DEFAULT_BASELINE_YEAR, IndicatorSettings, database_target
from indicators.store import AlreadyCommitted, Store, StoreError, is_server_url

if TYPE_CHECKING:
    from indicators import auth


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help="database: a DuckDB file or a postgresql:// URL (default: $INDICATORS_DB, else "
        "data/indicators.duckdb)",
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
    scope.add_argument("--country", metavar="ISO3", help="one country, by ISO3 code (e.g. GBR)")
    scope.add_argument("--region", metavar="NAME",
                       help="one UN M49 region (Africa, Americas, Asia, Europe, Oceania) or "
                       "subregion ('Western Africa', 'South-eastern Asia', …)")
    scope.add_argument("--world", action="store_true", help="the world (the default)")
    report.add_argument("--indicator", choices=sorted(report_module.INDICATOR_KEYS),
                        help="one indicator (default: all five)")
    report.add_argument("--year", type=int, help="one year (default: every year)")
    report.add_argument("--baseline", type=int, default=DEFAULT_BASELINE_YEAR,
                        help="baseline year for trends and indicator 2 (default: %(default)s)")
    report.add_argument("--no-proxies", action="store_true",
                        help="no stand-ins for indicators 2 and 3: gaps stay no data")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="table for reading, csv or json for tools (default: table)")

    export = sub.add_parser("export", help="write current observations with their sources")
    _add_db(export)
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--out", required=True, type=Path)

    imp = sub.add_parser(
        "import", help="validate an organisation's file of figures and submit it for review "
        "(published once a reviewer who is not the uploader approves it)")
    _add_db(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--organisation", default=None, metavar="ORG",
                     help="the organisation whose figures these are (required)")
    imp.add_argument("--contributor", default=None, metavar="NAME",
                     help="the person submitting the file (required)")
    imp.add_argument("--dry-run", action="store_true",
                     help="validate and show the diff, write nothing")

    review = sub.add_parser(
        "review", help="batches awaiting review: list them, approve, reject, adopt corrections")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    review_list = review_sub.add_parser("list", help="the batches awaiting review")
    _add_db(review_list)
    approve = review_sub.add_parser("approve", help="publish a submitted batch")
    approve.add_argument("batch_id", type=int, metavar="N")
    approve.add_argument("--reviewer", required=True, metavar="NAME")
    approve.add_argument("--note", default=None)
    _add_db(approve)
    reject = review_sub.add_parser("reject", help="refuse a submitted batch, with a reason")
    reject.add_argument("batch_id", type=int, metavar="N")
    reject.add_argument("--reviewer", required=True, metavar="NAME")
    reject.add_argument("--reason", required=True, metavar="TEXT")
    _add_db(reject)
    adopt = review_sub.add_parser(
        "adopt", help="make a published contributed figure the value the indicators use in "
        "place of the official one (a correction)")
    adopt.add_argument("batch_id", type=int, metavar="N")
    adopt.add_argument("--country", required=True, metavar="ISO3")
    adopt.add_argument("--year", required=True, type=int)
    adopt.add_argument("--measure", required=True)
    adopt.add_argument("--reviewer", required=True, metavar="NAME")
    adopt.add_argument("--reason", required=True, metavar="TEXT")
    _add_db(adopt)

    history = sub.add_parser("history", help="list import batches, or what one batch changed")
    _add_db(history)
    history.add_argument("--batch", type=int, default=None, metavar="BATCH_ID",
                         help="show the figures this batch wrote and the values they replaced")
    history.add_argument("--format", choices=("table", "csv"), default="table")

    rollback = sub.add_parser(
        "rollback", help="withdraw a batch: the figures it replaced come back (nothing deleted)")
    _add_db(rollback)
    rollback.add_argument("batch_id", type=int, metavar="BATCH_ID")
    rollback.add_argument("--contributor", default=None)
    rollback.add_argument("--organisation", default=None)

    token = sub.add_parser("token", help="sign-in tokens for the Upload and History pages")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    token_new = token_sub.add_parser(
        "new", help="make a token: stores its digest in the database and prints the token once")
    token_new.add_argument("name", metavar="NAME",
                           help="who holds it: an organisation, or a person")
    token_new.add_argument("--role", choices=("contributor", "reviewer", "administrator"),
                           default="contributor",
                           help="contributor (submits figures for an organisation; the "
                           "default), reviewer (approves or rejects others' batches) or "
                           "administrator (also rolls back any batch)")
    token_new.add_argument("--organisation", metavar="ORG",
                           help="the organisation its batches are recorded under (a "
                           "contributor's default: NAME)")
    token_new.add_argument("--countries", metavar="ISO3,ISO3",
                           help="a contributor may submit figures for these countries only "
                           "(default: any)")
    _add_db(token_new)
    token_list = token_sub.add_parser(
        "list", help="the tokens in the database: name, role, organisation, countries")
    _add_db(token_list)
    token_remove = token_sub.add_parser("remove", help="withdraw a token, by its name")
    token_remove.add_argument("name", metavar="NAME")
    _add_db(token_remove)

    backup = sub.add_parser(
        "backup", help="export the whole database (Parquet) with a manifest of checksums")
    _add_db(backup)
    backup.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="a new directory for the backup")

    brief = sub.add_parser(
        "brief", help="a country's or the world's brief as an A4 PDF (cards, charts, sources)")
    _add_db(brief)
    brief_scope = brief.add_mutually_exclusive_group(required=True)
    brief_scope.add_argument("--country", metavar="ISO3", help="one country, by ISO3 code")
    brief_scope.add_argument("--world", action="store_true", help="the world and its regions")
    brief.add_argument("--year", type=int, default=None,
                       help="the year the cards show (default: each indicator's latest year "
                       "with enough figures)")
    brief.add_argument("--baseline", type=int, default=DEFAULT_BASELINE_YEAR,
                       help="baseline year for trends and indicator 2 (default: %(default)s)")
    brief.add_argument("--no-proxies", action="store_true",
                       help="no stand-ins for indicators 2 and 3: gaps stay no data")
    brief.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    brief.add_argument("--lang", default="en", metavar="LANG",
                       help="the brief's language: en (the default), fr or es")

    restore = sub.add_parser(
        "restore", help="verify a backup and replace the database with it (atomically)")
    _add_db(restore)
    restore.add_argument("backup_dir", type=Path, metavar="DIR")

    # The catalogue names the published families without importing their readers (which
    # bring pandera: a second on a cold start of every command).
    from indicators.catalogue import PUBLISHED

    source = sub.add_parser("source", help="published sources: load a new release, list them")
    source_sub = source.add_subparsers(dest="source_command", required=True)
    load = source_sub.add_parser(
        "load", help="load a release of a published source as its own batch, and print what it "
        "revised (new, revised, withdrawn, unchanged figures)")
    _add_db(load)
    load.add_argument("family", choices=sorted(PUBLISHED), metavar="SOURCE",
                      help="one of: " + ", ".join(sorted(PUBLISHED)))
    load.add_argument("file", type=Path)
    load.add_argument("--release", default=None, metavar="LABEL",
                      help="the release's name, e.g. 2024 or 2024-06-30 (default: the date in "
                      "the file, or a year or date in its name)")
    load.add_argument("--dry-run", action="store_true",
                      help="print the revision report, write nothing")
    load.add_argument("--largest", type=int, default=10, metavar="N",
                      help="how many of the largest revisions to list (default: %(default)s)")
    listing = source_sub.add_parser("list", help="every loaded release and its batches")
    _add_db(listing)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Every failure reaches the person as one sentence below; the connection pool's own
    # retries are not theirs to read.
    logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
    logging.getLogger("psycopg.pool").propagate = False
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
    target = database_target(args.db)
    if args.command == "init":
        return _init(target, rebuild=args.rebuild)
    if args.command == "restore":
        return _restore(target, args.backup_dir)
    if args.command == "source" and args.source_command == "load":
        if not args.file.is_file():
            print(f"error: no file at {args.file}", file=sys.stderr)
            return 1
    if not is_server_url(target) and not Path(target).exists():
        print(f"error: no database at {target}; run `indicators init` first.", file=sys.stderr)
        return 1
    if args.command == "backup":
        return _backup(target, args.out)
    if args.command == "source" and args.source_command != "load":
        return _source_list(target)
    command = {
        "token": _token, "report": _report, "export": _export, "import": _import,
        "review": _review, "history": _history, "rollback": _rollback, "brief": _brief,
        "source": _source_load,
    }.get(args.command)
    if command is None:  # pragma: no cover - argparse rejects unknown commands
        return 1
    return command(target, args)


def _brief(path: str, args: argparse.Namespace) -> int:
    """Write a brief; every failure a user can meet is one sentence and exit code 1."""
    import threading
    import time

    from indicators import i18n

    lang = args.lang.strip().lower()
    if lang not in i18n.LANGUAGES:
        print(f"error: no brief in the language '{args.lang}': use en, fr or es.",
              file=sys.stderr)
        return 2
    out: Path = args.out
    problem = _unwritable(out)
    if problem:
        print(f"error: cannot write the brief to {out}: {problem}", file=sys.stderr)
        return 1
    started = time.monotonic()
    # The export browser takes seconds to start: start it first (its own imports too), while
    # the rest is imported and the data are read.
    warming = threading.Thread(target=_start_quietly, args=(_warm_export_browser,),
                               daemon=True)
    warming.start()
    from indicators import brief, figure_export

    settings = IndicatorSettings(baseline_year=args.baseline, use_proxies=not args.no_proxies)
    try:
        with Store(path, read_only=True) as store:
            snapshot = store.snapshot()  # every figure read once, in one consistent read
        if args.country:
            brief.country_code(snapshot.countries, args.country)
        inputs = {"frame": report_module.indicator_frame_from(
                      snapshot.observations, snapshot.countries, settings),
                  "observations": snapshot.observations, "countries": snapshot.countries,
                  "sources": snapshot.sources, "settings": settings, "year": args.year,
                  "lang": lang}
        made = (brief.world_brief(**inputs) if args.world
                else brief.country_brief(args.country, **inputs))
        pdf = brief.render(made)
    except (brief.BriefError, figure_export.ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:  # close the browser now, not in the interpreter's shutdown
        warming.join()
        figure_export.stop_exporter()
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        print(f"error: cannot write the brief to {out}: {exc.strerror or exc}.",
              file=sys.stderr)
        return 1
    print(f"{made.title}: brief written to {out} ({len(pdf) // 1024} KB, "
          f"{time.monotonic() - started:.1f} s).")
    return 0


def _warm_export_browser() -> None:
    from indicators import figure_export

    figure_export.warm_up()


def _start_quietly(start: Callable[[], None]) -> None:
    """Run ``start`` and forget a failure: the export itself reports it in plain words."""
    try:
        start()
    except Exception:  # noqa: BLE001, S110 - reported again, in words, by the export
        pass


def _unwritable(out: Path) -> str | None:
    """Why ``out`` cannot take a file, in words, or None (checked before minutes of work)."""
    import os

    if out.is_dir():
        return "that is a directory; give a file name such as brief.pdf."
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return f"the folder {parent} does not exist."
    if not os.access(parent, os.W_OK):
        return f"the folder {parent} is not writable."
    return None


def _backup(path: str, out: Path) -> int:
    from indicators.backup import backup

    made = backup(path, out)
    print(f"Backed up {made.figures} current figures ({len(made.tables)} tables, {made.files} "
          f"files) to {made.directory}; restore with `indicators restore {made.directory}`.")
    return 0


def _restore(target: str, backup_dir: Path) -> int:
    from indicators.backup import restore

    if not backup_dir.is_dir():
        print(f"error: no backup directory at {backup_dir}", file=sys.stderr)
        return 1
    done = restore(backup_dir, target)
    kept = None if is_server_url(target) else Path(target).with_name(
        Path(target).name + ".before-restore")
    with Store(target, read_only=True) as store:
        where = store.location
    print(f"Restored {done.figures} current figures into {where}; every table matches the "
          "backup's checksums." + (f" The previous file is kept as {kept}."
                                   if kept is not None and kept.exists() else ""))
    return 0


def _init(target: str, *, rebuild: bool) -> int:
    from indicators.bundled import init_database

    if rebuild:
        if is_server_url(target):
            print("error: --rebuild deletes a database file; on a server, restore a backup "
                  "instead (`indicators restore DIR`).", file=sys.stderr)
            return 1
        path = Path(target)
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
    with Store(target) as store:
        for item in init_database(store):
            name = f"{item.file_name} ({item.source_id})"
            if item.reason == "superseded":
                print(f"{name}: a later release of this source is loaded; this one was not "
                      "laid over it")
            elif item.skipped:
                print(f"{name}: already loaded, skipped")
            else:
                print(f"{name}: {item.figures} figures loaded as batch {item.batch_id}")
        print(f"{store.observation_count()} current figures in {store.location}")
    return 0


def _source_load(path: str, args: argparse.Namespace) -> int:
    from indicators.bundled import FAMILIES, load_release
    from indicators.releases import revision_lines

    family = FAMILIES[args.family]
    with Store(path) as store:
        result = load_release(store, family, args.file, label=args.release,
                              dry_run=args.dry_run)
    if result.status == "already_loaded":
        print(f"{args.file.name}: this exact file is already loaded (batch {result.batch_id}); "
              "nothing was written.")
        return 0
    print(f"{args.file.name}: {family.name}, release '{result.source.id}' "
          f"({result.source.edition}), {result.figures:,} figures.")
    for note in result.notes:
        print(f"  {note}")
    if result.report is not None:
        print()
        for line in revision_lines(result.report, args.largest):
            print(line)
        print()
    if result.status == "no_change":
        print("Every figure of this release is already in the database; nothing was written.")
    elif result.status == "dry_run":
        print(f"Dry run: nothing was written ({result.written:,} rows would be).")
    else:
        print(f"Loaded as batch {result.batch_id} ({result.written:,} rows written: new and "
              f"revised figures, and withdrawals). Earlier releases stay in the history; undo "
              f"with `indicators rollback {result.batch_id}`.")
    return 0


def _source_list(path: str) -> int:
    from indicators.bundled import releases_frame

    with Store(path, read_only=True) as store:
        table = releases_frame(store)
    if table.is_empty():
        print("No published release is loaded; run `indicators init`.")
        return 0
    shown = table.rename({"family": "Source", "source_id": "Release", "edition": "Edition",
                          "batch": "Batch", "status": "Status", "loaded": "Loaded",
                          "written": "Figures written", "current": "Current figures"})
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=70,
                   tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(shown)
    return 0


def _report(path: str, args: argparse.Namespace) -> int:
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


def _export(path: str, args: argparse.Namespace) -> int:
    from indicators.export import observations_for_export, write_safe_csv
    from indicators.series import with_basis

    with Store(path, read_only=True) as store:
        figures = with_basis(store.observations(series="all"), store.adoptions())
        frame = observations_for_export(figures, store.sources())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "parquet":
        frame.write_parquet(args.out)
    else:
        write_safe_csv(frame, args.out)
    print(f"{frame.height} figures written to {args.out}")
    return 0


def _import(path: str, args: argparse.Namespace) -> int:
    from indicators.upload.pipeline import commit, prepare

    if not args.file.is_file():
        print(f"error: no file at {args.file}", file=sys.stderr)
        return 1
    if not (args.organisation or "").strip() or not (args.contributor or "").strip():
        print("error: say whose figures these are and who submits them: --organisation ORG "
              "--contributor NAME (official releases load with `indicators source load`).",
              file=sys.stderr)
        return 1
    data = args.file.read_bytes()
    with Store(path) as store:
        prepared = prepare(data, args.file.name, store, organisation=args.organisation)
        for note in prepared.reading_notes():
            print(note)
        for warning in prepared.warnings:
            print(f"warning: {warning.as_text()}", file=sys.stderr)
        counts = prepared.counts
        print(f"{args.file.name}: {counts['new']} new, {counts['changed']} changed, "
              f"{counts['unchanged']} unchanged figures")
        if prepared.already_imported is not None:
            found = prepared.already_imported
            verb = "submitted" if found.get("status") == "submitted" else "imported"
            print(f"This exact file was already {verb} as batch {found['id']} on "
                  f"{found['created_at']}; nothing was written.")
            return 0
        if prepared.rejected_before is not None:
            rejected = prepared.rejected_before
            print(f"warning: a reviewer rejected this exact file as batch {rejected['id']} on "
                  f"{rejected['reviewed_at']:%Y-%m-%d}, saying: {rejected['review_note']!r}; "
                  "submitting it again asks a reviewer to look at the same figures again.",
                  file=sys.stderr)
        if prepared.nothing_to_import:
            print("Every figure is already in the database with the same value; "
                  "nothing was written.")
            return 0
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        try:
            batch_id = commit(prepared, store, kind="cli", contributor=args.contributor,
                              organisation=args.organisation)
        except AlreadyCommitted as exc:
            print(f"{exc} Nothing was written.")
            return 0
        print(f"Submitted as batch {batch_id} for review. Nothing changes for readers until a "
              f"reviewer other than {args.contributor} approves it: `indicators review approve "
              f"{batch_id} --reviewer NAME`.")
    return 0


def _review(path: str, args: argparse.Namespace) -> int:
    command = args.review_command
    if command == "list":
        from indicators.upload.preview import review_table

        with Store(path, read_only=True) as store:
            table = review_table(store.batches())
        if table.is_empty():
            print("No batch is awaiting review.")
            return 0
        with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=60,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(table)
        return 0
    with Store(path) as store:
        if command == "approve":
            store.approve_batch(args.batch_id, reviewer=args.reviewer, note=args.note)
            print(f"Batch {args.batch_id} approved by {args.reviewer}: its figures are published "
                  "as its organisation's series, beside the official figures.")
        elif command == "reject":
            store.reject_batch(args.batch_id, reviewer=args.reviewer, reason=args.reason)
            print(f"Batch {args.batch_id} rejected by {args.reviewer}; its figures are never "
                  "shown.")
        else:
            store.adopt_correction(args.batch_id, args.country.upper(), args.year, args.measure,
                                   reviewer=args.reviewer, reason=args.reason)
            print(f"Adopted: the indicators now use batch {args.batch_id}'s figure for "
                  f"{args.country.upper()} {args.year} {args.measure} in place of the official "
                  f"one (adopted by {args.reviewer}: {args.reason}).")
    return 0


def _history(path: str, args: argparse.Namespace) -> int:
    from indicators.upload.preview import batch_changes_table, history_table

    with Store(path, read_only=True) as store:
        if args.batch is None:
            table = history_table(store.batches())
        else:
            batch = store.batch(args.batch)
            if batch is None:
                print(f"error: there is no batch {args.batch}.", file=sys.stderr)
                return 1
            if batch["kind"] == "rollback":
                print(f"Batch {args.batch} rolled back batch {batch['rolls_back']}; the figures "
                      "that batch had replaced are in effect again.")
                return 0
            table = batch_changes_table(store.batch_diff(args.batch))
    if args.format == "csv":
        from indicators.export import safe_csv_text

        sys.stdout.write(safe_csv_text(table))
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=60,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(table)
    return 0


def _rollback(path: str, args: argparse.Namespace) -> int:
    with Store(path) as store:
        new_id = store.rollback(args.batch_id, contributor=args.contributor,
                                organisation=args.organisation)
    print(f"Batch {args.batch_id} rolled back (recorded as batch {new_id}); the figures it had "
          "replaced are in effect again. Nothing was deleted.")
    return 0


def _token(target: str, args: argparse.Namespace) -> int:
    from indicators import auth

    action = args.token_command
    if action == "list":
        with Store(target, read_only=True) as store:
            rows = store.access_tokens()
        if not rows:
            print("No tokens in the database.")
            return 0
        table = pl.DataFrame(
            [{"Name": r["name"], "Role": r["role"], "Organisation": r["organisation"] or "",
              "Countries": r["countries"] or "any", "Made": str(r["created_at"])}
             for r in rows])
        with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=60,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(table)
        return 0
    name = args.name
    if action == "remove":
        with Store(target) as store:
            removed = store.remove_access_token(name)
        print(f"The token of {name} was withdrawn; it no longer signs anyone in."
              if removed else f"There is no token named {name} in the database.")
        return 0 if removed else 1
    problem = _token_problem(args)
    organisation = args.organisation or (name if args.role == auth.CONTRIBUTOR else None)
    countries, _ = auth.parse_countries(args.countries or "")
    if problem is None and countries:
        with Store(target, read_only=True) as store:
            known = set(store.countries()["iso3"].to_list())
        unknown = [code for code in countries if code not in known]
        if unknown:
            what = "is not a country code" if len(unknown) == 1 else "are not country codes"
            problem = (f"{', '.join(unknown)} {what} the dashboard knows; use ISO3 codes like "
                       "GBR.")
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    token = auth.new_token()
    digest = auth.token_digest(token)
    with Store(target) as store:
        store.add_access_token(digest, name=name, role=args.role, organisation=organisation,
                               countries=",".join(countries) or None)
        where = store.location
    holder = auth.Contributor(organisation or "", name, "token", args.role, countries)
    print(f"Token for {name}, {_token_scope(holder)} (shown once; give it to them "
          "privately):\n")
    print(f"    {token}\n")
    print(f"Its digest is stored in {where}, so every dashboard on this database accepts it "
          "now (a new token for the same name replaces the old one; `indicators token remove "
          "NAME` withdraws it). Only the digest is stored; a lost token cannot be recovered, "
          "make a new one.\n")
    if args.role == auth.CONTRIBUTOR and not countries and organisation == name:
        print(f"To configure it outside the database instead, add this line under "
              f"[contributors] in {auth.SECRETS_FILE}:\n")
        print(f"    {auth.secrets_line(organisation, digest)}\n")
        print(f"or this entry to ${auth.ENV_VARIABLE} (entries separated by commas):\n")
        print(f"    {auth.env_entry(organisation, digest)}")
    return 0


def _token_problem(args: argparse.Namespace) -> str | None:
    from indicators import auth

    if not auth.valid_organisation(args.name) or (
            args.organisation and not auth.valid_organisation(args.organisation)):
        return ("use letters, digits, spaces and . & ( ) ' / - in names (no commas, "
                "semicolons, '=' or quotes).")
    _, bad = auth.parse_countries(args.countries or "")
    if bad:
        return f"{', '.join(bad)}: give countries as ISO3 codes separated by commas, like GBR,FRA."
    if args.countries is not None and not auth.parse_countries(args.countries)[0]:
        return "--countries needs at least one ISO3 code, like GBR."
    return None


def _token_scope(holder: auth.Contributor) -> str:
    scope = holder.role + (f" for {holder.organisation}" if holder.organisation else "")
    if holder.countries:
        scope += f", figures for {', '.join(holder.countries)} only"
    return scope


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
