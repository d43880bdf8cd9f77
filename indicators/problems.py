"""Problems found in a file, in plain words, with the row and column the user sees.

Every importer (bundled sources, `indicators import`, the Upload page) reports through these
types, so a bad file reads the same everywhere.

A problem's message and fix are English sentences (the CLI, the logs and the tests read them as
they are). Each is marked for translation: a fixed sentence with ``N_``, a sentence with values in
it with ``said(N_("… {name} …"), name=value)``, which keeps its template beside the English text;
``localised(problem, lang)`` then writes it in French or Spanish for a page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import polars as pl

from indicators.i18n import ENGLISH, country_name, localise_value, parse_language, translator

ERROR = "error"
WARNING = "warning"


class Said(str):
    """An English sentence made from a template and its values ('{row} …' with row=3), which
    keeps both so that it can be written again in another language (``said``)."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: dict[str, object]) -> Said:
        made = super().__new__(cls, template.format(**values))
        made.template = template
        made.values = values
        return made

    def __reduce__(self) -> tuple[type[Said], tuple[str, dict[str, object]]]:
        # pickled (Streamlit's session state) and copied as itself, template and all
        return (Said, (self.template, self.values))


class Place(str):
    """A country in a problem's sentence: its English name and code ('United Kingdom (GBR)'),
    written with CLDR's name in another language ('Royaume-Uni (GBR)')."""

    name: str
    iso3: str

    def __new__(cls, name: str, iso3: str) -> Place:
        made = super().__new__(cls, f"{name} ({iso3})")
        made.name = name
        made.iso3 = iso3
        return made

    def __reduce__(self) -> tuple[type[Place], tuple[str, str]]:
        return (Place, (self.name, self.iso3))


class Figure(str):
    """A figure in a problem's sentence as English writes it ('9,000', '12.5', '<5'), written
    with the marks of another language ('9 000', '12,5')."""

    def __reduce__(self) -> tuple[type[Figure], tuple[str]]:
        return (Figure, (str(self),))


def _value_in(value: object, lang: str) -> object:
    """A sentence's value in ``lang``: a sentence translated, a place named by CLDR, a figure
    with the language's marks; anything else as it is."""
    if isinstance(value, Said):
        return translate(value, lang)
    if isinstance(value, Place):
        return f"{country_name(value.iso3, value.name, lang)} ({value.iso3})"
    if isinstance(value, Figure):
        return localise_value(str(value), lang)
    return value


def said(template: str, **values: object) -> str:
    """``template`` filled with ``values``: the English sentence, which ``translate`` can write
    again in another language from the translated template. Mark the template with ``N_``."""
    return Said(template, values)


def listed(parts: list[str], separator: str) -> str:
    """``parts`` joined by ``separator`` (marked with ``N_`` where a language writes it its
    own way: '; ' is ' ; ' in French), each part and the separator written again in another
    language by ``translate`` where they are sentences (``said``): a list of column names and
    phrases, of figures and their rows."""
    template = "{separator}".join(f"{{part{i}}}" for i in range(len(parts)))
    return Said(template, {"separator": said(separator),
                           **{f"part{i}": part for i, part in enumerate(parts)}})


def translate(text: str, lang: str | None) -> str:
    """A problem's sentence in ``lang`` (as it is in English, or when the catalog lacks it)."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH or not text:
        return text
    _ = translator(code)
    if isinstance(text, Said):
        # a value that is itself a sentence ('251, already in the database') is translated too
        values = {k: _value_in(v, code) for k, v in text.values.items()}
        try:
            return _(text.template).format(**values)
        except (KeyError, IndexError, ValueError):
            return str(text)
    return _(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a second look (warning) in a file."""

    message: str
    fix: str
    file: str = ""
    row: int | None = None  # as the user sees it in a spreadsheet: the header is row 1
    column: str | None = None
    value: str | None = None
    severity: str = ERROR

    def as_text(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if self.value is not None:
            where.append(f"value '{_clip(self.value)}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message} {self.fix}".strip(": ")


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was written. Carries every problem found at once."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == ERROR]
        if not errors:
            return "The file was refused."
        first = errors[0].as_text()
        more = len(errors) - 1
        return first if not more else f"{first} (and {more} more problem{'s' * (more > 1)})"


def localised(problem: Problem, lang: str | None) -> Problem:
    """``problem`` with its message and fix in ``lang`` (the same problem in English)."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return problem
    return replace(problem, message=translate(problem.message, code),
                   fix=translate(problem.fix, code))


def problems_frame(problems: list[Problem]) -> pl.DataFrame:
    """Problems as a table for a page or a CSV, errors first, then by row."""
    schema = {
        "severity": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "value": pl.String,
        "message": pl.String,
        "fix": pl.String,
        "file": pl.String,
    }
    if not problems:
        return pl.DataFrame(schema=schema)
    rows = [asdict(p) for p in problems]
    frame = pl.DataFrame(rows, schema_overrides=schema).select(list(schema))
    return frame.sort(
        [pl.col("severity") != ERROR, pl.col("row").fill_null(0)], maintain_order=True
    )


def _clip(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
