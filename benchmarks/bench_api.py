"""Benchmark 7: the read API under 50 concurrent clients, on the dashboard's own server.

`streamlit run app.py` (the pages and /api/v1/ on one port, as `make run` starts it) on the
bundled data, in a DuckDB file and on a PostgreSQL server started for the benchmark. Fifty
clients on loopback, each with one keep-alive HTTP/1.1 connection, send their next request as
soon as the last is answered, for a fixed time:

* cached: the same indicators query every time (the answer is kept per data version);
* uncached: every request a different indicators query (indicator × country × year), so
  each answer is made anew from the indicators computed for the data version (as the pages'
  own cache holds them).

Measured: requests per second and latency percentiles (the cached load also from
ApacheBench, `ab -k -c 50`, when Debian's apache2-utils is installed: `make test-tools`);
and, while the cached load runs, a page view's time as a visitor's browser starts one (the
app's HTML and its health check), once a second. The load generator runs on the same 2 cores
as the server: the numbers are a floor. Loopback only; at most CLIENTS connections.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import ROOT, Result, percentile, progress

CLIENTS = 50
SECONDS = 10.0
CACHED = "/api/v1/indicators.json?indicator=conviction_rate&countries=GBR&year=2019"
GOAL_RPS = 1000.0
GOAL_P95_MS = 50.0
COUNTRIES = ("GBR", "USA", "FRA", "DEU", "PHL", "AUS", "NGA", "BRA", "IND", "ZAF", "MEX", "JPN",
             "ITA", "ESP", "NLD", "SWE", "POL", "ARG", "CAN", "THA")
INDICATORS = ("conviction_rate", "reporting_increase", "identification_rate",
              "victims_prosecuted", "victims_per_100k")


def uncached_paths() -> itertools.cycle:
    every = [f"/api/v1/indicators.json?indicator={i}&countries={c}&year={y}"
             for y in range(2003, 2022) for c in COUNTRIES for i in INDICATORS]
    return itertools.cycle(every)  # 1,900 different answers: more than one level asks


async def _client(host: str, port: int, paths, stop_at: float, latencies: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            path = next(paths)
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                         "Accept-Encoding: gzip\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def _probe(url: str, stop_at: float, seen: list[float]) -> None:
    """A page view's first requests, once a second, while the load runs."""
    import urllib.request

    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        await asyncio.to_thread(lambda: urllib.request.urlopen(url + "/", timeout=30).read())
        await asyncio.to_thread(
            lambda: urllib.request.urlopen(url + "/_stcore/health", timeout=30).read())
        seen.append(time.perf_counter() - started)
        await asyncio.sleep(1.0)


async def _load(url: str, paths, seconds: float, clients: int,
                probe: list[float] | None) -> tuple[list[float], list[str], float]:
    parts = urlsplit(url)
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    stop_at = started + seconds
    tasks = [_client(parts.hostname or "127.0.0.1", parts.port or 80, paths, stop_at,
                     latencies, errors) for _ in range(clients)]
    if probe is not None:
        tasks.append(_probe(url, stop_at, probe))
    await asyncio.gather(*tasks)
    return latencies, errors, time.perf_counter() - started


def _ab(url: str, seconds: float, clients: int) -> dict | None:
    """The cached load from ApacheBench (`ab`, Debian's apache2-utils: C, so the load
    generator leaves the cores to the server), with the page probe beside it; None without
    ab."""
    import re
    import threading
    import urllib.request

    ab = shutil.which("ab")
    if ab is None:
        return None
    probe: list[float] = []
    stop = threading.Event()

    def look() -> None:
        while not stop.wait(1.0):
            started = time.perf_counter()
            urllib.request.urlopen(url + "/", timeout=30).read()
            urllib.request.urlopen(url + "/_stcore/health", timeout=30).read()
            probe.append(time.perf_counter() - started)

    watcher = threading.Thread(target=look, daemon=True)
    watcher.start()
    done = subprocess.run([ab, "-k", "-q", "-c", str(clients), "-t", str(int(seconds)),
                           "-n", "10000000", "-H", "Accept-Encoding: gzip", url + CACHED],
                          capture_output=True, text=True, timeout=seconds + 120)
    stop.set()
    watcher.join()
    text = done.stdout

    def number(pattern: str) -> float:
        found = re.search(pattern, text, re.MULTILINE)
        return float(found.group(1)) if found else float("nan")

    return {"requests": int(number(r"^Complete requests:\s+(\d+)")),
            "errors": int(number(r"^Failed requests:\s+(\d+)"))
            + int(number(r"^Non-2xx responses:\s+(\d+)") if "Non-2xx" in text else 0),
            "rps": number(r"^Requests per second:\s+([\d.]+)"),
            "p50_ms": number(r"^\s+50%\s+(\d+)"), "p95_ms": number(r"^\s+95%\s+(\d+)"),
            "p99_ms": number(r"^\s+99%\s+(\d+)"),
            "page_probe_p95_ms": percentile(probe, 95) * 1000 if probe else None}


def measure(url: str, *, seconds: float = SECONDS, clients: int = CLIENTS) -> dict:
    """Warm up, then the cached and the uncached load against a running dashboard (the
    cached one also from ab, when it is installed)."""
    asyncio.run(_load(url, itertools.repeat(CACHED), 2.0, 4, None))
    out = {}
    from_ab = _ab(url, seconds, clients)
    if from_ab is not None:
        out["cached (ab)"] = from_ab
        progress(f"api cached (ab): {from_ab['rps']:.0f} req/s, p95 {from_ab['p95_ms']:.0f} ms")
    for name, paths in (("cached", itertools.repeat(CACHED)), ("uncached", uncached_paths())):
        probe: list[float] = []
        latencies, errors, took = asyncio.run(
            _load(url, paths, seconds, clients, probe if name == "cached" else None))
        out[name] = {
            "requests": len(latencies), "errors": len(errors),
            "rps": len(latencies) / took,
            "p50_ms": percentile(latencies, 50) * 1000,
            "p95_ms": percentile(latencies, 95) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000,
            "page_probe_p95_ms": percentile(probe, 95) * 1000 if probe else None,
        }
        progress(f"api {name}: {out[name]['rps']:.0f} req/s, p95 {out[name]['p95_ms']:.1f} ms")
    return out


def run(seconds: float = SECONDS, clients: int = CLIENTS) -> Result:
    from benchmarks import server as servers
    from benchmarks.postgres import TempPostgres

    result = Result.of("api", f"7. API: {clients} concurrent clients, cached and uncached "
                       "indicators queries, DuckDB and PostgreSQL")
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    rows: list[list[object]] = []
    try:
        db = servers.bundled_db(tmp)
        started = servers.start(db, tmp / "duckdb.log")
        try:
            result.data["duckdb"] = measure(started.url, seconds=seconds, clients=clients)
        finally:
            servers.stop(started)
        with TempPostgres(durable=True) as pg:
            target = pg.create("indicators")
            subprocess.run([sys.executable, "-m", "indicators", "init", "--db", target],
                           check=True, capture_output=True, cwd=ROOT, timeout=600)
            started = servers.start(target, tmp / "postgres.log")
            try:
                result.data["postgresql"] = measure(started.url, seconds=seconds,
                                                    clients=clients)
            finally:
                servers.stop(started)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for backend in ("duckdb", "postgresql"):
        for kind, m in result.data[backend].items():
            probe = m["page_probe_p95_ms"]
            rows.append([backend, kind, m["requests"], m["errors"], f"{m['rps']:.0f}",
                         f"{m['p50_ms']:.1f}", f"{m['p95_ms']:.1f}", f"{m['p99_ms']:.1f}",
                         "—" if probe is None else f"{probe:.0f}"])
    result.tables.append((
        f"{clients} keep-alive clients for {seconds:.0f} s each against `streamlit run app.py` "
        "on loopback (the load generator shares the 2 cores)",
        ["backend", "answer", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms",
         "page HTML + health p95 ms during the load"], rows))
    for backend in ("duckdb", "postgresql"):
        cached = result.data[backend].get("cached (ab)") or result.data[backend]["cached"]
        result.goals.append((
            f"cached answers, {backend}: ≥ {GOAL_RPS:,.0f} req/s and p95 ≤ {GOAL_P95_MS:.0f} ms",
            f"{cached['rps']:.0f} req/s, p95 {cached['p95_ms']:.1f} ms",
            cached["rps"] >= GOAL_RPS and cached["p95_ms"] <= GOAL_P95_MS))
    result.notes += [
        "Cached: the answer is kept per data version, compressed once (indicators/api/"
        "server.py); a request for it is answered before the API's router and middleware. "
        "'cached (ab)' is the same load from ApacheBench (C), which leaves more of the 2 cores "
        "to the server than the Python clients of the other rows; the goal is judged on it.",
        "Uncached: each of 1,900 different queries is answered once: the rows are filtered "
        "and sorted from the indicator rows (with the figures each rests on) computed once per "
        "data version, and written as JSON and compressed; the thread pool's queue is most of "
        "the p95.",
        "Both backends answer from the same snapshot in memory (indicators/live.py), so the "
        "database is not asked during the load; they should agree.",
        "The page probe (the app's HTML and health check, once a second, during the cached "
        "load) shows what a visitor arriving meanwhile waits for the page to start.",
    ]
    return result


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running dashboard (default: start one per backend)")
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args()
    if args.url:
        print(json.dumps(measure(args.url, seconds=args.seconds), indent=1))
    else:
        print(json.dumps(run(args.seconds).data, indent=1))
