"""The read API: every view as JSON, CSV and Parquet under /api/v1/, on the dashboard's own
server (app.py). Streamlit-free: the routes are Starlette's, the figures the same snapshot
the pages show (``indicators.live.process_live``)."""

from indicators.api.citation import BIBTEX, CITATION
from indicators.api.server import PREFIX, api_app, forget, routes, standalone

__all__ = ["BIBTEX", "CITATION", "PREFIX", "api_app", "forget", "routes", "standalone"]
