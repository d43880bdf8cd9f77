"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder, started
on a free loopback port (or an address given), stopped and removed afterwards.

Debian's binaries live under /usr/lib/postgresql/VERSION/bin (`make test` installs the
`postgresql` package when they are missing). initdb refuses to run as root, so as root the
server runs as the `postgres` user, in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def bin_dir() -> Path:
    """The newest PostgreSQL server binaries installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed: `make test` installs Debian's "
                           "postgresql package (apt-get install postgresql).")
    return Path(found[-1]).parent


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class TempPostgres:
    """A PostgreSQL cluster of our own. ``url(db)`` for a database on it; ``create(db)``."""

    host: str = "127.0.0.1"
    port: int = 0
    durable: bool = False  # False: no fsync (tests); True: the server's defaults (benchmarks)
    netns: str | None = None  # run inside this network namespace (the multi-host test)
    listen: str | None = None  # listen_addresses, when not just ``host``
    allow: tuple[str, ...] = ()  # more client networks trusted (CIDR), besides loopback
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(
        prefix="indicators-pg-", dir="/tmp")))
    log: Path | None = None

    def __post_init__(self) -> None:
        self.port = self.port or free_port(self.host if self.netns is None else "127.0.0.1")
        self.data = self.directory / "data"
        self.log = self.log or self.directory / "server.log"

    def _wrap(self, command: list[str]) -> list[str]:
        wrapped = _as_server_user(command)
        return ["ip", "netns", "exec", self.netns, *wrapped] if self.netns else wrapped

    def start(self) -> TempPostgres:
        binaries = bin_dir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(_as_server_user([str(binaries / "initdb"), "-D", str(self.data), "-A",
                                        "trust", "-U", "postgres", "-E", "UTF8",
                                        "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        if self.allow:
            with open(self.data / "pg_hba.conf", "a", encoding="utf-8") as hba:
                for network in self.allow:
                    hba.write(f"host all all {network} trust\n")
        log = str(self.log)
        if os.geteuid() == 0:
            Path(log).touch()
            shutil.chown(log, "postgres", "postgres")
        self.restart()
        return self

    def create(self, name: str) -> str:
        """A new empty database; its URL."""
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{name}"

    def psql(self, statement: str, database: str = "postgres") -> str:
        done = subprocess.run(
            self._wrap([str(bin_dir() / "psql"), "-h", str(self.data), "-p", str(self.port),
                        "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc",
                        statement]),
            check=True, capture_output=True, text=True, timeout=60)
        return done.stdout

    def stop(self, mode: str = "fast") -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        subprocess.run(self._wrap([str(bin_dir() / "pg_ctl"), "-D", str(self.data), "-m", mode,
                                   "-w", "-t", "60", "stop"]),
                       capture_output=True, timeout=90)

    def restart(self) -> None:
        """Start the server (again, after ``stop``: same data, same port)."""
        binaries = bin_dir()
        options = [f"-c listen_addresses={self.listen or self.host}", f"-p {self.port}",
                   f"-c unix_socket_directories={self.data}", "-c max_connections=200"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off",
                        "-c full_page_writes=off"]
        subprocess.run(self._wrap([str(binaries / "pg_ctl"), "-D", str(self.data), "-l",
                                   str(self.log), "-o", " ".join(options), "-w", "-t", "60",
                                   "start"]),
                       check=True, capture_output=True, timeout=90)

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
