"""Production settings in .streamlit/config.toml, checked against Streamlit's own option list."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def settings() -> dict[str, dict[str, object]]:
    return tomllib.loads(CONFIG.read_text())


def test_every_option_is_one_streamlit_knows():
    known = set(config._config_options_template)
    written = {f"{section}.{name}" for section, options in settings().items()
               for name in options if not isinstance(options[name], dict)}
    assert written <= known, written - known


def test_production_settings():
    server = settings()["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["maxUploadSize"] == 20
    assert server["fileWatcherType"] == "none"
    assert settings()["client"]["showErrorDetails"] == "none"
    assert settings()["client"]["toolbarMode"] == "viewer"
    assert settings()["browser"]["gatherUsageStats"] is False
