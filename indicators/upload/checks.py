"""Upload rules beyond the Pandera model: repeated figures, and warnings worth a second look.

Warnings never block an upload; they point at figures that are possible but unusual:
convictions above prosecutions, detected victims above the estimate, and a jump of more than
ten times from the previous year's figure.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from indicators.catalogue import WORLDBANK_POPULATION, is_published
from indicators.countries import country_table
from indicators.i18n import N_
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.problems import ERROR, WARNING, Figure, Place, Problem, listed, said

KEYS = ["iso3", "year", "measure"]
ROW_ORDER = ["_row", "iso3", "year", "measure"]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return dict(country_table().select("iso3", "name").iter_rows())


def country_name(iso3: str) -> str:
    return _names().get(iso3, iso3)
JUMP_FACTOR = 10.0
_SAME = ["value", "value_status", "lower", "upper"]


def place_of(iso3: str) -> str:
    """'United Kingdom (GBR)', named by CLDR when the problem is read in French or Spanish."""
    return Place(country_name(iso3), iso3)


def figure_label(iso3: str, year: int, measure: str) -> str:
    return said(N_("{place} {year} {measure}"), place=place_of(iso3), year=year,
                measure=measure)


def number_text(value: float | None, status: str | None = None, lower: float | None = None,
                upper: float | None = None) -> str:
    """A figure as the contributor wrote it: '1,240', '12.5', '<5'."""
    if status == "suppressed" or (value is None and lower is not None):
        if lower is None or upper is None or (lower, upper) == (1.0, 4.0):
            return "<5"
        return f"{lower:g}–{upper:g}"
    if value is None:
        return "no data"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# Whole numbers below this are written by the column expression below (exact as floats).
_GROUPED_LIMIT = 1e15


def number_texts(value: pl.Series, status: pl.Series | None = None,
                 lower: pl.Series | None = None, upper: pl.Series | None = None) -> pl.Series:
    """`number_text` of every figure in the columns, in order. Whole numbers, by far the most
    common, are written by a column expression ('1,240'); every other figure once per distinct
    (value, status, bounds) by `number_text` itself."""
    height = len(value)

    def column(series: pl.Series | None, dtype: pl.DataType) -> pl.Series:
        return pl.Series([None] * height, dtype=dtype) if series is None else series

    frame = pl.DataFrame({
        "value": column(value, pl.Float64()), "status": column(status, pl.String()),
        "lower": column(lower, pl.Float64()), "upper": column(upper, pl.Float64()),
    })
    v = pl.col("value")
    whole = (
        v.is_not_null() & (pl.col("status").is_null() | (pl.col("status") != "suppressed"))
        & (v == v.floor()) & (v >= 0) & (v < _GROUPED_LIMIT)
        & ((v > 0) | (1 / v > 0))  # 0.0, not -0.0 (written '-0')
    )
    digits = v.cast(pl.Int64, strict=False).cast(pl.String)
    grouped = (digits.str.reverse().str.replace_all(r"(\d{3})", "${1},").str.reverse()
               .str.strip_chars_start(","))
    texts = frame.select(pl.when(whole).then(grouped).alias("text"))["text"]
    others = frame.with_row_index("_at").filter(~whole)
    if others.height:
        distinct = others.drop("_at").unique()
        written = distinct.with_columns(pl.Series(
            "_text", [number_text(*figure) for figure in distinct.iter_rows()],
            dtype=pl.String))
        placed = others.join(written, on=list(frame.columns), how="left", nulls_equal=True)
        texts = texts.scatter(placed["_at"], placed["_text"])
    return texts


def resolve_duplicates(figures: pl.DataFrame, file_name: str) -> tuple[pl.DataFrame, list[Problem]]:
    """The same country, year and measure twice: one copy kept if the figures agree, an error
    naming every row if they do not."""
    if figures.height == 0:
        return figures, []
    # Rows whose keys hash alike are the only candidates (a hash over the whole file is cheaper
    # than counting copies of three columns); they are then compared on the keys themselves.
    candidates = figures.filter(pl.struct(KEYS).hash().is_duplicated())
    repeated = candidates.with_columns(pl.len().over(KEYS).alias("_copies")).filter(
        pl.col("_copies") > 1)
    if repeated.height == 0:
        return figures, []
    problems: list[Problem] = []
    drop_rows: list[int] = []
    for _, group in repeated.sort("_row").group_by(KEYS, maintain_order=True):
        first = group.row(0, named=True)
        label = figure_label(first["iso3"], first["year"], first["measure"])
        rows = group["_row"].to_list()
        row_words = _row_list(rows)
        distinct = group.select(_SAME).unique()
        if distinct.height == 1:
            problems.append(Problem(
                said(N_("{figure} appears on {rows} with the same figure; it is imported once."),
                     figure=label, rows=row_words),
                N_("Nothing to do; delete the repeated rows to silence this warning."),
                file_name, rows[1], "country, year, measure", number_text(
                    first["value"], first["value_status"], first["lower"], first["upper"]),
                WARNING))
            drop_rows.extend(rows[1:])
        else:
            figures_text = listed([
                said(N_("{figure} on row {row}"), figure=Figure(number_text(
                    r["value"], r["value_status"], r["lower"], r["upper"])), row=r["_row"])
                for r in group.iter_rows(named=True)], N_("; "))
            problems.append(Problem(
                said(N_("{figure} is given more than once with different figures: {figures}."),
                     figure=label, figures=figures_text),
                N_("Keep the one row with the right figure and delete the others."),
                file_name, rows[1], "country, year, measure", None, ERROR))
            drop_rows.extend(rows[1:])
    return figures.filter(~pl.col("_row").is_in(drop_rows)), problems


def _row_list(rows: list[int]) -> str:
    words = [str(r) for r in rows]
    return said(N_("rows {rows} and {last}"), rows=", ".join(words[:-1]), last=words[-1])


def _bounds(prefix: str) -> list[pl.Expr]:
    """Lowest and highest a figure can be (a '<5' is 1 to 4)."""
    return [
        pl.coalesce(pl.col("value"), pl.col("lower")).alias(f"{prefix}_low"),
        pl.coalesce(pl.col("value"), pl.col("upper")).alias(f"{prefix}_high"),
        pl.col("value_status").alias(f"{prefix}_status"),
        pl.col("value").alias(f"{prefix}_value"),
        pl.col("lower").alias(f"{prefix}_lower"),
        pl.col("upper").alias(f"{prefix}_upper"),
        pl.col("_from").alias(f"{prefix}_from"),
        pl.col("_row").alias(f"{prefix}_row"),
        pl.col("_column").alias(f"{prefix}_column"),
        pl.col("_raw").alias(f"{prefix}_raw"),
    ]


def _combined(figures: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """The file's figures over the database's current ones: what the database would hold."""
    cols = [*KEYS, "value", "value_status", "lower", "upper"]
    incoming = figures.select(*cols, "_row", "_column", "_raw").with_columns(
        pl.lit("file").alias("_from"))
    stored = current.select(cols).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("_row"), pl.lit(None, dtype=pl.String).alias("_column"),
        pl.lit(None, dtype=pl.String).alias("_raw"), pl.lit("database").alias("_from"),
    ).join(incoming.select(KEYS), on=KEYS, how="anti")
    return pl.concat([incoming, stored], how="vertical_relaxed")


# More people than live on Earth: the bound for a country the store has no population for.
WORLD_POPULATION_BOUND = 10_000_000_000


def above_population(
    figures: pl.DataFrame, current: pl.DataFrame, file_name: str
) -> list[Problem]:
    """Errors for counts of people larger than the country's population that year: the World
    Bank's figure in the store (the nearest year's when that year has none), or more people
    than live on Earth for a country without one. Such a count is impossible, not unusual."""
    people = [m for m, spec in MEASURES.items()
              if spec.unit == "people" and not spec.is_flag and m not in CONTEXT_MEASURES]
    counts = figures.filter(pl.col("measure").is_in(people) & pl.col("value").is_not_null())
    if counts.height == 0:
        return []
    population = current.filter(
        (pl.col("measure") == "population") & pl.col("value").is_not_null()
        & pl.col("source_id").str.starts_with(WORLDBANK_POPULATION.key + "_")
    ).select("iso3", pl.col("year").alias("_pop_year"), pl.col("value").alias("_population"))
    over = (
        counts.with_columns(pl.col("year").cast(population["_pop_year"].dtype)).sort("year")
        .join_asof(population.sort("_pop_year"), left_on="year", right_on="_pop_year",
                   by="iso3", strategy="nearest", check_sortedness=False)
        .filter(pl.col("value") > pl.col("_population").fill_null(WORLD_POPULATION_BOUND))
        .sort(ROW_ORDER)
    )
    problems = []
    for r in over.iter_rows(named=True):
        figure = f"{r['measure']} {number_text(r['value'])}"
        place = place_of(r["iso3"])
        if r["_population"] is None:
            message = said(N_("{figure} is more people than live on Earth."), figure=figure)
        elif r["_pop_year"] == r["year"]:
            message = said(N_("{figure} is more than the whole population of {place} in "
                              "{year}: {population} people."), figure=figure, place=place,
                           year=r["year"], population=Figure(number_text(r["_population"])))
        else:
            message = said(N_("{figure} is more than the whole population of {place} in "
                              "{year}, the nearest year the World Bank gives: {population} "
                              "people."), figure=figure, place=place, year=r["_pop_year"],
                           population=Figure(number_text(r["_population"])))
        problems.append(Problem(
            message,
            N_("Check the figure for a slip (extra zeros, or a figure for another country or "
               "measure): a count of people cannot be larger than the population."),
            file_name, r.get("_row"), r.get("_column"), r.get("_raw"), ERROR))
    return problems


def plausibility_warnings(
    figures: pl.DataFrame, current: pl.DataFrame, file_name: str
) -> list[Problem]:
    """Warnings for figures that are possible but unusual, in the file or against the store."""
    if figures.height == 0:
        return []
    combined = _combined(figures, current)
    problems = _convicted_above_prosecuted(combined, file_name)
    problems += _detected_above_estimate(combined, file_name)
    problems += _jumps(combined, file_name)
    problems += _differs_from_published(figures, current, file_name)
    return problems


def _differs_from_published(
    figures: pl.DataFrame, current: pl.DataFrame, file_name: str
) -> list[Problem]:
    """A file that changes a figure a publisher released (UNODC, Walk Free) says so plainly:
    both are kept, and the contributor's is shown beside the published one after review (used
    by the indicators only if a reviewer adopts it as a correction)."""
    stored = current.filter(is_published(pl.col("source_id"))).select(
        *KEYS,
        pl.col("value").alias("old_value"), pl.col("value_status").alias("old_status"),
        pl.col("lower").alias("old_lower"), pl.col("upper").alias("old_upper"),
        pl.col("source_publisher").alias("publisher"),
    )
    replaced = figures.join(stored, on=KEYS, how="inner").filter(
        ~(pl.col("value").eq_missing(pl.col("old_value"))
          & pl.col("lower").eq_missing(pl.col("old_lower"))
          & pl.col("upper").eq_missing(pl.col("old_upper")))
    ).sort(KEYS)
    problems = []
    for r in replaced.iter_rows(named=True):
        old = Figure(number_text(r["old_value"], r["old_status"], r["old_lower"],
                                 r["old_upper"]))
        problems.append(Problem(
            said(N_("This differs from the figure {publisher} published for {figure} ({old})."),
                 publisher=r["publisher"],
                 figure=figure_label(r["iso3"], r["year"], r["measure"]), old=old),
            N_("Both are kept: once reviewed, your figure is shown beside the published one as "
               "your organisation's, and the indicators keep using the published figure unless "
               "a reviewer adopts yours as a correction; if it corrects the published one, say "
               "why in the note."),
            file_name, r.get("_row"), r.get("_column"), r.get("_raw"), WARNING))
    return problems


def _pair_warning(record: dict, prefixes: tuple[str, str], message: str, fix: str,
                  file_name: str) -> Problem:
    """A warning about two figures, placed at the first one's cell when the file gives it, at
    the second one's otherwise."""
    first, second = prefixes
    prefix = first if record[f"{first}_from"] == "file" else second
    return Problem(message, fix, file_name, record[f"{prefix}_row"], record[f"{prefix}_column"],
                   record[f"{prefix}_raw"], WARNING)


def _said(record: dict, prefix: str) -> str:
    text = Figure(number_text(record[f"{prefix}_value"], record[f"{prefix}_status"],
                              record[f"{prefix}_lower"], record[f"{prefix}_upper"]))
    return text if record[f"{prefix}_from"] == "file" \
        else said(N_("{figure}, already in the database"), figure=text)


def _convicted_above_prosecuted(combined: pl.DataFrame, file_name: str) -> list[Problem]:
    convicted = combined.filter(pl.col("measure") == "persons_convicted").select(
        "iso3", "year", *_bounds("c"))
    prosecuted = combined.filter(pl.col("measure") == "persons_prosecuted").select(
        "iso3", "year", *_bounds("p"))
    pairs = convicted.join(prosecuted, on=["iso3", "year"]).filter(
        ((pl.col("c_from") == "file") | (pl.col("p_from") == "file"))
        & (pl.col("c_low") > pl.col("p_high"))
    ).sort("iso3", "year")
    return [_pair_warning(
        r, ("c", "p"),
        said(N_("More persons convicted ({convicted}) than prosecuted ({prosecuted}) in "
                "{place} {year}."), convicted=_said(r, "c"), prosecuted=_said(r, "p"),
             place=place_of(r["iso3"]), year=r["year"]),
        N_("Check both figures. It can happen when cases from earlier years end in "
           "convictions, so this does not stop the upload; say so in the note."),
        file_name) for r in pairs.iter_rows(named=True)]


def _detected_above_estimate(combined: pl.DataFrame, file_name: str) -> list[Problem]:
    detected = combined.filter(pl.col("measure") == "victims_detected").select(
        "iso3", "year", *_bounds("d"))
    estimates = combined.filter(pl.col("measure") == "estimated_victims").select(
        "iso3", pl.col("year").alias("e_year"), *_bounds("e"))
    if detected.height == 0 or estimates.height == 0:
        return []
    nearest = (
        detected.sort("year")
        .join_asof(estimates.sort("e_year"), left_on="year", right_on="e_year", by="iso3",
                   strategy="nearest", check_sortedness=False)
        .filter(pl.col("e_year").is_not_null())
        .sort("iso3", "year")
        # A detected figure from the file meets its nearest estimate; an estimate from the file
        # meets the detected figure of its own year only (not every stored year).
        .filter(((pl.col("d_from") == "file")
                 | ((pl.col("e_from") == "file") & (pl.col("year") == pl.col("e_year"))))
                & (pl.col("d_low") > pl.col("e_high")))
    )
    return [_pair_warning(
        r, ("d", "e"),
        said(N_("More victims detected ({detected}) in {place} {year} than the estimated "
                "number of victims ({estimated}, estimate for {estimate_year})."),
             detected=_said(r, "d"), place=place_of(r["iso3"]),
             year=r["year"], estimated=_said(r, "e"), estimate_year=r["e_year"]),
        N_("Check the figure: detecting more victims than the estimate is possible but rare; "
           "explain it in the note if it is right."),
        file_name) for r in nearest.iter_rows(named=True)]


def _figure_keys(measures: list[str]) -> pl.Expr:
    """Country, measure and year as one integer, so the year-on-year self-join is on one
    number instead of three columns (the costliest join of the checks on a large file)."""
    return (pl.col("iso3").cast(pl.Categorical).to_physical().cast(pl.UInt64) * (1 << 24)
            + pl.col("measure").replace_strict({m: i for i, m in enumerate(measures)},
                                               return_dtype=pl.UInt64) * (1 << 16)
            + pl.col("year").cast(pl.UInt64))


def _jumps(combined: pl.DataFrame, file_name: str) -> list[Problem]:
    counts = [m for m, spec in MEASURES.items() if not spec.is_flag and m not in CONTEXT_MEASURES]
    exact = combined.with_row_index("_at").filter(
        pl.col("measure").is_in(counts) & pl.col("value").is_not_null() & (pl.col("value") > 0)
        & pl.col("year").is_between(0, 9999)  # every year a figure can have: four digits
    ).select("_at", "value", "_from", _figure_keys(counts).alias("_key"))
    before = exact.select(pl.col("_at").alias("_before_at"), (pl.col("_key") + 1).alias("_key"),
                          pl.col("value").alias("_before"), pl.col("_from").alias("_before_from"))
    found = exact.join(before, on="_key").with_columns(
        (pl.col("value") / pl.col("_before")).alias("_ratio")
    ).filter(
        ((pl.col("_from") == "file") | (pl.col("_before_from") == "file"))
        & ((pl.col("_ratio") > JUMP_FACTOR) | (pl.col("_ratio") < 1 / JUMP_FACTOR))
    )
    # Only the few figures that jump are looked up again with everything a message needs.
    jumps = pl.concat([
        combined[found["_at"]].select(*KEYS, *_bounds("n")),
        combined[found["_before_at"]].select(*_bounds("b")),
        found.select("_ratio"),
    ], how="horizontal").sort(KEYS)
    return [_pair_warning(
        r, ("n", "b"),
        _jump_sentence(r),
        N_("Check for a slip (an extra or missing zero) or a change in how it is counted; "
           "explain a real change in the note."),
        file_name) for r in jumps.iter_rows(named=True)]


def _jump_sentence(r: dict) -> str:
    """'persons_convicted for United Kingdom (GBR) 2019 (9,000) is 47 times the figure for
    2018 (191, already in the database).' (or 'less than a tenth of')."""
    values = {"measure": r["measure"], "place": place_of(r["iso3"]),
              "year": r["year"], "now": _said(r, "n"), "before_year": r["year"] - 1,
              "before": _said(r, "b")}
    if r["_ratio"] > 1:
        return said(N_("{measure} for {place} {year} ({now}) is {ratio} times the figure for "
                       "{before_year} ({before})."), ratio=f"{r['_ratio']:.0f}", **values)
    return said(N_("{measure} for {place} {year} ({now}) is less than a tenth of the figure for "
                   "{before_year} ({before})."), **values)
