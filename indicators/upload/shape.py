"""A table of text cells → the long observation frame, with plain-words problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from indicators.countries import describe_candidates, match_country
from indicators.measures import MEASURES
from indicators.problems import WARNING, Problem
from indicators.store import Source

MISSING = {"", "n/a", "na", "-", "..", "null", "none"}
SUPPRESSED = "<5"


@dataclass
class Shaped:
    figures: pl.DataFrame
    sources: list[Source]
    problems: list[Problem] = field(default_factory=list)


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip().lower())


def source_id_for(text: str) -> str:
    """A stable id for a contributor's source citation."""
    import hashlib

    return "contrib_" + hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def shape_long(table: pl.DataFrame, file_name: str, aliases: dict[str, str]) -> Shaped:
    """The long template: country (or iso3), year, measure, value, source, note."""
    columns = {_key(c): c for c in table.columns if c != "_row"}
    if "country" not in columns and "iso3" in columns:
        columns["country"] = columns["iso3"]
    required = ["country", "year", "measure", "value", "source"]
    missing = [c for c in required if c not in columns]
    if missing:
        return Shaped(pl.DataFrame(), [], [Problem(
            f"The header is missing the column(s) {', '.join(missing)}.",
            "Start from the template: country,year,measure,value,source,note.",
            file_name, 1, None, ",".join(c for c in table.columns if c != "_row"))])
    problems: list[Problem] = []
    records = []
    sources: dict[str, Source] = {}
    for row in table.iter_rows(named=True):
        line = int(row["_row"])
        cells = {k: (row[v] or "").strip() for k, v in columns.items()}
        if not any(cells.values()):
            continue
        match = match_country(cells["country"], aliases)
        if match.iso3 is None:
            hint = (f"Did you mean {describe_candidates(match.candidates)}?"
                    if match.candidates else "Use the country's English name or ISO3 code.")
            problems.append(Problem(
                "This country name could mean more than one country." if match.ambiguous
                else "This country is not recognised.", hint + " Write the ISO3 code to be sure.",
                file_name, line, columns["country"], cells["country"]))
            continue
        year_text = cells["year"]
        if not re.fullmatch(r"\d{4}", year_text):
            problems.append(Problem("The year is not a four-digit year.", "Write it as e.g. 2023.",
                                    file_name, line, columns["year"], year_text))
            continue
        measure = _key(cells["measure"])
        if measure not in MEASURES:
            problems.append(Problem(
                "This is not a measure the dashboard knows.",
                "Use one of: " + ", ".join(sorted(MEASURES)) + ".",
                file_name, line, columns["measure"], cells["measure"]))
            continue
        raw_value = cells["value"]
        value: float | None = None
        lower = upper = None
        status = "reported"
        if raw_value.lower() in MISSING:
            problems.append(Problem("No value: this row is skipped.",
                                    "Fill in the figure, or delete the row.",
                                    file_name, line, columns["value"], raw_value, WARNING))
            continue
        if raw_value.replace(" ", "") == SUPPRESSED:
            status, lower, upper = "suppressed", 1.0, 4.0
        else:
            try:
                value = float(raw_value.replace(",", ""))
            except ValueError:
                problems.append(Problem("The value is not a number.",
                                        "Write digits only, e.g. 1240, or '<5'.",
                                        file_name, line, columns["value"], raw_value))
                continue
        source_text = cells["source"]
        if not source_text:
            problems.append(Problem("The figure has no source.",
                                    "Say where it comes from (publisher and report).",
                                    file_name, line, columns["source"], ""))
            continue
        source_id = source_id_for(source_text)
        sources.setdefault(source_id, Source(id=source_id, publisher=source_text[:200],
                                             title=source_text, citation=source_text))
        records.append({
            "iso3": match.iso3, "year": int(year_text), "measure": measure, "value": value,
            "value_status": status, "lower": lower, "upper": upper, "source_id": source_id,
            "note": cells.get("note") or None, "_row": line, "_column": columns["value"],
            "_raw": raw_value,
        })
    figures = pl.DataFrame(records, schema={
        "iso3": pl.String, "year": pl.Int32, "measure": pl.String, "value": pl.Float64,
        "value_status": pl.String, "lower": pl.Float64, "upper": pl.Float64,
        "source_id": pl.String, "note": pl.String, "_row": pl.Int64, "_column": pl.String,
        "_raw": pl.String})
    return Shaped(figures, list(sources.values()), problems)
