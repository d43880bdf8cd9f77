"""Who the detected victims are, and where they come from: UNODC's breakdowns shaped for the
Country profile and the brief. Pure functions, frames in, frames out.

Each frame holds exactly the rows one chart draws (its CSV download). The breakdowns are read
as UNODC publishes them (docs/methodology.md, Breakdowns): each is its own figure, never added
into the national total nor into each other, and their parts may add up to more than the
total. A '<5' stays a range (1 to 4), per 100,000 people too; a missing figure is a missing
row (a gap), never a zero.

* ``victim_splits``: per country and year, detected victims by sex and age (girls, women,
  boys, men, other sex, unknown) and by form of exploitation (for all ages, or for children or
  adults and a sex within them), each as a count and per 100,000 people (the same year's World
  Bank population): SDG 16.2.2's splits.
* ``forms_by_group``: one year's forms of exploitation for every age and sex group UNODC
  publishes (all ages, children, girls, boys, adults, women, men), for the page's table and the
  brief.
* ``citizenship_rows`` / ``top_citizenships``: the citizenships of the victims a country
  detected in a year, its own nationals apart (``nationals`` or its own ISO3 code).
* ``detected_abroad``: where a country's nationals were detected, from every other country's
  ``victims_detected|citizenship=ISO3`` figures.
* ``places``: either of those two charts for one year (rows, what it draws, the note), as the
  Country profile and the brief show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from indicators.compute import typed_figures as _figures
from indicators.i18n import (
    ENGLISH,
    N_,
    colon,
    country_name,
    localise_value,
    parse_language,
    semicolon,
    translator,
)
from indicators.measures import (
    BREAKDOWN_SEPARATOR,
    NATIONALS,
    OTHER_PREFIX,
    PER_100K,
    STATELESS,
    UNKNOWN,
    category_label,
)
from indicators.value_text import format_value

BASE = "victims_detected"
SEX_AGE = "sex_age"
FORM = "form"
SPLITS: dict[str, str] = {SEX_AGE: N_("sex and age"), FORM: N_("form of exploitation")}
# How the sex × age groups read, in the order they are drawn.
SEX_AGE_LABELS: dict[str, str] = {
    "sex=female|age=0-17": N_("Girls (female, 0–17)"),
    "sex=female|age=18+": N_("Women (female, 18 or over)"),
    "sex=male|age=0-17": N_("Boys (male, 0–17)"),
    "sex=male|age=18+": N_("Men (male, 18 or over)"),
    "sex=other|age=0-17": N_("Other sex, 0–17"),
    "sex=other|age=18+": N_("Other sex, 18 or over"),
    "sex=unknown|age=unknown": N_("Sex and age unknown"),
    # Only where a country gives no sex × age figure for the year:
    "sex=female": N_("Female, age not given"),
    "sex=male": N_("Male, age not given"),
    "sex=other": N_("Other sex, age not given"),
    "sex=unknown": N_("Sex unknown, age not given"),
    "age=0-17": N_("0–17, sex not given"),
    "age=18+": N_("18 or over, sex not given"),
    "age=unknown": N_("Age unknown, sex not given"),
}
FORM_LABELS: dict[str, str] = {
    "form=sexual_exploitation": N_("Sexual exploitation"),
    "form=forced_labour": N_("Forced labour"),
    "form=other_forms": N_("Other forms of exploitation"),
}
# Forms of exploitation by age and by sex, as UNODC publishes them: by age alone (children,
# adults) and by sex within an age group (girls, women …), never by sex over all ages. The
# form-alone figure ('all ages') is its own published row: it is not the sum of the age rows
# and may be smaller (Nigeria 2020, other forms: 26 for all ages, 341 children, 45 adults).
ALL = "all"
FORM_AGES: dict[str, str] = {ALL: N_("all ages"), "0-17": N_("children (0–17)"),
                             "18+": N_("adults (18 or over)")}
FORM_SEXES: dict[str, str] = {ALL: N_("both sexes"), "female": N_("female"), "male": N_("male")}
# The groups of one year's forms, in the order they are read (the brief, the page's table).
FORM_GROUPS: dict[tuple[str, str], str] = {
    (ALL, ALL): N_("all ages"), ("0-17", ALL): N_("children"), ("0-17", "female"): N_("girls"),
    ("0-17", "male"): N_("boys"), ("18+", ALL): N_("adults"), ("18+", "female"): N_("women"),
    ("18+", "male"): N_("men"),
}
FORM_BY_SEX_NOTE = N_("UNODC publishes forms of exploitation by sex only for children or "
                      "for adults, not for all ages: choose an age group.")
# category_label's words for the groups that are not countries, marked for the catalogs
PLACE_GROUP_WORDS = (N_("citizenship unknown"), N_("stateless"))
TOP_ORIGINS = 10
OWN = "own"  # own nationals
COUNTRY = "country"

SPLIT_SCHEMA: dict[str, pl.DataType] = {
    "iso3": pl.String(), "year": pl.Int32(), "split": pl.String(), "category": pl.String(),
    "label": pl.String(), "measure": pl.String(), "value": pl.Float64(),
    "value_status": pl.String(), "lower": pl.Float64(), "upper": pl.Float64(),
    "value_text": pl.String(), "population": pl.Float64(), "per_100k": pl.Float64(),
    "per_100k_lower": pl.Float64(), "per_100k_upper": pl.Float64(),
    "per_100k_text": pl.String(), "source": pl.String(), "population_source": pl.String(),
}
PLACE_SCHEMA: dict[str, pl.DataType] = {
    "reporter": pl.String(), "reporter_name": pl.String(), "citizenship": pl.String(),
    "name": pl.String(), "group": pl.String(), "year": pl.Int32(), "measure": pl.String(),
    "value": pl.Float64(), "value_status": pl.String(), "lower": pl.Float64(),
    "upper": pl.Float64(), "value_text": pl.String(), "source": pl.String(),
}


def figure_text(value: float | None, status: str | None, lower: float | None,
                upper: float | None) -> str:
    """'1,240', '<5', or 'no data'."""
    if value is None and status == "suppressed" and (lower, upper) == (1.0, 4.0):
        return "<5"
    if value is None and lower is not None and upper is not None:
        return f"{lower:,.0f}–{upper:,.0f}"
    return "no data" if value is None else f"{value:,.0f}"


# -- sex, age and form over time ---------------------------------------------------------------
def form_age_code(raw: str | None) -> str | None:
    """An age group as a link writes it: '18+' arrives as '18 ' when the '+' was not encoded,
    and 'children' or 'adults' are understood too."""
    if raw is None:
        return None
    text = raw.strip().lower()
    return {"18": "18+", "adults": "18+", "children": "0-17"}.get(text, text)


def form_suffix(age: str = ALL, sex: str = ALL) -> str:
    """The breakdown keys after a form for one group: '' (all ages), '|age=0-17',
    '|sex=female|age=0-17'. Sex without an age group is refused: UNODC does not publish it."""
    if age not in FORM_AGES or sex not in FORM_SEXES:
        raise ValueError(f"Unknown group: age {age!r}, sex {sex!r}.")
    if sex != ALL and age == ALL:
        raise ValueError(FORM_BY_SEX_NOTE)
    return (f"{BREAKDOWN_SEPARATOR}sex={sex}" if sex != ALL else "") + (
        f"{BREAKDOWN_SEPARATOR}age={age}" if age != ALL else "")


def form_group_words(age: str = ALL, sex: str = ALL, lang: str | None = None) -> str:
    """'all ages', 'children (0–17)', 'girls (female, 0–17)', 'men (male, 18 or over)'; in
    ``lang`` ('filles (féminin, 0–17 ans)'; English by default)."""
    _ = translator(lang)
    if sex == ALL:
        return _(FORM_AGES[age])
    words = _(FORM_GROUPS[(age, sex)])
    return f"{words} ({_(FORM_SEXES[sex])}, {_(FORM_AGES[age]).split('(')[1]}"


def victim_splits(observations: pl.DataFrame, iso3: str | None = None, *,
                  form_age: str = ALL, form_sex: str = ALL) -> pl.DataFrame:
    """Detected victims by sex and age and by form of exploitation, per country and year where
    the country publishes them, each as a count and per 100,000 people.

    Sex × age figures are used wherever a country gives any for the year; its sex-only and
    age-only figures only for the years it gives none (they would repeat the same victims).
    The form split is by form for one group: all ages (the form alone, as UNODC publishes
    it), or ``form_age`` (children or adults) and within it ``form_sex`` (``form_suffix``).
    Per 100,000 people divides by the World Bank population of the same year; without one,
    it is empty (no data).
    """
    suffix = form_suffix(form_age, form_sex)
    form_labels = {k + suffix: v for k, v in FORM_LABELS.items()}
    rows = observations if iso3 is None else observations.filter(pl.col("iso3") == iso3)
    rows = rows.filter(pl.col("measure").str.starts_with(BASE + BREAKDOWN_SEPARATOR)
                       | (pl.col("measure") == "population"))
    figures = _figures(rows)
    population = figures.filter(pl.col("measure") == "population").select(
        "iso3", "year", pl.col("value").alias("population"),
        pl.col("source").alias("population_source"))
    parts = figures.filter(pl.col("measure") != "population").with_columns(
        pl.col("measure").str.slice(len(BASE) + 1).alias("category"))
    labels = {**SEX_AGE_LABELS, **form_labels}
    parts = parts.filter(pl.col("category").is_in(list(labels)))
    parts = parts.with_columns(
        pl.when(pl.col("category").str.starts_with("form=")).then(pl.lit(FORM))
        .otherwise(pl.lit(SEX_AGE)).alias("split"),
        pl.col("category").str.contains("sex=.*age=").alias("_both"),
    )
    # sex-only and age-only figures stand in only where the year has no sex × age figure
    has_both = parts.filter("_both").select("iso3", "year").unique()
    parts = pl.concat([
        parts.filter((pl.col("split") == FORM) | pl.col("_both")),
        parts.filter((pl.col("split") == SEX_AGE) & ~pl.col("_both")).join(
            has_both, on=["iso3", "year"], how="anti"),
    ])
    order = {c: i for i, c in enumerate(labels)}
    shaped = parts.join(population, on=["iso3", "year"], how="left").with_columns(
        pl.col("category").replace_strict(labels, return_dtype=pl.String).alias("label"),
        pl.col("category").replace_strict(order, return_dtype=pl.Int64).alias("_order"),
        _per_100k("value").alias("per_100k"),
        _per_100k("lower").alias("per_100k_lower"),
        _per_100k("upper").alias("per_100k_upper"),
    )
    records = []
    for row in shaped.sort("iso3", "split", "_order", "year").iter_rows(named=True):
        row["value_text"] = figure_text(row["value"], row["value_status"], row["lower"],
                                        row["upper"])
        row["per_100k_text"] = format_value(
            row["per_100k"], "per_100k", lower=row["per_100k_lower"],
            upper=row["per_100k_upper"]) if row["per_100k_lower"] is not None else "no data"
        records.append({k: row[k] for k in SPLIT_SCHEMA})
    return pl.DataFrame(records, schema=SPLIT_SCHEMA)


def _per_100k(column: str) -> pl.Expr:
    return pl.when(pl.col("population") > 0).then(
        pl.col(column) / pl.col("population") * PER_100K)


def split_rows(splits: pl.DataFrame, split: str) -> pl.DataFrame:
    """One split's rows (``SEX_AGE`` or ``FORM``): what one chart draws."""
    return splits.filter(pl.col("split") == split)


def forms_by_group(observations: pl.DataFrame, iso3: str, year: int) -> pl.DataFrame:
    """One year's detected victims by form of exploitation for every group UNODC publishes
    (``FORM_GROUPS``: all ages, children, girls, boys, adults, women, men): one row per form
    and group with a figure, each as published (nothing added up; a group without a figure
    has no row). The rows the page's table and the brief's sentence read."""
    rows = observations.filter((pl.col("iso3") == iso3) & (pl.col("year") == year)
                               & pl.col("measure").str.starts_with(f"{BASE}|form="))
    wanted = {}
    for (age, sex), group in FORM_GROUPS.items():
        for form, label in FORM_LABELS.items():
            wanted[f"{BASE}{BREAKDOWN_SEPARATOR}{form}{form_suffix(age, sex)}"] = (
                label, group, age, sex)
    figures = _figures(rows.filter(pl.col("measure").is_in(list(wanted))))
    order = {m: i for i, m in enumerate(sorted(wanted, key=lambda m: (
        list(FORM_LABELS.values()).index(wanted[m][0]),
        list(FORM_GROUPS.values()).index(wanted[m][1]))))}
    records = [{
        "iso3": iso3, "year": year, "form": wanted[r["measure"]][0],
        "group": wanted[r["measure"]][1], "age": wanted[r["measure"]][2],
        "sex": wanted[r["measure"]][3], "measure": r["measure"], "value": r["value"],
        "value_status": r["value_status"], "lower": r["lower"], "upper": r["upper"],
        "value_text": figure_text(r["value"], r["value_status"], r["lower"], r["upper"]),
        "source": r["source"], "_order": order[r["measure"]],
    } for r in figures.iter_rows(named=True)]
    schema = {"iso3": pl.String, "year": pl.Int32, "form": pl.String, "group": pl.String,
              "age": pl.String, "sex": pl.String, "measure": pl.String, "value": pl.Float64,
              "value_status": pl.String, "lower": pl.Float64, "upper": pl.Float64,
              "value_text": pl.String, "source": pl.String, "_order": pl.Int64}
    return pl.DataFrame(records, schema=schema).sort("_order").drop("_order")


FORM_HEADER = N_("Form of exploitation")


def forms_table(rows: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """``forms_by_group``'s rows as the page's table: a row per form, a column per group
    (in ``FORM_GROUPS``' order, only those with a figure), each figure as published and 'no
    data' where a group has none; headers, forms, groups and numbers in ``lang`` (English by
    default: 'Form of exploitation', 'All ages', 'Children' …)."""
    _ = translator(lang)
    present = set(rows["group"].to_list())
    groups = list(dict.fromkeys(g for g in FORM_GROUPS.values() if g in present))
    table = rows.pivot(on="group", index="form", values="value_text")
    forms = {form: _(form) for form in rows["form"].unique().to_list()}
    values = {text: localise_value(text, lang) for text in rows["value_text"].unique().to_list()}
    return table.select(
        pl.col("form").replace_strict(forms, return_dtype=pl.String).alias(_(FORM_HEADER)),
        *(pl.col(g).replace_strict(values, default=None, return_dtype=pl.String)
          .fill_null(_("no data")).alias(_(g).capitalize()) for g in groups))


def form_group_years(observations: pl.DataFrame, iso3: str) -> list[int]:
    """The years in which ``iso3`` published a form of exploitation by age (or by sex and
    age)."""
    rows = observations.filter((pl.col("iso3") == iso3) & pl.col("measure").str.starts_with(
        f"{BASE}|form=") & pl.col("measure").str.contains("|age=", literal=True))
    return sorted(rows["year"].unique().to_list())


def forms_by_group_words(rows: pl.DataFrame, extra: dict[str, str] | None = None,
                         compact: bool = False, lang: str | None = None) -> str:
    """``forms_by_group``'s rows in words, form by form: 'other forms of exploitation: all
    ages 26, children 341 (girls 246, boys 95), adults 45 (women 28, men 17)'. ``extra``:
    words after a form's all-ages figure, by form label (the brief's per 100,000 people).
    ``compact``: the all-ages figure right after the form, unnamed ('other forms of
    exploitation 26, children 341 …'), for the brief's two pages. The groups, forms and
    numbers in ``lang`` (English by default; ``extra`` is given in it)."""
    _ = translator(lang)
    clauses = []
    for form in rows["form"].unique(maintain_order=True).to_list():
        texts = {r["group"]: localise_value(r["value_text"], lang)
                 for r in rows.filter(pl.col("form") == form).iter_rows(named=True)}
        parts = []
        if "all ages" in texts:
            more = (extra or {}).get(form)
            parts.append(("" if compact else _("all ages") + " ") + texts["all ages"]
                         + (f" ({more})" if more else ""))
        for whole, (first, second) in (("children", ("girls", "boys")),
                                       ("adults", ("women", "men"))):
            within = ", ".join(f"{_(g)} {texts[g]}" for g in (first, second) if g in texts)
            if whole in texts:
                parts.append(f"{_(whole)} {texts[whole]}" + (f" ({within})" if within else ""))
            elif within:
                parts.append(within)
        words = _(form)
        name = f"{words[:1].lower()}{words[1:]}"
        if compact and "all ages" in texts:
            clauses.append(f"{name} " + ", ".join(parts))
        else:
            clauses.append(name + colon(lang) + ", ".join(parts))
    return semicolon(lang).join(clauses)


# -- citizenships ------------------------------------------------------------------------------
def _place_group(category: str, reporter: str) -> str:
    if category in (NATIONALS, reporter):
        return OWN
    if category == UNKNOWN:
        return UNKNOWN
    if category == STATELESS:
        return STATELESS
    if category.startswith(OTHER_PREFIX):
        return "other"
    return COUNTRY


def _place_name(category: str, group: str, names: dict[str, str]) -> str:
    if group == OWN and category == NATIONALS:
        return "Own nationals"
    if group in (OWN, COUNTRY):
        name = names.get(category, category)
        return f"{name} (own nationals)" if group == OWN else name
    words = category_label("citizenship", category)
    return words[:1].upper() + words[1:]


def _places(figures: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    records = []
    for row in figures.iter_rows(named=True):
        category = row["measure"].split("=", 1)[1]
        group = _place_group(category, row["iso3"])
        records.append({
            "reporter": row["iso3"],
            "reporter_name": names.get(row["iso3"], row["iso3"]),
            "citizenship": category,
            "name": _place_name(category, group, names),
            "group": group,
            "year": row["year"],
            "measure": row["measure"],
            "value": row["value"],
            "value_status": row["value_status"],
            "lower": row["lower"],
            "upper": row["upper"],
            "value_text": figure_text(row["value"], row["value_status"], row["lower"],
                                      row["upper"]),
            "source": row["source"],
        })
    return pl.DataFrame(records, schema=PLACE_SCHEMA)


def _citizenship_figures(observations: pl.DataFrame) -> pl.DataFrame:
    # the citizenship split alone (UNODC gives it by itself, not by sex or age)
    return observations.filter(
        pl.col("measure").str.starts_with(f"{BASE}{BREAKDOWN_SEPARATOR}citizenship=")
        & ~pl.col("measure").str.slice(len(BASE) + 1).str.contains(BREAKDOWN_SEPARATOR,
                                                                    literal=True))


def citizenship_years(observations: pl.DataFrame, iso3: str) -> list[int]:
    """The years a country published the citizenships of its detected victims."""
    rows = _citizenship_figures(observations.filter(pl.col("iso3") == iso3))
    return sorted(rows["year"].unique().to_list())


def citizenship_rows(observations: pl.DataFrame, iso3: str, year: int,
                     names: dict[str, str]) -> pl.DataFrame:
    """Every citizenship category of the victims ``iso3`` detected in ``year``: its own
    nationals first (``group`` 'own'), then countries, stateless, other groups and unknown,
    each by size (a range by its lower end, then its upper)."""
    figures = _figures(_citizenship_figures(
        observations.filter((pl.col("iso3") == iso3) & (pl.col("year") == year))))
    return _by_size(_places(figures, names))


_GROUP_ORDER = {OWN: 0, COUNTRY: 1, STATELESS: 2, "other": 3, UNKNOWN: 4}


def _by_size(rows: pl.DataFrame, by_group: bool = True) -> pl.DataFrame:
    keys = ["_group"] if by_group else []
    return rows.with_columns(
        pl.col("group").replace_strict(_GROUP_ORDER, return_dtype=pl.Int64).alias("_group"),
    ).sort([*keys, "lower", "upper", "name"], descending=[*([False] * len(keys)), True, True,
                                                          False]).drop("_group")


def top_citizenships(rows: pl.DataFrame, top: int = TOP_ORIGINS) -> pl.DataFrame:
    """What the citizenship chart draws: the own nationals (apart) and the ``top`` largest
    foreign citizenships (countries only; groups, stateless and unknown are left to the
    note)."""
    own = rows.filter(pl.col("group") == OWN)
    foreign = rows.filter(pl.col("group") == COUNTRY).head(top)
    return pl.concat([own, foreign])


def place_label(row: dict, lang: str | None = None, *, abroad: bool = False) -> str:
    """A place row's name (``citizenship_rows``, ``detected_abroad``) in ``lang``: the row's own
    name in English; CLDR's country names in French and Spanish. ``abroad``: the row names
    the country that detected the victims (``detected_abroad``), not their citizenship."""
    if (parse_language(lang) or ENGLISH) == ENGLISH:
        return str(row["name"])
    _ = translator(lang)
    category, group = row["citizenship"], row["group"]
    if abroad:
        return country_name(row["reporter"], str(row["name"]), lang)
    if group == OWN and category == NATIONALS:
        return _("Own nationals")
    if group == OWN:
        return _("{name} (own nationals)").format(
            name=country_name(row["reporter"], str(row["reporter_name"]), lang))
    if group == COUNTRY:
        return country_name(category, str(row["name"]), lang)
    # a group that is not one country: 'other citizenship (car)', the publisher's own words
    # for the group in brackets, as published
    words = category_label("citizenship", category, lang) if category.startswith(
        OTHER_PREFIX) else _(category_label("citizenship", category))
    return words[:1].upper() + words[1:]


def not_shown_note(rows: pl.DataFrame, drawn: pl.DataFrame,
                   lang: str | None = None) -> str | None:
    """What the chart leaves out, figure by figure, so nothing is silently dropped: 'Not drawn:
    31 more citizenships (12 of them '<5'); citizenship unknown: 62; other (nationality): 16.'
    Nothing is added up. In ``lang`` (English by default)."""
    rest = rows.join(drawn.select("measure"), on="measure", how="anti")
    if rest.is_empty():
        return None
    _ = translator(lang)
    parts = []
    countries = rest.filter(pl.col("group") == COUNTRY)
    if countries.height:
        more = (_("{n} more citizenship ({smaller})") if countries.height == 1 else
                _("{n} more citizenships ({smaller})"))
        parts.append(more.format(n=localise_value(str(countries.height), lang),
                                 smaller=_smaller(countries, lang)))
    for row in rest.filter(pl.col("group") != COUNTRY).iter_rows(named=True):
        parts.append(_("{name}: {value}").format(name=place_label(row, lang).lower(),
                                                 value=localise_value(row["value_text"], lang)))
    return _("Not drawn:") + " " + "; ".join(parts) + "."


def abroad_years(observations: pl.DataFrame, iso3: str) -> list[int]:
    """The years in which another country published victims with ``iso3``'s citizenship."""
    rows = _abroad_figures(observations, iso3)
    return sorted(rows["year"].unique().to_list())


def _abroad_figures(observations: pl.DataFrame, iso3: str) -> pl.DataFrame:
    return observations.filter(
        (pl.col("measure") == f"{BASE}{BREAKDOWN_SEPARATOR}citizenship={iso3}")
        & (pl.col("iso3") != iso3))


def detected_abroad(observations: pl.DataFrame, iso3: str, year: int,
                    names: dict[str, str]) -> pl.DataFrame:
    """The countries that detected victims with ``iso3``'s citizenship in ``year``, largest
    first: one row per detecting country (``reporter``), its figure as published."""
    figures = _figures(_abroad_figures(observations, iso3).filter(pl.col("year") == year))
    rows = _places(figures, names)
    return _by_size(rows, by_group=False).with_columns(
        pl.col("reporter_name").alias("name"))


def top_abroad(rows: pl.DataFrame, top: int = TOP_ORIGINS) -> pl.DataFrame:
    """What the chart of a country's nationals abroad draws: the ``top`` largest."""
    return rows.head(top)


def abroad_not_shown_note(rows: pl.DataFrame, drawn: pl.DataFrame,
                          lang: str | None = None) -> str | None:
    """The countries the chart of nationals abroad leaves out, in ``lang``."""
    rest = rows.join(drawn.select("reporter"), on="reporter", how="anti")
    if rest.is_empty():
        return None
    _ = translator(lang)
    more = (_("Not drawn: {n} more country ({smaller}).") if rest.height == 1 else
            _("Not drawn: {n} more countries ({smaller})."))
    return more.format(n=localise_value(str(rest.height), lang), smaller=_smaller(rest, lang))


def _smaller(rest: pl.DataFrame, lang: str | None = None) -> str:
    """'each 156 or fewer; 48 of them <5', or 'each <5' (rest: largest first)."""
    _ = translator(lang)
    suppressed = rest.filter(pl.col("value").is_null()).height
    if suppressed == rest.height:
        return _("each <5") if rest.height > 1 else "<5"
    largest = localise_value(rest.row(0, named=True)["value_text"], lang)
    if rest.height == 1:
        return largest
    return _("each {value} or fewer").format(value=largest) + (
        "; " + _("{n} of them <5").format(n=localise_value(str(suppressed), lang))
        if suppressed else "")


def origin_years(observations: pl.DataFrame, iso3: str) -> list[int]:
    """The years with either chart of where the victims come from: the citizenships of the
    victims ``iso3`` detected, or its nationals detected abroad."""
    return sorted(set(citizenship_years(observations, iso3))
                  | set(abroad_years(observations, iso3)))


def latest(years: Sequence[int]) -> int | None:
    return max(years) if years else None


def nearest(years: Sequence[int], year: int) -> int | None:
    """The year of ``years`` closest to ``year`` (the later of two as close); None if none.
    What a chart that follows the page's year offers when that year has no figures."""
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - year), -y))


# -- the two charts of where the victims come from, as the page and the brief show them ----------
CITIZENSHIP = "citizenship"  # the citizenships of the victims a country detected
ABROAD = "abroad"  # the country's nationals detected by other countries


@dataclass(frozen=True)
class Places:
    """One chart of where the victims come from, for one year: every category (``rows``),
    what the chart draws (``drawn``) and, in words, what it leaves out (``note``)."""

    kind: str
    year: int
    rows: pl.DataFrame
    drawn: pl.DataFrame
    note: str | None


def place_years(observations: pl.DataFrame, iso3: str, kind: str) -> list[int]:
    """The years with figures for the ``kind`` chart (CITIZENSHIP or ABROAD)."""
    if kind == CITIZENSHIP:
        return citizenship_years(observations, iso3)
    return abroad_years(observations, iso3)


def places(observations: pl.DataFrame, iso3: str, kind: str, year: int,
           names: dict[str, str], top: int = TOP_ORIGINS, lang: str | None = None) -> Places:
    """The ``kind`` chart (CITIZENSHIP or ABROAD) of ``iso3`` in ``year``, ``top`` places
    drawn; the note of what is not drawn in ``lang`` (English by default)."""
    if kind == CITIZENSHIP:
        rows = citizenship_rows(observations, iso3, year, names)
        drawn = top_citizenships(rows, top)
        return Places(kind, year, rows, drawn, not_shown_note(rows, drawn, lang))
    rows = detected_abroad(observations, iso3, year, names)
    drawn = top_abroad(rows, top)
    return Places(kind, year, rows, drawn, abroad_not_shown_note(rows, drawn, lang))


# -- what breakdowns exist (the Data and methodology page) ---------------------------------------
def breakdown_summary(observations: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Every kind of breakdown in the data: its figures, how many are '<5', the countries and
    years it covers. Computed from the figures, so it says what this database holds. The
    breakdowns named in ``lang`` (the column names stay: the page names them)."""
    from indicators.measures import DIMENSIONS, MEASURES, group_label, is_breakdown, measure_group

    rows = observations.filter(pl.col("measure").str.contains(BREAKDOWN_SEPARATOR,
                                                               literal=True))
    names = [m for m in rows["measure"].unique().to_list() if is_breakdown(m)]
    groups = {m: measure_group(m) for m in names}
    table = rows.with_columns(
        pl.col("measure").replace_strict(groups, return_dtype=pl.String).alias("group")
    ).group_by("group").agg(
        pl.len().alias("Figures"),
        (pl.col("value_status") == "suppressed").sum().alias("Of them '<5'"),
        pl.col("iso3").n_unique().alias("Countries"),
        pl.col("year").min().alias("first"),
        pl.col("year").max().alias("last"),
    )
    measures, dimensions = list(MEASURES), list(DIMENSIONS)

    def order(group: str) -> str:
        """The catalogue's order: by measure, then fewer dimensions first."""
        base, *keys = group.split(BREAKDOWN_SEPARATOR)
        return f"{measures.index(base):03d}{len(keys)}" + "".join(
            str(dimensions.index(k)) for k in keys)

    table = table.sort(pl.col("group").map_elements(order, return_dtype=pl.String))
    return table.select(
        pl.col("group").replace_strict({g: group_label(g, lang) for g in table["group"].to_list()},
                                       return_dtype=pl.String).alias("Breakdown"),
        "Figures", "Of them '<5'", "Countries",
        pl.format("{}–{}", "first", "last").alias("Years"),
        pl.col("group").alias("Code"),
    )
