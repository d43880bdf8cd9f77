"""The read API's HTTP side: Starlette routes under /api/v1/, served by the dashboard's own
server (app.py hands ``routes()`` to ``st.App``) or on their own (``standalone()``, for the
tests and the benchmark).

Every answer: an ETag from the data version (``304 Not Modified`` when it still holds),
Cache-Control, gzip, CORS for GET, and on a bad request a JSON error of one plain sentence
with HTTP 400 or 404, never a traceback and never the app's HTML. Answers are kept per data
version, so asking again costs a dictionary lookup.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from indicators.api import answers, documents, queries
from indicators.api.memo import Memo
from indicators.api.params import ApiError, paging
from indicators.live import LiveData, process_live, registered_live
from indicators.store import Snapshot, StoreError

PREFIX = "/api"
VERSION_PATH = "/v1"
CACHE_CONTROL = "public, max-age=60"
# Answers kept per data version: most are a few kB; bulk answers beyond this are made anew.
KEEP_AT_MOST_BYTES = 4_000_000
# Answers kept: at most 2,048, weighing at most 64 MB together (the oldest go first).
_answers = Memo(size=2048, budget=64_000_000, weigh=lambda kept: kept.weight)
GZIP_FROM_BYTES = 500
GZIP_LEVEL = 6
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """What a handler gets: the snapshot, the store behind it, the query and the format."""

    snapshot: Snapshot
    live: LiveData
    query: dict[str, str]
    fmt: str
    request: Request

    @property
    def version(self) -> str:
        return str(self.snapshot.version)

    def next_url(self, page: queries.Page) -> str | None:
        if page.offset + page.rows.height >= page.total:
            return None
        return str(self.request.url.include_query_params(offset=page.offset + page.limit,
                                                         limit=page.limit))


Handler = Callable[[Asked], answers.Body]


def _indicators(asked: Asked) -> answers.Body:
    ask = queries.indicator_ask(asked.snapshot, asked.query)
    offset, limit = paging(asked.query)
    page = queries.indicators(asked.snapshot, ask, offset, limit)
    return answers.indicator_rows(page, asked.fmt, asked.version, asked.next_url(page))


def _paged(make: Callable[[Snapshot, dict[str, str]], queries.Page]) -> Handler:
    def handler(asked: Asked) -> answers.Body:
        page = make(asked.snapshot, asked.query)
        return answers.table(page.rows, asked.fmt, asked.version, page=page,
                             next_url=asked.next_url(page))

    return handler


def _whole(make: Callable[[Asked], object]) -> Handler:
    def handler(asked: Asked) -> answers.Body:
        if asked.query:
            raise ApiError(400, f"This address takes no parameters (it was given "
                                f"{', '.join(sorted(asked.query))}).")
        return answers.table(make(asked), asked.fmt, asked.version)  # type: ignore[arg-type]

    return handler


def _revisions(asked: Asked) -> answers.Body:
    raw = asked.request.path_params["batch"]
    if not raw.isascii() or not raw.isdigit():
        raise ApiError(404, f"'{raw[:20]}' is not a batch number; see /api/v1/releases.json.")
    if asked.query:
        raise ApiError(400, "This address takes no parameters.")
    frame = queries.revisions(asked.live.store, asked.snapshot, int(raw))
    return answers.table(frame, asked.fmt, asked.version)


def _chart(asked: Asked) -> answers.Body:
    from indicators.api import images

    return images.indicator_chart(asked.snapshot, asked.query, asked.fmt)


def _charts(asked: Asked) -> answers.Body:
    from indicators.api import images

    return images.chart(asked.snapshot, asked.request.path_params["kind"], asked.query,
                        asked.fmt)


def _document(make: Callable[[Asked], answers.Body]) -> Handler:
    def handler(asked: Asked) -> answers.Body:
        if asked.query:
            raise ApiError(400, "This address takes no parameters.")
        return make(asked)

    return handler


# name → (path under /api/v1, formats, handler)
ENDPOINTS: dict[str, tuple[str, tuple[str, ...], Handler]] = {
    "feed": ("/releases.atom", ("atom",), _document(documents.atom_feed)),
    "chart": ("/chart.{fmt}", ("svg", "png"), _chart),
    "charts": ("/charts/{kind}.{fmt}", ("html", "svg", "png"), _charts),
    "indicators": ("/indicators.{fmt}", ("json", "csv", "parquet"), _indicators),
    "observations": ("/observations.{fmt}", ("json", "csv", "parquet"),
                     _paged(queries.observations)),
    "breaks": ("/breaks.{fmt}", ("json", "csv", "parquet"), _paged(queries.breaks)),
    "coverage": ("/coverage.{fmt}", ("json", "csv", "parquet"), _paged(queries.coverage)),
    "countries": ("/countries.{fmt}", ("json", "csv"),
                  _whole(lambda a: queries.countries(a.snapshot))),
    "regions": ("/regions.{fmt}", ("json", "csv"),
                _whole(lambda a: queries.regions(a.snapshot))),
    "measures": ("/measures.{fmt}", ("json", "csv"), _whole(lambda a: queries.measures())),
    "indicator_meta": ("/indicators/meta.{fmt}", ("json", "csv"),
                       _whole(lambda a: queries.indicator_meta())),
    "releases": ("/releases.{fmt}", ("json", "csv"),
                 _whole(lambda a: queries.releases(a.live.store, a.snapshot))),
    "revisions": ("/releases/{batch}.{fmt}", ("json", "csv", "parquet"), _revisions),
    "openapi": ("/openapi.json", ("json",), _document(documents.openapi_answer)),
    "datapackage": ("/datapackage.json", ("json",), _document(documents.datapackage_answer)),
    "bibtex": ("/citation.bib", ("bib",), _document(documents.bibtex_answer)),
    "index": ("/", ("json",), _document(documents.index_answer)),
}


def _etag(snapshot: Snapshot) -> str:
    version = snapshot.version
    return f'W/"{version.number}-{version.generation[:12]}"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


async def _snapshot() -> tuple[LiveData, Snapshot]:
    live = registered_live()
    if live is None or live.loaded_at is None:
        live = live or await run_in_threadpool(process_live)
        return live, await run_in_threadpool(live.current)
    return live, live.current()


@dataclass(frozen=True)
class _Kept:
    """An answer as kept: its body, and the body compressed once (None: too small to gain)."""

    body: answers.Body
    gzipped: bytes | None

    @property
    def weight(self) -> int:
        return len(self.body.content) + len(self.gzipped or b"")


def _made(handler: Handler, asked: Asked) -> _Kept:
    body = handler(asked)
    compressible = len(body.content) >= GZIP_FROM_BYTES and not body.media_type.startswith(
        ("image/png", answers.PARQUET))
    return _Kept(body, gzip.compress(body.content, GZIP_LEVEL, mtime=0)
                 if compressible else None)


_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")


def _part(body: answers.Body, wanted: re.Match, headers: dict[str, str]) -> Response:
    """HTTP 206: one byte range of the answer, never compressed (the range is of the
    answer's own bytes)."""
    size = len(body.content)
    first, last = wanted.group(1), wanted.group(2)
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    elif last:
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = 0, size - 1
    if start > end or start >= size:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    return Response(body.content[start:end + 1], status_code=206, media_type=body.media_type,
                    headers={**headers, **body.headers, "Accept-Ranges": "bytes",
                             "Content-Range": f"bytes {start}-{end}/{size}",
                             "Content-Encoding": "identity"})


def _endpoint(name: str, formats: tuple[str, ...], handler: Handler) -> Callable:
    async def endpoint(request: Request) -> Response:
        fmt = request.path_params.get("fmt", formats[0])
        if fmt not in formats:
            raise ApiError(404, f"This address answers as {', '.join('.' + f for f in formats)}"
                                f", not .{fmt[:12]}.")
        try:
            live, snapshot = await _snapshot()
        except StoreError as exc:
            raise ApiError(503, f"The database cannot be read just now; try again in a "
                                f"minute. ({exc})") from exc
        headers = _headers(snapshot)
        etag = headers["ETag"]
        if _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        key = (snapshot.version, request.scope["path"], request.scope["query_string"])
        kept = _answers.peek(key)
        if kept is None:
            asked = Asked(snapshot, live, dict(request.query_params), fmt, request)
            kept = await run_in_threadpool(_made, handler, asked)
            if len(kept.body.content) <= KEEP_AT_MOST_BYTES:
                _answers.put(key, kept)
        assert isinstance(kept, _Kept)
        body = kept.body
        wanted = _RANGE.fullmatch(request.headers.get("range", "").strip())
        if wanted:  # readers that fetch in parts (polars' read_csv / read_parquet of a URL)
            return _part(body, wanted, headers)
        if kept.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            return Response(kept.gzipped, media_type=body.media_type, headers={
                **headers, **body.headers, "Content-Encoding": "gzip",
                "Vary": "Accept-Encoding"})
        return Response(body.content, media_type=body.media_type,
                        headers={**headers, **body.headers, "Vary": "Accept-Encoding",
                                 "Accept-Ranges": "bytes"})

    endpoint.__name__ = name
    return endpoint


def _error(status: int, sentence: str, headers: dict[str, str] | None = None) -> Response:
    return Response(answers.error(status, sentence), status_code=status,
                    media_type=answers.JSON, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.sentence)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _error(404, "There is nothing at this address; /api/v1/ lists what there is.")
    if exc.status_code == 405:
        return _error(405, "This API only reads: use GET.", {"Allow": "GET, HEAD, OPTIONS"})
    return _error(exc.status_code, "The request could not be answered.")


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("API request %s failed", request.url.path)
    return _error(500, "The answer could not be made because of an unexpected error (it is "
                       "logged on the server); please try again later.")


EXPOSED = ("ETag", "Link", "X-Total-Count", "X-Data-Version")


def _headers(snapshot: Snapshot) -> dict[str, str]:
    return {"ETag": _etag(snapshot), "Cache-Control": CACHE_CONTROL,
            "X-Data-Version": str(snapshot.version)}


class _KeptFirst:
    """ASGI: a plain GET whose answer is already kept for the current data version is sent
    at once, with the bytes and headers the endpoint gives it, without the router and the
    middleware; anything else (a first request, a conditional or partial one, an error) goes
    to the app. The cached answers are most of the load a popular link makes."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        kept = self._kept(scope) if scope["type"] == "http" else None
        if kept is None:
            await self.app(scope, receive, send)
            return
        found, snapshot, headers = kept
        body = found.body
        out = {**_headers(snapshot), **body.headers, "Vary": "Accept-Encoding"}
        content = body.content
        if found.gzipped is not None and b"gzip" in headers.get(b"accept-encoding", b""):
            content = found.gzipped
            out["Content-Encoding"] = "gzip"
        else:
            out["Accept-Ranges"] = "bytes"
        if b"origin" in headers:
            out["Access-Control-Allow-Origin"] = "*"
            out["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
        out["Content-Type"] = body.media_type
        out["Content-Length"] = str(len(content))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1"))
                                for k, v in out.items()]})
        await send({"type": "http.response.body", "body": content})

    @staticmethod
    def _kept(scope: dict) -> tuple[_Kept, Snapshot, dict[bytes, bytes]] | None:
        if scope["method"] != "GET":
            return None
        live = registered_live()
        if live is None or live.loaded_at is None:
            return None
        headers = dict(scope["headers"])
        if b"range" in headers or b"if-none-match" in headers:
            return None
        snapshot = live.current()
        found = _answers.peek((snapshot.version, scope["path"], scope["query_string"]))
        return (found, snapshot, headers) if isinstance(found, _Kept) else None


@dataclass(frozen=True)
class _Asset:
    """A file the chart pages load, as kept once a process: its bytes, gzipped, and a tag."""

    content: bytes
    gzipped: bytes
    etag: str
    media_type: str


_assets: dict[str, _Asset] = {}
ASSET_CACHE_CONTROL = "public, max-age=86400"


def _asset_endpoint(name: str) -> Callable:
    """plotly.js and the map's base file, served under /api/v1/charts/ so an embedded chart
    asks no other site for anything; they change only with the installed packages, so their
    tag is their content's hash and they may be kept for a day."""
    async def endpoint(request: Request) -> Response:
        from indicators.api import images

        def made() -> _Asset:
            content = images.asset(name)
            digest = hashlib.sha256(content).hexdigest()[:16]
            return _Asset(content, gzip.compress(content, GZIP_LEVEL, mtime=0),
                          f'"{digest}"', images.ASSETS[name])

        found = _assets.get(name)
        if found is None:  # read and compressed once a process, off the event loop
            found = _assets[name] = await run_in_threadpool(made)
        headers = {"ETag": found.etag, "Cache-Control": ASSET_CACHE_CONTROL,
                   "Vary": "Accept-Encoding"}
        if _matches(request.headers.get("if-none-match"), found.etag):
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(found.gzipped, media_type=found.media_type,
                            headers={**headers, "Content-Encoding": "gzip"})
        return Response(found.content, media_type=found.media_type, headers=headers)

    endpoint.__name__ = f"asset {name}"
    return endpoint


def api_app() -> Callable:
    """The API as an ASGI app of its own, to be mounted at ``/api``."""
    from indicators.api.images import ASSETS

    routes = [Route(f"{VERSION_PATH}/charts/{name}", _asset_endpoint(name), methods=["GET"],
                    name=name) for name in ASSETS]
    routes += [Route(VERSION_PATH + path, _endpoint(name, formats, handler),
                     methods=["GET"], name=name)
               for name, (path, formats, handler) in ENDPOINTS.items()]
    middleware = [
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                   expose_headers=list(EXPOSED),
                   max_age=86400),
        Middleware(GZipMiddleware, minimum_size=GZIP_FROM_BYTES, compresslevel=GZIP_LEVEL),
    ]
    return _KeptFirst(Starlette(routes=routes, middleware=middleware, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, Exception: _unexpected}))


def routes() -> list[BaseRoute]:
    """The routes ``st.App`` serves beside the pages: everything under /api."""
    return [Mount(PREFIX, app=api_app())]


def standalone() -> Starlette:
    """The API alone, at the same addresses (tests, benchmarks): ``uvicorn --factory``."""
    return Starlette(routes=routes())


def forget() -> None:
    """Drop every kept answer and frame (tests)."""
    _answers.clear()
    queries.forget()
