"""The API's documents: its index, the OpenAPI 3.1 description, the Frictionless Data Package
of the CSV resources, the Atom feed of releases and approved contributions, and BibTeX."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import polars as pl

from indicators.api import answers, queries
from indicators.api.citation import BIBTEX, CITATION, DASHBOARD_TITLE, DASHBOARD_VERSION
from indicators.api.params import DEFAULT_LIMIT, MAX_LIMIT
from indicators.measures import INDICATORS

if TYPE_CHECKING:
    from indicators.api.server import Asked
    from indicators.store import Snapshot

BASE = "/api/v1"
# what a `countries` parameter names
SCOPE_WORDS = ("ISO3 codes, region or UN M49 subregion names (Western Africa) or WORLD, "
               "comma-separated")
BULK_LIMIT = MAX_LIMIT


def _base_url(asked: Asked) -> str:
    return str(asked.request.base_url).rstrip("/") + BASE


def index_answer(asked: Asked) -> answers.Body:
    base = _base_url(asked)
    return answers.Body(answers._dumps({
        "title": f"{DASHBOARD_TITLE}: read API",
        "data_version": asked.version,
        "citation": CITATION,
        "documents": {"openapi": f"{base}/openapi.json", "datapackage": f"{base}/datapackage.json",
                      "feed": f"{base}/releases.atom", "bibtex": f"{base}/citation.bib"},
        "examples": [base + path for path in EXAMPLES],
    }), answers.JSON)


EXAMPLES = (
    "/indicators.json?indicator=conviction_rate&countries=GBR&year=2019",
    "/indicators.csv?indicator=conviction_rate&countries=GBR,USA&years=2010-2020",
    "/observations.json?country=GBR&measure=persons_convicted&years=2015-2020",
    "/countries.json", "/regions.json", "/measures.json", "/indicators/meta.json",
    "/releases.json", "/breaks.json?country=GBR",
    "/coverage.json", "/coverage.csv?measure=victims_detected&region=Europe",
    "/charts/lines.html?indicator=conviction_rate&countries=GBR,WORLD&years=2010-2020",
)


# -- OpenAPI -------------------------------------------------------------------------------------
def _param(name: str, description: str, example: str | None = None, *,
           schema: dict | None = None, where: str = "query", required: bool = False) -> dict:
    found = {"name": name, "in": where, "required": required or where == "path",
             "description": description, "schema": schema or {"type": "string"}}
    if example is not None:
        found["example"] = example
    return found


def _format(formats: tuple[str, ...]) -> dict:
    return _param("format", "The answer's format.", "json", where="path",
                  schema={"type": "string", "enum": list(formats)})


_PAGING = [
    _param("limit", f"Rows per answer (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).",
           schema={"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
    _param("offset", "Rows to skip (the answer's paging.next gives the next page's address).",
           schema={"type": "integer", "minimum": 0}),
]
_FILTERS = [
    _param("country", "ISO3 codes, comma-separated.", "GBR"),
    _param("measure", "Measure names, comma-separated (see /api/v1/measures.json)."),
    _param("year", "One year."),
    _param("years", "A range of years, e.g. 2010-2020."),
]
NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
SCHEMAS: dict[str, dict] = {
    "Error": {"type": "object", "required": ["status", "error"], "properties": {
        "status": {"type": "integer"}, "error": {"type": "string"}}},
    "Paging": {"type": "object", "required": ["offset", "limit", "total", "returned", "next"],
               "properties": {"offset": {"type": "integer"}, "limit": {"type": "integer"},
                              "total": {"type": "integer"}, "returned": {"type": "integer"},
                              "next": NULLABLE_STRING}},
    "Input": {"type": "object", "required": ["measure", "scope", "year", "value", "source"],
              "properties": {"measure": {"type": "string"}, "scope": {"type": "string"},
                             "year": {"type": "integer"}, "value": NULLABLE_NUMBER,
                             "value_status": NULLABLE_STRING, "lower": NULLABLE_NUMBER,
                             "upper": NULLABLE_NUMBER, "source": NULLABLE_STRING}},
    "IndicatorRow": {"type": "object", "required": [
        "indicator", "scope", "year", "value", "target", "status", "inputs", "value_text",
        "status_text", "lower", "upper", "trend", "basis", "coverage_share"],
        "properties": {
            "indicator": {"type": "string"}, "scope": {"type": "string"},
            "scope_type": {"type": "string"}, "year": {"type": "integer"},
            "value": NULLABLE_NUMBER, "lower": NULLABLE_NUMBER, "upper": NULLABLE_NUMBER,
            "target": NULLABLE_NUMBER, "status": {"type": "string"},
            "trend": NULLABLE_STRING,
            "basis": {**NULLABLE_STRING, "description": (
                "What the value rests on: own, proxy or partly_proxy; for SDG 16.2.2 "
                "(victims_per_100k), published (UNODC's published value) or computed (from "
                "detected victims and World Bank population: where UNODC publishes none, and "
                "always for regions and the world).")},
            "proxy": NULLABLE_STRING,
            "value_text": {"type": "string"}, "status_text": {"type": "string"},
            "countries_counted": NULLABLE_INTEGER, "coverage_share": NULLABLE_NUMBER,
            "series_break": {"type": ["boolean", "null"]},
            "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/Input"}}}},
    "Observation": {"type": "object", "required": list(queries.OBSERVATION_COLUMNS),
                    "properties": {
                        "iso3": {"type": "string"}, "country": NULLABLE_STRING,
                        "year": {"type": "integer"}, "measure": {"type": "string"},
                        "value": NULLABLE_NUMBER, "value_status": {"type": "string"},
                        "lower": NULLABLE_NUMBER, "upper": NULLABLE_NUMBER,
                        "source_id": {"type": "string"}, "release": NULLABLE_STRING,
                        "series_kind": {"type": "string", "enum": ["official", "contributed"]},
                        "series": {"type": "string"}, "basis": NULLABLE_STRING,
                        "batch_id": {"type": "integer"}}},
    "CoverageRow": {
        "type": "object", "required": ["measure", "year"],
        "description": "Without measure=: how many countries have a figure for the measure "
                       "that year (measure, label, year, countries). With measure=: one country "
                       "and year, with the figure's state (reported, suppressed, estimate or "
                       "missing), its text and source.",
        "properties": {
            "measure": {"type": "string"}, "label": {"type": "string"},
            "year": {"type": "integer"}, "countries": {"type": "integer", "minimum": 0},
            "iso3": {"type": "string"}, "name": {"type": "string"},
            "region": {"type": "string"},
            "state": {"type": "string", "enum": ["reported", "suppressed", "estimate",
                                                 "missing"]},
            "value_text": {"type": "string"}, "source": NULLABLE_STRING}},
    "Row": {"type": "object"},
}


def _answer(row: str, *, paged: bool) -> dict:
    required = ["data_version", "citation", "data"] + (["paging"] if paged else [])
    properties: dict[str, dict] = {
        "data_version": {"type": "string"}, "citation": {"type": "string"},
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{row}"}}}
    if paged:
        properties["paging"] = {"$ref": "#/components/schemas/Paging"}
    return {"type": "object", "required": required, "properties": properties}


def _operation(summary: str, parameters: list[dict], formats: tuple[str, ...], row: str, *,
               paged: bool) -> dict:
    content: dict[str, dict] = {"application/json": {"schema": _answer(row, paged=paged)}}
    if "csv" in formats:
        content["text/csv"] = {"schema": {"type": "string"}}
    if "parquet" in formats:
        content["application/vnd.apache.parquet"] = {"schema": {"type": "string",
                                                               "format": "binary"}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {"get": {"summary": summary, "parameters": [_format(formats), *parameters],
                    "responses": {"200": {"description": "The rows asked for.",
                                          "content": content},
                                  "304": {"description": "Not modified since the ETag given."},
                                  "400": {"description": "A bad parameter.", **error},
                                  "404": {"description": "No such address.", **error}}}}


def openapi() -> dict:
    indicator_params = [
        _param("indicator", "An indicator's key or number (all when absent).", "conviction_rate"),
        _param("countries", SCOPE_WORDS + ".", "GBR"),
        _param("year", "One year, or 'recommended' (all when absent).", "2019"),
        _param("years", "A range of years, e.g. 2010-2021."),
        _param("baseline", "The baseline year of the trends."),
        _param("proxies", "on or off: stand-ins where no country publishes a series."),
        _param("series", "An organisation's name: its approved series first."),
        _param("inputs", "on or off: the figures each value rests on."),
        *_PAGING,
    ]
    table = ("json", "csv")
    paths = {
        f"{BASE}/indicators.{{format}}": _operation(
            "The indicators: value, bounds, status, trend, basis, coverage and the figures "
            "each rests on.", indicator_params, ("json", "csv", "parquet"), "IndicatorRow",
            paged=True),
        f"{BASE}/observations.{{format}}": _operation(
            "Published figures with their source, release, series and batch.",
            [*_FILTERS, _param("series", "official, all or an organisation's name (default: "
                               "the figures the indicators use)."), *_PAGING],
            ("json", "csv", "parquet"), "Observation", paged=True),
        f"{BASE}/breaks.{{format}}": _operation(
            "Published counts that are a possible break in their series.",
            [*_FILTERS, *_PAGING], ("json", "csv", "parquet"), "Row", paged=True),
        f"{BASE}/coverage.{{format}}": _operation(
            "Which figures exist, as the Data and methodology page's heatmaps draw them: "
            "without measure, how many countries have each measure's figure, by year; with "
            "measure, every country with any published figure (in the region, or all) by "
            "year, and whether it has that measure's figure.",
            [_param("measure", "One measure (see /api/v1/measures.json); absent: every "
                    "measure's count of countries.", "victims_detected"),
             _param("region", "A region of the country list (with measure): its countries "
                    "only.", "Europe"),
             _param("years", "A range of years (default: the years the indicators cover)."),
             *_PAGING], ("json", "csv", "parquet"), "CoverageRow", paged=True),
        f"{BASE}/countries.{{format}}": _operation(
            "Countries with their regions and UN M49 subregions.", [], table, "Row",
            paged=False),
        f"{BASE}/regions.{{format}}": _operation(
            "Regions, UN M49 subregions (kind subregion, within: its region) and the world.",
            [], table, "Row", paged=False),
        f"{BASE}/measures.{{format}}": _operation("The measures and their definitions.", [],
                                                 table, "Row", paged=False),
        f"{BASE}/indicators/meta.{{format}}": _operation(
            "The indicators' definitions, targets and the paper's wording.", [], table, "Row",
            paged=False),
        f"{BASE}/releases.{{format}}": _operation("Every loaded release.", [], table, "Row",
                                                 paged=False),
        f"{BASE}/releases/{{batch}}.{{format}}": _operation(
            "What a release revised, figure by figure.",
            [_param("batch", "The release's batch (see releases).", "1", where="path",
                    schema={"type": "string", "pattern": "^[0-9]+$"})],
            ("json", "csv", "parquet"), "Row", paged=False),
    }
    paths[f"{BASE}/chart.{{format}}"] = {"get": {
        "summary": "An indicator over time for the chosen scopes, as SVG or PNG (the lines "
                   "chart of /api/v1/charts/; kept so older links work).",
        "parameters": [
            _param("format", "The image's format.", "svg", where="path",
                   schema={"type": "string", "enum": ["svg", "png"]}),
            _param("indicator", "An indicator's key or number.", "conviction_rate"),
            _param("countries", SCOPE_WORDS + "; every "
                   "one is drawn (beyond six and the world, the first six named in colour and "
                   "the rest in grey).", "GBR,WORLD", required=True),
            _param("years", "A range of years.", "2010-2020")],
        "responses": {"200": {"description": "The chart.", "content": {
            "image/svg+xml": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}}}},
            "400": {"description": "A bad parameter.", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}}}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    paths[f"{BASE}/charts/{{kind}}.{{format}}"] = {"get": {
        "summary": "A chart of the Compare page alone, for embedding: html is a standalone "
                   "page with only the chart (plotly.js served by this API, the chart's text "
                   "alternative for screen readers), svg and png its image; built from the "
                   "current data on each new data version.",
        "parameters": [
            _param("kind", "Compare's charts: lines (an indicator over time), ranking (one "
                   "year's ranking of the chosen scopes), map (every country's latest figure); "
                   "a Country profile's (with country=): figures (its published counts over "
                   "time), victims (its detected victims by sex and age or by form of "
                   "exploitation), coverage (which figures exist for which years), "
                   "citizenship (the citizenships of the victims it detected in a year), "
                   "abroad (where its nationals were detected as victims in a year); the Data and "
                   "methodology page's: coverage-summary (how many countries have each "
                   "measure's figure, by year), coverage-countries (which countries have one "
                   "measure's figures, by year).", "lines",
                   where="path", schema={"type": "string", "enum": [
                       "lines", "ranking", "map", "figures", "victims", "coverage",
                       "citizenship", "abroad", "coverage-summary", "coverage-countries"]}),
            _param("format", "html (for an iframe), svg or png.", "html", where="path",
                   schema={"type": "string", "enum": ["html", "svg", "png"]}),
            _param("indicator", "An indicator's key or number (default conviction_rate), or a "
                   "published count's measure (see /api/v1/measures.json).", "conviction_rate"),
            _param("per", "count or 100k: a published count (or victims' breakdown) as it is "
                   "or per 100,000 people."),
            _param("countries", SCOPE_WORDS + " (lines: "
                   "required; ranking: default WORLD).", "GBR,WORLD"),
            _param("years", "A range of years (lines: the years drawn; map: from the first, "
                   "each country's latest figure).", "2010-2020"),
            _param("year", "The year of the ranking, the map, citizenship and abroad, or "
                   "'recommended' (the pages' default year).", "2015"),
            _param("baseline", "The baseline year of the trends."),
            _param("proxies", "on or off: stand-ins where no country publishes a series."),
            _param("scale", "auto, target, data or log: the value axis."),
            _param("map", "value or status: what the map's colours show."),
            _param("country", "figures, victims, coverage, citizenship, abroad: the "
                   "country's ISO3 code.", "GBR"),
            _param("split", "victims: sex_age or form."),
            _param("age", "victims with split=form: all, 0-17 (children) or 18+ (adults)."),
            _param("sex", "victims with split=form and an age group: all, female or male "
                   "(UNODC gives no sex for all ages)."),
            _param("measure", "coverage-countries: the measure (default victims_detected).",
                   "victims_detected"),
            _param("region", "coverage-countries: a region's countries only (default all).",
                   "Europe")],
        "responses": {"200": {"description": "The chart.", "content": {
            "text/html": {"schema": {"type": "string"}},
            "image/svg+xml": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}}}},
            "304": {"description": "Not modified since the ETag given."},
            "400": {"description": "A bad parameter.", **error},
            "404": {"description": "No such chart or format, or (citizenship, abroad) no "
                    "figures in the year asked: the answer names the nearest year with "
                    "figures.", **error}}}}
    paths[f"{BASE}/releases.atom"] = {"get": {"summary": "New releases and approved "
                                              "contributions (Atom).", "responses": {
        "200": {"description": "An Atom feed.",
                "content": {"application/atom+xml": {"schema": {"type": "string"}}}}}}}
    for name, summary in (("openapi.json", "This document."),
                          ("datapackage.json", "The Frictionless Data Package of the CSVs.")):
        paths[f"{BASE}/{name}"] = {"get": {"summary": summary, "responses": {
            "200": {"description": summary,
                    "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{DASHBOARD_TITLE}: read API", "version": DASHBOARD_VERSION,
                 "description": "Published figures only: nothing submitted for review and "
                                f"not yet approved appears. Cite as: {CITATION}",
                 "license": {"name": "MIT (code); the data keep their publishers' terms"}},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


def openapi_answer(asked: Asked) -> answers.Body:
    return answers.Body(answers._dumps(openapi()), answers.JSON)


# -- Frictionless Data Package -----------------------------------------------------------------
_TYPES = {pl.Boolean: "boolean", pl.String: "string", pl.Date: "date", pl.Datetime: "datetime"}


def _field_type(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    return next((kind for base, kind in _TYPES.items() if isinstance(dtype, base)), "string")


def _schema(frame: pl.DataFrame) -> dict:
    return {"fields": [{"name": name, "type": _field_type(dtype)}
                       for name, dtype in frame.schema.items()]}


def _indicator_csv_columns(snapshot: Snapshot) -> pl.DataFrame:
    """An empty frame with the columns and types of an indicators CSV without inputs (the
    rows' own columns, then the value and status in words)."""
    ask = queries.indicator_ask(snapshot, {"inputs": "off"})
    rows = queries.indicators(snapshot, ask, 0, 1).rows.drop("inputs").head(0)
    return rows.with_columns(pl.lit(None, dtype=pl.String).alias("value_text"),
                             pl.lit(None, dtype=pl.String).alias("status_text"))


def datapackage(asked: Asked) -> dict:
    base = _base_url(asked)
    snapshot = asked.snapshot
    limit = f"?limit={BULK_LIMIT}"
    resources = [
        ("countries", "countries.csv", queries.countries(snapshot)),
        ("regions", "regions.csv", queries.regions(snapshot)),
        ("measures", "measures.csv", queries.measures()),
        ("indicator-definitions", "indicators/meta.csv", queries.indicator_meta()),
        ("releases", "releases.csv", queries.releases(asked.live.store, snapshot)),
        ("breaks", f"breaks.csv{limit}", queries.break_frame(snapshot)),
        ("coverage", f"coverage.csv{limit}",
         queries.coverage_frame(snapshot, queries.coverage_ask(snapshot, {}))),
        ("coverage-victims-detected", f"coverage.csv{limit}&measure=victims_detected",
         queries.coverage_frame(snapshot, queries.coverage_ask(
             snapshot, {"measure": "victims_detected"}))),
        ("observations-gbr", "observations.csv?country=GBR&limit=" + str(BULK_LIMIT),
         queries.observation_frame(snapshot, None)),
        *((f"indicator-{key.replace('_', '-')}",
           f"indicators.csv?indicator={key}&inputs=off&limit={BULK_LIMIT}",
           _indicator_csv_columns(snapshot)) for key in INDICATORS),
    ]
    return {
        "name": "anti-trafficking-indicators",
        "title": f"{DASHBOARD_TITLE}: published figures and indicators",
        "version": str(snapshot.version),
        "licenses": [{"name": "other-at", "title": "Each source's own terms (see sources)"}],
        "sources": [{"title": t} for t in CITATION.split("; ")[:1]],
        "description": f"Cite as: {CITATION}",
        "resources": [{
            "name": name, "path": f"{base}/{path}", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"commentChar": "#"},
            "schema": _schema(frame),
        } for name, path, frame in resources],
    }


def datapackage_answer(asked: Asked) -> answers.Body:
    return answers.Body(answers._dumps(datapackage(asked)), answers.JSON)


# -- Atom ------------------------------------------------------------------------------------
def _when(text: object) -> str:
    if isinstance(text, dt.datetime):
        moment = text
    else:
        try:
            moment = dt.datetime.fromisoformat(str(text))
        except ValueError:
            moment = dt.datetime(2000, 1, 1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def atom_feed(asked: Asked) -> answers.Body:
    """New releases of the published sources and approved contributions, newest first."""
    base = _base_url(asked)
    entries: list[tuple[str, str, str, str, str]] = []
    for row in queries.releases(asked.live.store, asked.snapshot).iter_rows(named=True):
        if row["status"] != "committed":
            continue
        entries.append((
            _when(row["loaded"]), f"release-{row['batch']}",
            f"Release {row['source_id']} ({row['edition'] or 'no edition'})",
            f"{row['written']:,} figures written; {row['current']:,} of today's figures come "
            "from it.", f"{base}/releases/{row['batch']}.json"))
    for row in queries.contributions(asked.live.store, asked.snapshot).iter_rows(named=True):
        entries.append((
            _when(row["happened_at"]), f"contribution-{row['batch_id']}",
            f"Contribution approved: {row['organisation'] or 'a contributor'} "
            f"(batch {row['batch_id']})",
            f"Approved by {row['actor'] or 'a reviewer'}. {row['note'] or ''}".strip(),
            f"{base}/observations.json?series={row['organisation'] or ''}"))
    entries.sort(reverse=True)
    updated = entries[0][0] if entries else _when(dt.datetime.now(dt.UTC))
    items = "".join(
        f"<entry><id>urn:anti-trafficking-indicators:{escape(key)}</id>"
        f"<title>{escape(title)}</title><updated>{when}</updated>"
        f"<link href=\"{escape(link)}\"/><summary>{escape(summary)}</summary></entry>"
        for when, key, title, summary, link in entries)
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>urn:anti-trafficking-indicators:releases</id>"
        f"<title>{escape(DASHBOARD_TITLE)}: releases and approved contributions</title>"
        f"<updated>{updated}</updated><link rel=\"self\" href=\"{escape(base)}/releases.atom\"/>"
        f"<author><name>{escape(DASHBOARD_TITLE)}</name></author>"
        f"<rights>{escape(CITATION)}</rights>{items}</feed>")
    return answers.Body(xml.encode("utf-8"), "application/atom+xml")


def bibtex_answer(asked: Asked) -> answers.Body:
    return answers.Body(BIBTEX.encode("utf-8"), "application/x-bibtex; charset=utf-8")
