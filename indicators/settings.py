"""Paths, defaults and limits. The only module that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
STATIC_DIR = PROJECT_ROOT / "static"
DEFAULT_DB_PATH = DATA_DIR / "indicators.duckdb"
WORLD_GEOJSON = DATA_DIR / "world" / "countries_110m.geojson"

DEFAULT_BASELINE_YEAR = 2015
HORIZON_YEARS = 10
EARLIEST_YEAR = 1990
DEFAULT_UPLOAD_LIMIT_MB = 20
MIN_POINTS_FOR_TREND = 3
# A trend line that moves less than this share of its mean value a year is "flat".
FLAT_TREND_SHARE = 0.01
# A published count that rises or falls more than this many times from one year to the next is
# marked as a possible break in the series (a change in what was recorded), when the larger of
# the two figures is at least SERIES_BREAK_MIN_COUNT (small counts jump by chance).
SERIES_BREAK_FACTOR = 3.0
SERIES_BREAK_MIN_COUNT = 20


def database_target(override: str | os.PathLike[str] | None = None) -> str:
    """The database: an explicit path or URL, else $INDICATORS_DB, else data/indicators.duckdb.

    A ``postgresql://`` URL is a shared server; anything else is a DuckDB file.
    """
    if override:
        return str(override)
    env = os.environ.get("INDICATORS_DB", "").strip()
    return env or str(DEFAULT_DB_PATH)


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB file (see ``database_target``; for a file only)."""
    return Path(database_target(override))


DEFAULT_LOCK_WAIT_SECONDS = 5.0


def lock_wait_seconds() -> float:
    """How long a command waits for another process to finish writing ($INDICATORS_LOCK_WAIT,
    seconds) before it says the database is busy."""
    raw = os.environ.get("INDICATORS_LOCK_WAIT", "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_LOCK_WAIT_SECONDS
    except ValueError:
        return DEFAULT_LOCK_WAIT_SECONDS


# The dashboard asks the database whether anything changed at most this often (seconds).
DATA_CHECK_SECONDS = 1.0


DEFAULT_BROWSER_PATH = "/usr/bin/chromium"


def browser_path() -> str:
    """The Chromium that kaleido drives for PNG/SVG export: $BROWSER_PATH, else Debian's."""
    return os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER_PATH


def read_only_mode() -> bool:
    """$INDICATORS_READ_ONLY=1: this dashboard process never writes (a viewer); uploads and
    rollbacks are made elsewhere (docs/deploy.md)."""
    return os.environ.get("INDICATORS_READ_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}


def upload_limit_bytes() -> int:
    """Largest upload accepted, from $INDICATORS_UPLOAD_LIMIT_MB (default 20 MB)."""
    raw = os.environ.get("INDICATORS_UPLOAD_LIMIT_MB", "")
    try:
        megabytes = float(raw) if raw else DEFAULT_UPLOAD_LIMIT_MB
    except ValueError:
        megabytes = DEFAULT_UPLOAD_LIMIT_MB
    return int(megabytes * 1024 * 1024)


def contributor_tokens_from_env() -> dict[str, str]:
    """Contributor tokens from $INDICATORS_CONTRIBUTOR_TOKENS.

    Format: ``organisation=sha256hex`` pairs separated by commas or semicolons; each value is
    the SHA-256 hex digest of the token, never the token itself.
    """
    raw = os.environ.get("INDICATORS_CONTRIBUTOR_TOKENS", "")
    tokens: dict[str, str] = {}
    for part in raw.replace(";", ",").split(","):
        if "=" in part:
            organisation, digest = part.split("=", 1)
            if organisation.strip() and digest.strip():
                tokens[organisation.strip()] = digest.strip().lower()
    return tokens


@dataclass(frozen=True)
class IndicatorSettings:
    """What the indicator computation needs to know besides the data."""

    baseline_year: int = DEFAULT_BASELINE_YEAR
    use_proxies: bool = True
    horizon_years: int = HORIZON_YEARS

    @property
    def deadline_year(self) -> int:
        return self.baseline_year + self.horizon_years
