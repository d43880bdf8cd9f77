"""The sources behind the figures: what each covers, which a chart used, and the releases the
data is as of.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import polars as pl
from babel.dates import format_date

from indicators.catalogue import family_of
from indicators.i18n import ENGLISH, N_, parse_language, translator
from indicators.measures import measures_summary

# The words of the sources' releases and citations as the data carry them (in English, from
# indicators/sources/*), each with its message: a release's date, years and label are taken
# out of it ({date} in the language's own long form: '14 avril 2025', '14 de abril de 2025').
# Publishers and publication titles are proper names and stay as they are. Longest first.
_DATE = r"(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})"
_SOURCE_WORDS: tuple[tuple[re.Pattern[str], str, str, str], ...] = tuple(
    (re.compile(pattern), before, message, after) for pattern, before, message, after in (
        # TRANSLATORS: a release of UNODC's data portal; {date} is already written
        (rf"\bdata portal release of {_DATE}", "", N_("data portal release of {date}"), ""),
        (rf"\bSDG data set, release of {_DATE}", "", N_("SDG data set, release of {date}"),
         ""),
        (r"\bSDG data set, release (?P<label>[\w.-]+)", "",
         N_("SDG data set, release {label}"), ""),
        (rf"\bWDI series as packaged on {_DATE}", "", N_("WDI series as packaged on {date}"),
         ""),
        (r"\bWDI series, release (?P<label>[\w.-]+)", "", N_("WDI series, release {label}"),
         ""),
        (r"\bdata portal release (?P<label>[\w.-]+)", "", N_("data portal release {label}"),
         ""),
        (r"\bdata portal, and SDG indicator data\b", "",
         N_("data portal, and SDG indicator data"), ""),
        (r"\bdata portal \(", "", N_("data portal"), " ("),
        (r"\bSDG indicator data\b", "", N_("SDG indicator data"), ""),
        (rf"\brelease of {_DATE}", "", N_("release of {date}"), ""),
        (rf"\brelease {_DATE}", "", N_("release {date}"), ""),
        (r"\brelease (?P<label>[\w.-]+)(?=[;)])", "", N_("release {label}"), ""),
        (r"\(years (?P<span>\d{4}–\d{4})\)", "(", N_("years {span}"), ")"),
        (r"\(16\.2\.2: years (?P<span>\d{4}–\d{4})\)", "(16.2.2: ", N_("years {span}"), ")"),
        (r"\(estimates for (?P<year>\d{4})\)", "(", N_("estimates for {year}"), ")"),
        (r"\(datasets/population; years (?P<span>\d{4}–\d{4})\)", "(datasets/population; ",
         N_("years {span}"), ")"),
        # the licences ('UNODC data portal terms of use (attribution to UNODC required)')
        (r"\bdata portal terms of use \(attribution to (?P<who>[^)]+) required\)", "",
         N_("data portal terms of use (attribution to {who} required)"), ""),
        (r"\bterms of use \(attribution to (?P<who>[^)]+) required\)", "",
         N_("terms of use (attribution to {who} required)"), ""),
        (r"\(attribution: (?P<who>[^)]+)\)", "(", N_("attribution: {who}"), ")"),
    ))


def _long_date(english: str, lang: str) -> str:
    """'14 April 2025' in ``lang``'s long form; as it is when it is not such a date."""
    try:
        day = dt.datetime.strptime(english, "%d %B %Y").date()
    except ValueError:
        return english
    return format_date(day, format="long", locale=lang)


def source_words(text: str | None, lang: str | None = None) -> str:
    """A source's release or citation as the data write it ('data portal release of 14 April
    2025 (years 2003–2022)', 'UNODC, SDG indicator data (release 15 May 2025)') in ``lang``:
    its words translated and its dates in the language's long form ('portail de données,
    version du 14 avril 2025 (années 2003–2022)'); publishers, publication titles and
    anything it does not know stay as they are. English: ``text`` itself."""
    code = parse_language(lang) or ENGLISH
    if not text or code == ENGLISH:
        return text or ""
    _ = translator(code)
    out: list[str] = []
    rest = text
    while rest:
        found = [(m.start(), -len(m.group(0)), i, m)
                 for i, (pattern, *_words) in enumerate(_SOURCE_WORDS)
                 if (m := pattern.search(rest))]
        if not found:
            out.append(rest)
            break
        *_order, index, match = min(found)
        _pattern, before, message, after = _SOURCE_WORDS[index]
        fields = {k: _long_date(v, code) if k == "date" else v
                  for k, v in match.groupdict().items()}
        out += [rest[:match.start()], before, _(message).format(**fields), after]
        rest = rest[match.end():]
    return "".join(out)


def source_coverage(observations: pl.DataFrame, sources: pl.DataFrame,
                    lang: str | None = None) -> pl.DataFrame:
    """Each source: publisher, release, licence and what it covers in the store; the release
    and the measures in ``lang`` (the column names stay: the page names them)."""
    stats = observations.group_by("source_id").agg(
        pl.len().alias("figures"),
        pl.col("iso3").n_unique().alias("countries"),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("last_year"),
        pl.col("measure").unique().sort().alias("measures"),
    )
    joined = sources.join(stats, left_on="id", right_on="source_id", how="left")
    records = []
    for row in joined.iter_rows(named=True):
        summary = measures_summary(row["measures"] or [], lang)
        years = (
            f"{row['first_year']}–{row['last_year']}"
            if row["first_year"] is not None and row["first_year"] != row["last_year"]
            else str(row["first_year"] or "—")
        )
        records.append({
            "Publisher": row["publisher"],
            "Title": row["title"],
            "Release": source_words(row["edition"], lang) or "—",
            "Licence": source_words(row["licence"], lang) or "—",
            "Years": years,
            "Countries": row["countries"] or 0,
            "Figures": row["figures"] or 0,
            "Measures": summary or "—",
            "Link": row["url"] or "",
            "Retrieved": row["retrieved"] or "—",
        })
    schema = {
        "Publisher": pl.String, "Title": pl.String, "Release": pl.String, "Licence": pl.String,
        "Years": pl.String, "Countries": pl.Int64, "Figures": pl.Int64, "Measures": pl.String,
        "Link": pl.String, "Retrieved": pl.String,
    }
    return pl.DataFrame(records, schema=schema)


def sources_used(source_texts: Iterable[str | None], sources: pl.DataFrame) -> pl.DataFrame:
    """The rows of the sources table behind a chart, from its 'source' cells.

    A cell may join several citations with '; '; each is matched to a source by citation or
    id. Citations that match nothing (an upload's free text) come back as rows with only a
    citation, so the footer still names them.
    """
    wanted: list[str] = []
    for text in source_texts:
        for part in (text or "").split("; "):
            part = part.strip()
            if part and part != "—" and part not in wanted:
                wanted.append(part)
    by_citation = {r["citation"]: r for r in sources.iter_rows(named=True) if r["citation"]}
    by_id = {r["id"]: r for r in sources.iter_rows(named=True)}
    rows: list[dict] = []
    seen: set[str] = set()
    for part in wanted:
        row = by_citation.get(part) or by_id.get(part)
        key = row["id"] if row else part
        if key in seen:
            continue
        seen.add(key)
        rows.append(row if row else {"id": part, "citation": part})
    # with each source's licence and link: a chart's ZIP names them in its README
    schema = {"id": pl.String, "publisher": pl.String, "title": pl.String,
              "edition": pl.String, "citation": pl.String, "licence": pl.String,
              "url": pl.String}
    # in the order of their ids (one row an id: sorted in Python)
    rows.sort(key=lambda r: (r["id"] is not None, r["id"] or ""))
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def citations(sources: pl.DataFrame, lang: str | None = None) -> list[str]:
    """Each source's citation, once; the releases of one published family cited together
    ('UNODC, …, data portal (release 30 May 2023; release 14 April 2025)'): a chart's figures
    can come from two releases, as a figure the newer one left unchanged keeps the older. In
    ``lang`` (``source_words``: '…, portail de données (version du 30 mai 2023 ; …)')."""
    texts: list[str] = []
    merged: dict[str, int] = {}
    for row in sources.iter_rows(named=True):
        text = row.get("citation") or row.get("title") or row.get("id")
        if not text or text in texts:
            continue
        family = family_of(row.get("id") or "")
        head, _, inner = text.rpartition(" (")
        if family is None or not head or not inner.endswith(")"):
            texts.append(text)
            continue
        if family.key in merged:
            at = merged[family.key]
            texts[at] = f"{texts[at][:-1]}; {inner}"
        else:
            merged[family.key] = len(texts)
            texts.append(text)
    return [source_words(text, lang) for text in texts]


def data_as_of(sources: pl.DataFrame, lang: str | None = None) -> str:
    """'UNODC data portal release of 14 April 2025 …; Walk Free GSI 2023 …' from the sources,
    in ``lang`` (``source_words``: 'UNODC portail de données, version du 14 avril 2025 …').

    Of several releases of one published family, the newest (the last by release name) is
    the one the data are as of: every current figure of the family is in it, the ones it left
    unchanged included."""
    newest: dict[str, str] = {}
    for row in sources.iter_rows(named=True):
        family = family_of(row.get("id") or "")
        if family is not None:
            newest[family.key] = max(newest.get(family.key, ""), row["id"])
    parts = []
    for row in sources.iter_rows(named=True):
        family = family_of(row.get("id") or "")
        if family is not None and row["id"] != newest[family.key]:
            continue
        edition = source_words(row.get("edition"), lang)
        if row.get("publisher") and edition:
            parts.append(f"{row['publisher']} {edition}")
        elif edition:
            parts.append(edition)
    return "; ".join(parts)
