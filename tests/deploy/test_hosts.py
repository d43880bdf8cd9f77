"""Several machines, tested here: three hosts as Linux network namespaces joined by veth pairs.

    host "db"  runs PostgreSQL (10.77.1.1 towards host A, 10.77.2.1 towards host B)
    host A     runs the production layout (deploy/serve.sh: two app processes behind nginx)
    host B     the same, on the same database

A contributor uploads a figure through host A's dashboard in a browser on host A; a reader on
host B sees it on host B's dashboard. Then host A is killed (every process in it), and host B
keeps serving. Everything listens only on addresses inside the namespaces this test makes, and
the test removes them afterwards. Needs root (network namespaces), as `make test` runs in CI.
The figure is synthetic and labelled so in its source.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from benchmarks.postgres import TempPostgres

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SOURCE = "SYNTHETIC TEST DATA (three-host test)"
APP_PORT = 8080


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


def in_host(host: str, *command: str, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", "netns", "exec", host, "env", *(f"{k}={v}" for k, v in
                                                                 (env or {}).items()),
                           *command], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


def kill_host(host: str) -> None:
    pids = subprocess.run(["ip", "netns", "pids", host], capture_output=True, text=True
                          ).stdout.split()
    for pid in pids:
        subprocess.run(["kill", "-9", pid], capture_output=True)


@pytest.fixture
def hosts(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("This test builds network namespaces and needs root (CI runs as root).")
    tag = uuid.uuid4().hex[:6]
    names = {"db": f"ati-db-{tag}", "a": f"ati-a-{tag}", "b": f"ati-b-{tag}"}
    links = []
    try:
        for name in names.values():
            ip("netns", "add", name)
            ip("-n", name, "link", "set", "lo", "up")
        for index, host in ((1, "a"), (2, "b")):
            db_end, host_end = f"v{tag}d{index}", f"v{tag}h{index}"
            ip("link", "add", db_end, "type", "veth", "peer", "name", host_end)
            links.append(db_end)
            ip("link", "set", db_end, "netns", names["db"])
            ip("link", "set", host_end, "netns", names[host])
            ip("-n", names["db"], "addr", "add", f"10.77.{index}.1/24", "dev", db_end)
            ip("-n", names[host], "addr", "add", f"10.77.{index}.2/24", "dev", host_end)
            ip("-n", names["db"], "link", "set", db_end, "up")
            ip("-n", names[host], "link", "set", host_end, "up")
        yield names
    finally:
        for name in names.values():
            kill_host(name)
        time.sleep(0.5)
        for name in names.values():
            subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_an_upload_on_host_a_shows_on_host_b_and_b_outlives_a(hosts, tmp_path):
    server = TempPostgres(host="10.77.1.1", listen="10.77.1.1,10.77.2.1", netns=hosts["db"],
                          allow=("10.77.0.0/16",))
    server.start()
    try:
        server.create("indicators")
        urls = {"a": f"postgresql://postgres@10.77.1.1:{server.port}/indicators",
                "b": f"postgresql://postgres@10.77.2.1:{server.port}/indicators"}
        # The database is built from host A, and the organisation's token made there.
        built = in_host(hosts["a"], PY, "-m", "indicators", "init", "--db", urls["a"])
        assert built.returncode == 0, built.stderr
        made = in_host(hosts["a"], PY, "-m", "indicators", "token", "new", "Three-host NGO",
                       "--db", urls["a"])
        assert made.returncode == 0, made.stderr
        token = made.stdout.split("\n\n")[1].strip()

        for host in ("a", "b"):
            started = in_host(hosts[host], "deploy/serve.sh", "start", env={
                "INDICATORS_DB": urls[host], "WORKERS": "2", "PORT": str(APP_PORT),
                "SERVE_STATE": str(tmp_path / f"serve-{host}")})
            assert started.returncode == 0, started.stdout + started.stderr
        app = f"http://127.0.0.1:{APP_PORT}"  # each host's own address for its own people

        figures = tmp_path / "three-hosts.csv"
        figures.write_text("country,year,measure,value,source,note\r\n"
                           f"NZL,2023,victims_prosecuted,3,{SOURCE},\r\n", encoding="utf-8")
        uploaded = in_host(hosts["a"], PY, "-m", "tests.deploy.drive", "upload", app, token,
                           str(figures))
        assert uploaded.stdout.startswith("ok Submitted as batch 6 for review"), (
            uploaded.stdout, uploaded.stderr)
        # A second person, on host A's command line, publishes it.
        approved = in_host(hosts["a"], PY, "-m", "indicators", "review", "approve", "6",
                           "--reviewer", "Second Reviewer", "--db", urls["a"])
        assert approved.returncode == 0, approved.stderr
        # Indicator 5's card on New Zealand's profile: no figure for 2023 until this upload.
        seen = in_host(hosts["b"], PY, "-m", "tests.deploy.drive", "figure", app, "NZL",
                       "New Zealand, 2023")
        assert seen.stdout.startswith("ok"), (seen.stdout, seen.stderr)

        kill_host(hosts["a"])  # host A goes down: its nginx and both app processes
        time.sleep(1)
        assert not subprocess.run(["ip", "netns", "pids", hosts["a"]], capture_output=True,
                                  text=True).stdout.split()
        still = in_host(hosts["b"], PY, "-m", "tests.deploy.drive", "figure", app, "NZL",
                        "New Zealand, 2023")
        assert still.stdout.startswith("ok"), (still.stdout, still.stderr)
        # Nothing listens outside the namespaces: the root namespace has no such port open.
        listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
        assert f":{server.port} " not in listening and f":{APP_PORT} " not in listening
    finally:
        server.cleanup()
