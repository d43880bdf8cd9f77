"""Benchmark 5: 1, 10, 25 and 50 simultaneous sessions against `streamlit run` on loopback.

Each simulated user is a websocket client speaking Streamlit's own protocol (the protobuf
BackMsg / ForwardMsg the browser exchanges with the server): it opens the page (a session and a
first script run); when every user has the page open, all of them repeat "think 1-3 s, change
the country selection, wait for the redraw" until the level's time is up. Chromium is not used
here on purpose: fifty Playwright pages on this 2-core machine would spend the cores on
rendering fifty dashboards and the numbers would measure the browser, not the server
(benchmark 4 measures the browser for one user).

Measured per change: the time from sending it until the main chart's new figure arrives
(`redraw`), and until the script run has finished (`settled`); the server's resident memory:
idle before the level, every 0.25 s during it (peak), and at the end with every session still
connected and no script running; memory per session = (that - idle) / sessions, and the same
from the peak, which also holds the transient memory of the page runs in flight; and CPU.
Each level runs on a freshly started server that has served one warm-up visit, so memory from a
previous level does not count twice.

Run by hand against any running dashboard (e.g. `make serve`): python -m benchmarks.bench_users
--url http://127.0.0.1:PORT --pids PID,PID --out FILE.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import Result, percentile, progress, rss_mb

LEVELS = (1, 10, 25, 50)
DURATION_S = 20.0
THINK_S = (1.0, 3.0)  # a user looks at the chart for 1–3 s before the next change
PAGE = "compare"
CHANGE_LABEL = re.compile(r"countr", re.IGNORECASE)
RERUN_TIMEOUT_S = 90.0
RAMP_TIMEOUT_S = 240.0
GOAL_P95_S = 1.5
# Issue 20's goals: the crowd's goals hold for new selections (cold), which a crowd on release
# day asks for; one interaction's for every change, new selections included.
GOAL_SERVE_P95_S = 0.8
GOAL_INTERACTION_S = 0.03
GOAL_MB_PER_SESSION = 30.0


@dataclass
class Sample:
    kind: str  # view / change
    redraw_s: float | None
    settled_s: float
    ok: bool
    cold: bool = False  # a selection nobody had asked the server for before (its caches empty)


@dataclass
class Widget:
    id: str
    options: list[str]
    selected: list[str]
    fragment: str  # the fragment the widget is drawn in ("" for none)


class Client:
    """One browser tab's worth of Streamlit protocol, without the browser.

    It sends what Chromium sends (checked by benchmark 4, which records Chromium's own
    messages): a widget change is a `rerun_script` carrying the widget's new state; the page's
    callback turns it into a rerun of the fragments that depend on that widget. It also does
    what the browser does on its own: when the server asks for a fragment to rerun every few
    seconds (`auto_rerun`: the pages' check for new figures), it sends those reruns too, so the
    server carries the same load as with real tabs. Messages are matched to the run that sent
    them by their run id, so a timed fragment's run never counts as the redraw.
    """

    def __init__(self, url: str, page: str, cookie: str | None = None) -> None:
        host = url.split("://", 1)[1].rstrip("/")
        self.cookie = cookie
        self.ws_url = f"ws://{host}/_stcore/stream"
        self.origin = f"http://{host}"
        self.page = page
        self.ws = None
        self.widget: Widget | None = None
        self._incoming: asyncio.Queue | None = None
        self._tasks: list[asyncio.Task] = []
        self._timed: dict[str, float] = {}  # fragment id -> interval (s), from auto_rerun
        self._send_lock = asyncio.Lock()

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await connect(self.ws_url, origin=self.origin, subprotocols=["streamlit"],
                                max_size=None, open_timeout=60, ping_interval=None,
                                additional_headers=headers)
        self._incoming = asyncio.Queue()
        self._tasks.append(asyncio.create_task(self._receive()))

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _receive(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for data in self.ws:
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "auto_rerun":
                fragment = forward.auto_rerun.fragment_id
                if fragment not in self._timed:
                    self._timed[fragment] = forward.auto_rerun.interval
                    self._tasks.append(asyncio.create_task(self._timer(fragment)))
                continue
            await self._incoming.put((time.perf_counter(), forward))

    async def _timer(self, fragment: str) -> None:
        """The browser's side of `st.fragment(run_every=...)`."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        while True:
            await asyncio.sleep(self._timed[fragment])
            msg = BackMsg()
            msg.rerun_script.page_name = self.page
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
            async with self._send_lock:
                await self.ws.send(msg.SerializeToString())

    async def rerun(self, selection: list[str] | None) -> tuple[float | None, float, bool]:
        """Open the page (``selection`` None) or change the country widget to ``selection``;
        wait until the run it caused has finished. Returns (redraw, settled, ok)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_name = self.page
        if selection is not None and self.widget is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.widget.id
            widget.string_array_value.data.extend(selection)
            # As the browser does: a widget drawn in a fragment reruns that fragment.
            if self.widget.fragment:
                state.fragment_id = self.widget.fragment
        while not self._incoming.empty():  # what came before this change is not its answer
            self._incoming.get_nowait()
        start = time.perf_counter()
        async with self._send_lock:
            await self.ws.send(msg.SerializeToString())
        redraw = None
        ok = True
        timed_run: str | None = None
        while True:
            arrived, forward = await self._incoming.get()
            run = forward.metadata.run if forward.HasField("metadata") else None
            fragments = set(run.fragment_ids) if run is not None else set()
            kind = forward.WhichOneof("type")
            if kind == "new_session":  # a run starts (a preempted one sends no finish)
                timed = bool(fragments) and fragments <= set(self._timed)
                if timed and selection is not None and redraw is not None:
                    # The timer's run stopped this change's run after it had drawn: what a
                    # browser shows from here on is the change's outcome.
                    return redraw, arrived - start, ok
                timed_run = run.script_run_id if timed else None
            if kind == "script_finished" and (
                    (run is not None and run.script_run_id == timed_run)
                    or (fragments and fragments <= set(self._timed))):
                timed_run = None
                continue
            if timed_run is not None:
                continue  # the deltas of a timed fragment's run (they carry no run id)
            if kind == "delta":
                if forward.delta.WhichOneof("type") != "new_element":
                    continue
                element = forward.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "plotly_chart" and redraw is None:
                    redraw = arrived - start
                elif element_type == "exception":
                    ok = False
                elif element_type == "multiselect" and CHANGE_LABEL.search(
                        element.multiselect.label):
                    ms = element.multiselect
                    self.widget = Widget(ms.id, list(ms.options), list(ms.raw_values),
                                         forward.delta.fragment_id)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN and (
                        not fragments or (selection is not None and redraw is None)):
                    continue  # the run that handed over to the named fragments' rerun
                # A fragments' run may end "early" only because a timed fragment's rerun was
                # waiting when it finished: everything it draws has been sent by then.
                ok = ok and status != ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                return redraw, arrived - start, ok
            elif kind == "page_not_found":
                raise RuntimeError(f"page {self.page!r} not found")


@dataclass
class Gate:
    """Every user first opens the page; the change loop starts for all at once when everyone
    has (or after RAMP_TIMEOUT_S), and runs for the level's duration from then."""

    viewed: list[int]
    go: asyncio.Event
    deadline: float = 0.0
    # Every selection asked of this server so far (the first view's included): a change to one
    # not in it is cold, its figures built for it; one in it may be answered from the caches.
    asked: set[tuple[str, ...]] = field(default_factory=set)


async def _user(url: str, page: str, gate: Gate, samples: list[Sample], errors: list[str],
                seed: int, think: tuple[float, float], finished: list[int],
                release: asyncio.Event) -> None:
    rng = random.Random(seed)
    # Like a browser behind the proxy: each user carries its own sticky-session cookie.
    client = Client(url, page, cookie=f"route=user-{seed}-{rng.random():.12f}")
    try:
        await client.open()
        redraw, settled, ok = await asyncio.wait_for(client.rerun(None), RERUN_TIMEOUT_S)
        samples.append(Sample("view", redraw, settled, ok))
        gate.viewed.append(seed)
        await gate.go.wait()
        deadline = gate.deadline
        if client.widget is None:
            raise RuntimeError(f"no multiselect labelled like {CHANGE_LABEL.pattern!r} on {page}")
        base = list(client.widget.selected)
        gate.asked.add(tuple(sorted(base)))
        spare = [o for o in client.widget.options if o not in base]
        step = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= deadline:
                break
            # Add one more country, then go back to the first selection: the chart changes
            # every time.
            selection = base + [rng.choice(spare)] if step % 2 == 0 and spare else base
            cold = tuple(sorted(selection)) not in gate.asked
            gate.asked.add(tuple(sorted(selection)))
            redraw, settled, ok = await asyncio.wait_for(client.rerun(selection),
                                                         RERUN_TIMEOUT_S)
            samples.append(Sample("change", redraw, settled, ok, cold))
            step += 1
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(f"{type(exc).__name__}: {exc}"[:200])
        gate.viewed.append(seed)
    finally:
        # Stay connected until every user is done, so the server's memory can be read with
        # all sessions open and no script running.
        finished.append(seed)
        await release.wait()
        try:
            await client.close()
        except Exception:  # noqa: BLE001
            pass


def _cpu_seconds(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


async def _level(url: str, pids: list[int], sessions: int, duration: float, page: str,
                 think: tuple[float, float]) -> dict[str, object]:
    samples: list[Sample] = []
    errors: list[str] = []
    idle = sum(rss_mb(p) for p in pids)
    peak = idle
    ramp_start = time.monotonic()
    gate = Gate(viewed=[], go=asyncio.Event())
    finished: list[int] = []
    release = asyncio.Event()
    tasks = [asyncio.create_task(_user(url, page, gate, samples, errors, seed=i, think=think,
                                       finished=finished, release=release))
             for i in range(sessions)]
    while len(gate.viewed) < sessions and time.monotonic() - ramp_start < RAMP_TIMEOUT_S:
        peak = max(peak, sum(rss_mb(p) for p in pids))
        await asyncio.sleep(0.25)
    ramp = time.monotonic() - ramp_start
    started = time.monotonic()
    cpu_before = sum(_cpu_seconds(p) for p in pids)
    gate.deadline = started + duration
    gate.go.set()
    while len(finished) < sessions:
        peak = max(peak, sum(rss_mb(p) for p in pids))
        await asyncio.sleep(0.25)
    elapsed = time.monotonic() - started
    cpu = sum(_cpu_seconds(p) for p in pids) - cpu_before
    await asyncio.sleep(1.0)  # sessions open, nothing running: what they cost to keep
    settled_mb = sum(rss_mb(p) for p in pids)
    peak = max(peak, settled_mb)
    release.set()
    await asyncio.gather(*tasks)
    changes = [s for s in samples if s.kind == "change"]
    redraws = [s.redraw_s for s in changes if s.redraw_s is not None]
    settled = [s.settled_s for s in changes]
    views = [s.settled_s for s in samples if s.kind == "view"]

    def redraw_of(cold: bool) -> list[float]:
        return [s.redraw_s for s in changes if s.cold == cold and s.redraw_s is not None]

    return {
        "changes_cold": sum(s.cold for s in changes),
        "redraw_p50_cold": percentile(redraw_of(True), 50),
        "redraw_p95_cold": percentile(redraw_of(True), 95),
        "redraw_p50_warm": percentile(redraw_of(False), 50),
        "redraw_p95_warm": percentile(redraw_of(False), 95),
        "sessions": sessions,
        "changes": len(changes),
        "failed_runs": sum(not s.ok for s in samples),
        "errors": errors,
        "redraw_p50": percentile(redraws, 50),
        "redraw_p95": percentile(redraws, 95),
        "settled_p50": percentile(settled, 50),
        "settled_p95": percentile(settled, 95),
        "view_p50": percentile(views, 50),
        "view_p95": percentile(views, 95),
        "throughput": len(changes) / elapsed if elapsed else 0.0,
        "elapsed_s": elapsed,
        "ramp_s": ramp,
        "idle_mb": idle,
        "peak_mb": peak,
        "settled_mb": settled_mb,
        "mb_per_session": (settled_mb - idle) / sessions,
        "peak_mb_per_session": (peak - idle) / sessions,
        "server_cpu_cores": cpu / elapsed if elapsed else 0.0,
    }


def run_levels(url: str, pids: list[int], levels: tuple[int, ...] = LEVELS,
               duration: float = DURATION_S, page: str = PAGE,
               think: tuple[float, float] = THINK_S, restart=None) -> list[dict[str, object]]:
    """Each level in turn; `restart()` (if given) returns (url, pids) of a fresh server."""
    out = []
    for sessions in levels:
        if restart is not None:
            url, pids = restart()
        # Warm-up visits (several, so every replica behind a proxy gets one): the page's
        # imports and cached data are loaded before measuring.
        asyncio.run(_level(url, pids, 1 if len(pids) == 1 else 4 * len(pids), 0.0, page, think))
        progress(f"users: {sessions} sessions for {duration:.0f} s against {url}")
        level = asyncio.run(_level(url, pids, sessions, duration, page, think))
        progress(f"users: {sessions} sessions: redraw p50 {level['redraw_p50']:.2f} s, "
                 f"p95 {level['redraw_p95']:.2f} s, {level['changes']} changes, "
                 f"{level['mb_per_session']:.1f} MB/session, errors {len(level['errors'])}")
        out.append(level)
    return out


def table_rows(levels: list[dict[str, object]]) -> list[list[object]]:
    nan = float("nan")
    rows = []
    for lv in levels:
        rows.append([
            lv["sessions"], lv["changes"], f"{lv['throughput']:.2f}",
            f"{lv['redraw_p50']:.2f}", f"{lv['redraw_p95']:.2f}",
            f"{lv.get('changes_cold', '')}: {lv.get('redraw_p50_cold', nan):.2f}, "
            f"{lv.get('redraw_p95_cold', nan):.2f}",
            f"{lv['changes'] - lv.get('changes_cold', 0)}: {lv.get('redraw_p50_warm', nan):.2f}, "
            f"{lv.get('redraw_p95_warm', nan):.2f}",
            f"{lv['settled_p50']:.2f}", f"{lv['settled_p95']:.2f}",
            f"{lv['view_p95']:.2f}", f"{lv['ramp_s']:.0f}",
            f"{lv['idle_mb']:.0f} → {lv['settled_mb']:.0f} (peak {lv['peak_mb']:.0f})",
            f"{lv['mb_per_session']:.1f} ({lv['peak_mb_per_session']:.1f})",
            f"{lv['server_cpu_cores']:.2f}",
            f"{len(lv['errors'])} / {lv['failed_runs']}",
        ])
    return rows


TABLE_HEADER = ["sessions", "changes", "changes/s", "redraw p50 s", "redraw p95 s",
                "cold (new selections): changes: redraw p50, p95 s",
                "warm (asked before): changes: redraw p50, p95 s", "settled p50 s",
                "settled p95 s", "first view p95 s", "all pages open after s",
                "server MB idle → all sessions open (peak)", "MB/session (at peak)",
                "server CPU (cores)", "errors / failed runs"]


def saturation(levels: list[dict[str, object]]) -> str:
    """Where adding users stops adding throughput, in words."""
    if not levels:
        return "not measured"
    best = levels[0]
    for previous, current in zip(levels, levels[1:], strict=False):
        if current["throughput"] < previous["throughput"] * 1.2:
            return (f"Throughput levels off (grows by less than 20%) between "
                    f"{previous['sessions']} and {current['sessions']} sessions "
                    f"({previous['throughput']:.2f} → "
                    f"{current['throughput']:.2f} changes/s, server CPU "
                    f"{current['server_cpu_cores']:.2f} cores): beyond that, more users only "
                    "wait longer.")
        best = current
    return (f"No saturation up to {best['sessions']} sessions "
            f"({best['throughput']:.2f} changes/s).")


def goals(measured: list[dict[str, object]]) -> list[tuple[str, str, bool]]:
    """The two goals at the largest level, with how far off a missed one is: the redraw of
    new selections (cold; the warm ones are in the table) and the memory."""
    top = measured[-1]
    p95, mb = top.get("redraw_p95_cold", top["redraw_p95"]), top["mb_per_session"]
    return [
        (f"redraw p95 < {GOAL_P95_S} s at {top['sessions']} sessions, new selections (cold)",
         f"{p95:.2f} s" + ("" if p95 < GOAL_P95_S else
                           f", missed by {p95 - GOAL_P95_S:.2f} s ({p95 / GOAL_P95_S:.1f}×)"),
         p95 < GOAL_P95_S),
        (f"memory < {GOAL_MB_PER_SESSION:.0f} MB per session at {top['sessions']} sessions",
         f"{mb:.1f} MB" + ("" if mb < GOAL_MB_PER_SESSION else
                           f", missed by {mb - GOAL_MB_PER_SESSION:.1f} MB"),
         mb < GOAL_MB_PER_SESSION),
    ]


SERVE_LEVELS = (1, 50)


class Served:
    """`deploy/serve.sh` (the production start: one app process per core behind nginx) on a
    database, for the duration of a measurement."""

    def __init__(self, target: str, state: Path, workers: int) -> None:
        import os

        from benchmarks.server import free_port

        self.target, self.state, self.workers = target, state, workers
        self.port = free_port()
        self.env = {**os.environ, "INDICATORS_DB": target, "WORKERS": str(workers),
                    "PORT": str(self.port), "SERVE_STATE": str(state)}

    def __enter__(self) -> tuple[str, list[int]]:
        import subprocess

        from benchmarks.common import ROOT

        subprocess.run([str(ROOT / "deploy" / "serve.sh"), "start"], env=self.env, check=True,
                       capture_output=True, timeout=300)
        pids = subprocess.run([str(ROOT / "deploy" / "serve.sh"), "pids", "worker"],
                              env=self.env, capture_output=True, text=True, check=True
                              ).stdout.split()
        return f"http://127.0.0.1:{self.port}", [int(p) for p in pids]

    def __exit__(self, *exc_info: object) -> None:
        import subprocess

        from benchmarks.common import ROOT

        subprocess.run([str(ROOT / "deploy" / "serve.sh"), "stop"], env=self.env,
                       capture_output=True, timeout=120)


def run(levels: tuple[int, ...] = LEVELS, duration: float = DURATION_S,
        serve_levels: tuple[int, ...] = SERVE_LEVELS) -> Result:
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from benchmarks import server as srv
    from benchmarks.common import ROOT
    from benchmarks.postgres import TempPostgres

    result = Result.of(
        "users", "5. Concurrent users: simultaneous sessions, one process and `make serve`")
    tmp = Path(tempfile.mkdtemp(prefix="bench-users-"))
    current: list[srv.Server] = []
    workers = os.cpu_count() or 2
    try:
        db = srv.bundled_db(tmp)

        def restart() -> tuple[str, list[int]]:
            for old in current:
                srv.stop(old)
            current.clear()
            current.append(srv.start(db, tmp / "streamlit.log"))
            return current[0].url, [current[0].pid]

        measured = run_levels("", [], levels, duration, restart=restart)
        for old in current:
            srv.stop(old)
        current.clear()
        progress(f"users: make serve, {workers} workers on the DuckDB file")
        with Served(str(db), tmp / "serve-duckdb", workers) as (url, pids):
            served = run_levels(url, pids, serve_levels, duration)
        progress(f"users: make serve, {workers} workers on PostgreSQL")
        with TempPostgres(durable=True) as server:
            target = server.create("indicators")
            subprocess.run([sys.executable, "-m", "indicators", "init", "--db", target],
                           check=True, capture_output=True, cwd=ROOT, timeout=600)
            with Served(target, tmp / "serve-postgres", workers) as (url, pids):
                served_pg = run_levels(url, pids, serve_levels, duration)
    finally:
        for old in current:
            srv.stop(old)
        shutil.rmtree(tmp, ignore_errors=True)
    result.data["levels"] = measured
    result.data["serve_duckdb"] = served
    result.data["serve_postgresql"] = served_pg
    result.tables.append((
        f"Page `{PAGE}`, one `streamlit run` on the DuckDB file; each user: open the page, then "
        f"change the country selection every {THINK_S[0]:.0f}–{THINK_S[1]:.0f} s for "
        f"{duration:.0f} s (bundled data)", TABLE_HEADER, table_rows(measured)))
    result.tables.append((
        f"The same through `make serve` ({workers} app processes behind nginx), DuckDB file",
        TABLE_HEADER, table_rows(served)))
    result.tables.append((
        f"The same through `make serve` ({workers} app processes behind nginx), PostgreSQL",
        TABLE_HEADER, table_rows(served_pg)))
    result.goals.extend(goals(measured))
    top = served[-1]
    result.goals.append((f"redraw p95 ≤ {GOAL_SERVE_P95_S} s at {top['sessions']} sessions with "
                         f"`make serve` ({workers} workers), new selections (cold)",
                         f"{top['redraw_p95_cold']:.2f} s (PostgreSQL: "
                         f"{served_pg[-1]['redraw_p95_cold']:.2f} s)",
                         max(top["redraw_p95_cold"], served_pg[-1]["redraw_p95_cold"])
                         <= GOAL_SERVE_P95_S))
    one = measured[0]
    result.data["one_user_redraw_p50"] = one["redraw_p50"]
    result.goals.insert(0, (
        f"server time of one interaction (a country change, new selections included: the "
        f"fragments' rerun, from the message to the run's end) p95 ≤ "
        f"{GOAL_INTERACTION_S * 1000:.0f} ms, one user",
        f"p50 {one['settled_p50'] * 1000:.0f} ms, p95 {one['settled_p95'] * 1000:.0f} ms",
        one["settled_p95"] <= GOAL_INTERACTION_S))
    result.notes.append(saturation(measured))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pids", required=True, help="server process ids, comma-separated")
    parser.add_argument("--levels", default=",".join(str(n) for n in LEVELS))
    parser.add_argument("--duration", type=float, default=DURATION_S)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    pids = [int(p) for p in args.pids.split(",") if p]
    levels = tuple(int(n) for n in args.levels.split(","))
    measured = run_levels(args.url, pids, levels, args.duration)
    args.out.write_text(json.dumps({"levels": measured, "saturation": saturation(measured)},
                                   indent=2))


if __name__ == "__main__":
    main()
