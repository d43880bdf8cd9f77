"""Start and stop `streamlit run app.py` on a free loopback port, for the benchmarks."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def bundled_db(directory: Path) -> Path:
    """The bundled (real, published) data built into a fresh database file."""
    from indicators.bundled import init_database
    from indicators.store import Store

    path = directory / "indicators.duckdb"
    with Store(path) as store:
        init_database(store)
    return path


def _launch(command: list[str], db_target: Path | str, log_path: Path, port: int, ready: str,
            what: str, env_extra: dict[str, str] | None, timeout: float) -> Server:
    """Start ``command`` with INDICATORS_DB set; the server once ``ready`` answers 200."""
    env = {**os.environ, "INDICATORS_DB": str(db_target), **(env_extra or {})}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early; see {log_path}")
        try:
            with urllib.request.urlopen(url + ready, timeout=30) as response:
                if response.status == 200:
                    return Server(url, process, log_path)
        except OSError:
            time.sleep(0.3)
    stop(Server(url, process, log_path))
    raise RuntimeError(f"{what} did not become healthy in {timeout:.0f}s; see {log_path}")


def start(db_path: Path | str, log_path: Path, *, port: int | None = None,
          env_extra: dict[str, str] | None = None, timeout: float = 120.0,
          script: str = "app.py") -> Server:
    port = port or free_port()
    return _launch(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / script),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        db_path, log_path, port, "/_stcore/health", "streamlit", env_extra, timeout)


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=15)


class BundledServer:
    """A context manager: a temporary bundled database and a server on it."""

    def __init__(self, log_name: str = "bench-streamlit.log") -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
        self.log_name = log_name
        self.server: Server | None = None

    def __enter__(self) -> Server:
        db = bundled_db(self.tmp)
        self.server = start(db, self.tmp / self.log_name)
        return self.server

    def __exit__(self, *exc_info: object) -> None:
        if self.server is not None:
            stop(self.server)
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_api(db_target: Path | str, log_path: Path, *, port: int | None = None,
              env_extra: dict[str, str] | None = None, timeout: float = 120.0) -> Server:
    """The read API alone (``indicators.api.standalone``, the same routes app.py serves) under
    uvicorn on a free loopback port; ready once /api/v1/ answers."""
    port = port or free_port()
    return _launch(
        [sys.executable, "-m", "uvicorn", "indicators.api:standalone", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        db_target, log_path, port, "/api/v1/", "the API server", env_extra, timeout)
