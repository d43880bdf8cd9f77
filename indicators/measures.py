"""The measure catalogue and the five indicators of success: names, units, targets, wording.

Everything a page, a chart, the CLI or the methodology says about a measure or an indicator
is written here once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from indicators.i18n import N_

PAPER_CITATION = (
    'Saif, W. & Khan, N. (2026). "Human Trafficking, Organized Crime, and the Evolution of '
    'International Criminal Justice Systems". International Journal of Social Sciences. '
    "DOI 10.63544/ijss.v5i2.259"
)


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    unit: str
    definition: str
    used_by: tuple[str, ...]
    is_flag: bool = False
    # Whether an official series (a published release) publishes this measure. When none does,
    # contributed series are its only source (indicators/series.py, the source rule).
    published: bool = True
    # A shorter name where the label is long, for print (the brief's coverage summary); the
    # label stays the name everywhere else.
    short_label: str = ""


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "estimated_victims",
            N_("Estimated people in modern slavery"),
            "people",
            N_("Walk Free's estimate of people living in modern slavery (forced labour and forced "
             "marriage) on a given day; the only published per-country estimate of the hidden "
             "population, used as the stand-in for 'estimated trafficking cases'."),
            ("conviction_rate", "identification_rate"),
        ),
        Measure(
            "population",
            N_("Population"),
            "people",
            N_("Total population of the country in the year (World Bank, World Development "
             "Indicators, SP.POP.TOTL): the denominator of SDG indicator 16.2.2, detected "
             "victims per 100,000 people."),
            ("victims_per_100k",),
        ),
        Measure(
            "victims_per_100k",
            N_("Victims of trafficking per 100,000 people, as UNODC publishes it (SDG 16.2.2)"),
            "per 100,000 people",
            N_("Victims of human trafficking per 100,000 population, the national rate UNODC (the "
             "custodian agency of SDG indicator 16.2.2) publishes in its SDG data set. Shown as "
             "SDG 16.2.2 wherever UNODC publishes one; elsewhere, and for regions and the world, "
             "the rate is computed from detected victims and World Bank population."),
            ("victims_per_100k",),
            short_label=N_("Victims per 100,000 people (SDG 16.2.2)"),
        ),
        Measure(
            "gsi_population",
            N_("Population used by Walk Free"),
            "people",
            N_("The national population Walk Free used for its Global Slavery Index estimate "
             "(kept as published; the general population series is `population`)."),
            (),
        ),
        Measure(
            "victims_detected",
            N_("Detected trafficking victims"),
            "people",
            N_("Victims of trafficking in persons detected by national authorities in the year "
             "(UNODC GLOTIP national total)."),
            ("identification_rate", "reporting_increase", "data_sharing_countries",
             "victims_per_100k"),
        ),
        Measure(
            "persons_prosecuted",
            N_("Persons prosecuted"),
            "people",
            N_("Persons prosecuted for trafficking in persons in the year (UNODC GLOTIP)."),
            ("data_sharing_countries",),
        ),
        Measure(
            "persons_convicted",
            N_("Persons convicted"),
            "people",
            N_("Persons convicted of trafficking in persons in the year (UNODC GLOTIP)."),
            ("conviction_rate", "data_sharing_countries"),
        ),
        Measure(
            "suspects",
            N_("Persons brought into formal contact"),
            "people",
            N_("Persons brought into formal contact with the police or criminal justice system for "
             "trafficking in persons (suspects, arrested or cautioned; UNODC GLOTIP)."),
            ("data_sharing_countries",),
        ),
        Measure(
            "offences_recorded",
            N_("Recorded offences of trafficking"),
            "offences",
            N_("Offences of trafficking in persons recorded by the police in the year "
             "(UNODC GLOTIP)."),
            ("data_sharing_countries",),
        ),
        Measure(
            "victims_reported",
            N_("Victims reported"),
            "people",
            N_("Trafficking victims who reported to the authorities themselves or through a "
             "support service in the year. No published series; comes from uploads."),
            ("reporting_increase",),
            published=False,
        ),
        Measure(
            "data_sharing_active",
            N_("Cross-border data sharing active"),
            "flag (1 = yes, 0 = no)",
            N_("1 when the country actively exchanged trafficking case data with other countries "
             "through a cross-border platform in the year, 0 when it did not. Comes from uploads."),
            ("data_sharing_countries",),
            is_flag=True,
            published=False,
        ),
        Measure(
            "victims_prosecuted",
            N_("Victims prosecuted for immigration or prostitution offences"),
            "people",
            N_("Identified trafficking victims prosecuted in the year for immigration or "
             "prostitution-related offences. No published series; comes from uploads."),
            ("victims_prosecuted",),
            published=False,
        ),
    )
}

GLOTIP_MEASURES: tuple[str, ...] = (
    "victims_detected",
    "persons_prosecuted",
    "persons_convicted",
    "suspects",
    "offences_recorded",
)

VALUE_STATUSES: tuple[str, ...] = ("reported", "suppressed", "estimate")

# A figure a publisher's later release no longer contains: stored as a row with this status and
# no value or bounds, so the figure stops being current without anything being deleted.
WITHDRAWN_STATUS = "withdrawn"

# Context figures: they describe a country, not trafficking. Not drawn as counts, not asked for
# in the upload template, never an indicator's input. UNODC's published SDG 16.2.2 rate is kept
# with them: a rate, not a count, published only (never uploaded); the computation takes it for
# SDG 16.2.2 alone, for the countries and years the other figures span (like the population).
PUBLISHED_RATES: tuple[str, ...] = ("victims_per_100k",)
CONTEXT_MEASURES: tuple[str, ...] = ("population", "gsi_population", *PUBLISHED_RATES)

# The measures the indicators read as their own figures. Anything else (context figures,
# breakdowns) is never passed to the computation, so it cannot widen its years or its countries
# in scope. The population is a context figure even though SDG 16.2.2 divides by it: the
# computation takes it only for the countries and years these figures span.
INDICATOR_INPUTS: tuple[str, ...] = tuple(
    m.name for m in MEASURES.values() if m.used_by and m.name not in CONTEXT_MEASURES)


# -- breakdowns --------------------------------------------------------------------------------
# A breakdown of a published count is its own measure, named
#
#     base|dimension=category|dimension=category
#
# e.g. `victims_detected|sex=female|age=0-17`, `persons_convicted|form=forced_labour`,
# `victims_detected|citizenship=NGA`. Dimensions always come in the order of DIMENSIONS and a
# "Total" category is never written, so every figure has exactly one name. A national total
# keeps its plain name (`victims_detected`), so nothing that reads totals ever sees a breakdown:
# totals and breakdowns are never added together.
BREAKDOWN_SEPARATOR = "|"

# Citizenship (and country of repatriation) categories that are not one country.
NATIONALS = "nationals"  # the reporting country's own citizens ("Nationals", "own country")
UNKNOWN = "unknown"  # "Unknown", "Desconocido", "N/A", an empty cell …
STATELESS = "stateless"
OTHER_PREFIX = "other:"  # a group that is not one country, e.g. `other:africa_others`

_SPECIAL_PLACES = {
    NATIONALS: N_("own nationals"),
    UNKNOWN: N_("unknown"),
    STATELESS: N_("stateless"),
}


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    categories: dict[str, str] | None  # code → words; None: a country or a special place


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("form", N_("form of exploitation"), {
            "sexual_exploitation": N_("sexual exploitation"),
            "forced_labour": N_("forced labour"),
            "other_forms": N_("other forms of exploitation"),
        }),
        Dimension("citizenship", N_("citizenship"), None),
        Dimension("repatriation", N_("country of repatriation"), None),
        Dimension("sex", N_("sex"), {
            "female": N_("female"), "male": N_("male"), "other": N_("other sex"),
            "unknown": N_("sex unknown"),
        }),
        Dimension("age", N_("age"), {"0-17": "0–17", "18+": N_("18 or over"),
                                     "unknown": N_("age unknown")}),
    )
}

# Which breakdowns each published count has (UNODC GLOTIP).
BREAKDOWNS: dict[str, frozenset[str]] = {
    "victims_detected": frozenset({"form", "citizenship", "repatriation", "sex", "age"}),
    "persons_convicted": frozenset({"form", "citizenship", "sex", "age"}),
    "persons_prosecuted": frozenset({"sex", "age"}),
    "suspects": frozenset({"sex", "age"}),
}

_PLACE = re.compile(r"^(?:[A-Z]{3}|nationals|unknown|stateless|other:[a-z0-9_]+)$")


class MeasureNameError(ValueError):
    """A measure name that is neither a catalogue measure nor a well-formed breakdown."""


def breakdown_measure(base: str, **categories: str) -> str:
    """The one name of a breakdown: `breakdown_measure("victims_detected", sex="female",
    age="0-17")` → 'victims_detected|sex=female|age=0-17'. Raises MeasureNameError."""
    unknown = set(categories) - set(DIMENSIONS)
    if unknown:
        raise MeasureNameError(f"{', '.join(sorted(unknown))} is not a breakdown dimension.")
    parts = [base, *(f"{key}={categories[key]}" for key in DIMENSIONS if key in categories)]
    name = BREAKDOWN_SEPARATOR.join(parts)
    parse_measure(name)  # validates the base, the dimensions and the categories
    return name


def parse_measure(name: str) -> tuple[str, dict[str, str]]:
    """'victims_detected|sex=female|age=0-17' → ('victims_detected', {'sex': 'female',
    'age': '0-17'}); a plain measure → (name, {}). Raises MeasureNameError when malformed."""
    base, *pieces = name.split(BREAKDOWN_SEPARATOR)
    if base not in MEASURES:
        raise MeasureNameError(f"'{base}' is not a measure.")
    if not pieces:
        return base, {}
    allowed = BREAKDOWNS.get(base, frozenset())
    order = list(DIMENSIONS)
    categories: dict[str, str] = {}
    last = -1
    for piece in pieces:
        key, sep, category = piece.partition("=")
        if not sep or key not in DIMENSIONS or key not in allowed:
            raise MeasureNameError(f"'{name}': '{piece}' is not a breakdown of {base}.")
        if order.index(key) <= last:
            raise MeasureNameError(f"'{name}': dimensions out of order or repeated.")
        last = order.index(key)
        known = DIMENSIONS[key].categories
        valid = category in known if known is not None else bool(_PLACE.match(category))
        if not valid:
            raise MeasureNameError(f"'{name}': '{category}' is not a category of {key}.")
        categories[key] = category
    return base, categories


def is_known_measure(name: str) -> bool:
    """A catalogue measure or a well-formed breakdown of one."""
    try:
        parse_measure(name)
    except MeasureNameError:
        return False
    return True


def is_breakdown(name: str) -> bool:
    return BREAKDOWN_SEPARATOR in name


def base_measure(name: str) -> str:
    """The national total a breakdown belongs to (the name itself for a total)."""
    return name.split(BREAKDOWN_SEPARATOR, 1)[0]


def measure_group(name: str) -> str:
    """The measure with its dimensions but not their categories, for counting figures per
    kind of breakdown: 'victims_detected|sex=female|age=0-17' → 'victims_detected|sex|age'."""
    base, categories = parse_measure(name)
    return BREAKDOWN_SEPARATOR.join([base, *categories])


def _words_and(words: list[str], _: Callable[[str], str]) -> str:
    """'a', 'a and b', 'a, b and c' (in the language of ``_``)."""
    if len(words) == 1:
        return words[0]
    return _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])


def group_label(group: str, lang: str | None = None) -> str:
    """'victims_detected|sex|age' → 'Detected trafficking victims by sex and age' (in
    ``lang``: 'Victimes de la traite détectées par sexe et âge')."""
    from indicators.i18n import translator

    _ = translator(lang)
    base, *keys = group.split(BREAKDOWN_SEPARATOR)
    label = _(MEASURES[base].label) if base in MEASURES else base
    if not keys:
        return label
    words = [_(DIMENSIONS[k].label) if k in DIMENSIONS else k for k in keys]
    return _("{measure} by {dimensions}").format(measure=label,
                                                 dimensions=_words_and(words, _))


def category_label(dimension: str, category: str, lang: str | None = None) -> str:
    """One category as people read it: 'female', '0–17', 'citizens of Nigeria' (in ``lang``:
    'femmes', 'ressortissants du Nigéria'… with CLDR's country names)."""
    from indicators import i18n

    _ = i18n.translator(lang)
    known = DIMENSIONS[dimension].categories
    if known is not None:
        words = known.get(category, category)
        return _(words) if words else words
    if category in _SPECIAL_PLACES:
        words = _(_SPECIAL_PLACES[category])
        return _("{dimension} {words}").format(dimension=_(DIMENSIONS[dimension].label),
                                               words=words) if category == UNKNOWN else words
    if category.startswith(OTHER_PREFIX):
        words = category[len(OTHER_PREFIX):].replace("_", " ")
        return _("other {dimension} ({words})").format(dimension=_(DIMENSIONS[dimension].label),
                                                       words=words)
    from indicators.countries import country_name

    place = i18n.country_name(category, country_name(category), lang)
    return (_("citizens of {place}") if dimension == "citizenship" else
            _("repatriated to {place}")).format(place=place)


def measure_label(name: str, lang: str | None = None) -> str:
    """A measure's label as people read it, breakdowns included:
    'victims_detected|sex=female|age=0-17' → 'Detected trafficking victims: female, 0–17' (in
    ``lang``)."""
    from indicators.i18n import translator

    _ = translator(lang)
    try:
        base, categories = parse_measure(name)
    except MeasureNameError:
        return name
    label = _(MEASURES[base].label)
    if not categories:
        return label
    parts = [category_label(k, v, lang) for k, v in categories.items()]
    if categories.get("sex") == "unknown" and categories.get("age") == "unknown":
        unknown = (_("sex unknown"), _("age unknown"))
        parts = [p for p in parts if p not in unknown] + [_("sex and age unknown")]
    return _("{measure}: {categories}").format(measure=label, categories=", ".join(parts))


def measures_summary(names: list[str] | tuple[str, ...], lang: str | None = None) -> str:
    """A source's measures in a few words: the totals' labels in catalogue order, then which
    breakdowns it has ('…; with breakdowns by form of exploitation, sex and age'), in
    ``lang``."""
    from indicators.i18n import translator

    _ = translator(lang)
    bases, dimensions = [], set()
    for name in names:
        try:
            base, categories = parse_measure(name)
        except MeasureNameError:
            bases.append(name)
            continue
        bases.append(base)
        dimensions.update(categories)
    order = list(MEASURES)
    unique = sorted(set(bases), key=lambda b: order.index(b) if b in order else len(order))
    text = ", ".join(_(MEASURES[b].label) if b in MEASURES else b for b in unique)
    if dimensions:
        words = [_(DIMENSIONS[d].label) for d in DIMENSIONS if d in dimensions]
        text += _("; with breakdowns by {dimensions}").format(dimensions=_words_and(words, _))
    return text


def measure_unit(name: str) -> str:
    """The unit of a measure or of the total a breakdown belongs to."""
    return MEASURES[base_measure(name)].unit


@dataclass(frozen=True)
class Indicator:
    key: str
    number: int
    title: str
    paper_wording: str
    formula: str
    target: float | None  # None: no target (SDG 16.2.2, the published counts)
    comparison: str  # "gt": strictly greater; "ge": at least; "eq": exactly; "none"
    unit: str  # "share", "change", "count", "per_100k"
    target_text: str
    short: str
    proxy_rule: str | None = None
    # True: the target is to be reached by a deadline (the baseline year + 10), so a year that
    # does not meet it is "on track" or "off track" by its trend line. False: the target holds
    # every year, so each year meets it or not, and the trend is told apart (improving …).
    deadline: bool = False
    # Whose words `paper_wording` are, and whether the indicator is one of the paper's five.
    quoted_from: str = "The paper"
    in_paper: bool = True

    def meets(self, value: float) -> bool:
        if self.target is None:
            return False
        if self.comparison == "gt":
            return value > self.target
        if self.comparison == "ge":
            return value >= self.target
        return value == self.target


DENOMINATOR_NOTE = N_(
    "Denominator: Walk Free's Global Slavery Index 2023 estimate of people in modern slavery "
    "(2021), standing in for 'estimated trafficking cases', which no one publishes by country."
)
REPORTING_PROXY_NOTE = N_(
    "Proxy: victims detected by the authorities (UNODC GLOTIP) stand in for victims reported "
    "where a country publishes no reported-victims series."
)
DATA_SHARING_PROXY_NOTE = N_(
    "Proxy: a country counts as sharing data in a year when it reported any national total to "
    "UNODC's Global Report on Trafficking in Persons for that year."
)

# The notes the computation writes on a row (indicators/compute: its ``proxy`` and ``note``
# columns), in English, as the data carry them; ``note_words`` says them in another language.
ROW_NOTES: tuple[str, ...] = (
    N_("No estimate of people in modern slavery for this country."),
    N_("The estimate is zero, so a rate cannot be computed."),
    N_("No World Bank population figure for this country and year."),
    N_("The population figure is zero, so a rate cannot be computed."),
    N_("The baseline figure is zero, so a percentage change is undefined."),
)
_USED_FOR = re.compile(r" Used for (?P<n>\d+) of (?P<total>\d+) countries\.$")
_RANGE_NOTE = re.compile(
    r"^(?P<n>\d+) of the (?P<total>\d+) countries reported '<5'; the value is a range\.$")
_BASELINE_NOTES = (
    (re.compile(r"^Before the baseline year (?P<year>\d{4})\.$"),
     N_("Before the baseline year {year}.")),
    (re.compile(r"^No figure for the baseline year (?P<year>\d{4})\.$"),
     N_("No figure for the baseline year {year}.")),
)


def note_words(text: str | None, lang: str | None = None) -> str:
    """A row's proxy rule or note as the computation writes it (in English: 'Proxy: … Used
    for 80 of 80 countries.', "3 of the 40 countries reported '<5'; the value is a range.",
    'No figure for the baseline year 2015.') in ``lang``; a text it does not know (an
    upload's note) stays as it is. English: ``text`` itself."""
    from indicators import i18n

    if not text or (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH:
        return text or ""
    _, ngettext = i18n.translator(lang), i18n.plural_translator(lang)
    used = _USED_FOR.search(text)
    if used:
        n, total = int(used["n"]), int(used["total"])
        return note_words(text[:used.start()], lang) + " " + ngettext(
            "Used for {n} of {total} countries.", "Used for {n} of {total} countries.",
            total).format(n=i18n.number(n, lang), total=i18n.number(total, lang))
    ranged = _RANGE_NOTE.match(text)
    if ranged:
        n, total = int(ranged["n"]), int(ranged["total"])
        return ngettext("{n} of the {total} countries reported '<5'; the value is a range.",
                        "{n} of the {total} countries reported '<5'; the value is a range.",
                        total).format(n=i18n.number(n, lang), total=i18n.number(total, lang))
    for pattern, message in _BASELINE_NOTES:
        found = pattern.match(text)
        if found:
            return _(message).format(year=found["year"])
    return _(text)

INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator(
            key="conviction_rate",
            number=1,
            title=N_("Conviction rate"),
            paper_wording="Conviction rate exceeds 30% of estimated trafficking cases within "
            "10 years",
            formula="persons_convicted / estimated_victims",
            target=0.30,
            comparison="gt",
            unit="share",
            target_text=N_("more than 30% by the baseline year + 10"),
            short=N_("Persons convicted per estimated victim"),
            deadline=True,
        ),
        Indicator(
            key="reporting_increase",
            number=2,
            title=N_("Increase in victim reporting"),
            paper_wording="Victim reporting rate increases by at least 50%",
            formula="victims_reported(year) / victims_reported(baseline year) - 1",
            target=0.50,
            comparison="ge",
            unit="change",
            target_text=N_("at least +50% on the baseline year"),
            short=N_("Change in victims reported since the baseline year"),
            proxy_rule=REPORTING_PROXY_NOTE,
            deadline=True,
        ),
        Indicator(
            key="data_sharing_countries",
            number=3,
            title=N_("Countries sharing data across borders"),
            paper_wording="Cross-border data sharing active in 60+ countries",
            formula="count of countries with data_sharing_active = 1 in the year",
            target=60,
            comparison="ge",
            unit="count",
            target_text=N_("60 or more countries"),
            short=N_("Countries with active cross-border data sharing"),
            proxy_rule=DATA_SHARING_PROXY_NOTE,
            deadline=True,  # the world's count; a country's own flag holds year by year
        ),
        Indicator(
            key="identification_rate",
            number=4,
            title=N_("Victim identification rate"),
            paper_wording="Annual victim identification exceeds 20% of estimated cases",
            formula="victims_detected / estimated_victims",
            target=0.20,
            comparison="gt",
            unit="share",
            target_text=N_("more than 20% every year"),
            short=N_("Detected victims per estimated victim"),
        ),
        Indicator(
            key="victims_prosecuted",
            number=5,
            title=N_("Victims prosecuted"),
            paper_wording="Zero prosecution of victims for immigration or prostitution-related "
            "offenses",
            formula="victims_prosecuted",
            target=0,
            comparison="eq",
            unit="count",
            target_text=N_("exactly zero"),
            short=N_("Victims prosecuted for immigration or prostitution offences"),
        ),
        Indicator(
            key="victims_per_100k",
            number=6,
            title=N_("Detected victims per 100,000 people"),
            paper_wording="Number of victims of human trafficking per 100,000 population, by "
            "sex, age and form of exploitation",
            formula="victims_detected / population × 100,000",
            target=None,
            comparison="none",
            unit="per_100k",
            target_text=N_("none: SDG 16.2.2 sets no numeric target (value, trend and "
                           "coverage only)"),
            short="Detected victims per 100,000 people",
            quoted_from="SDG indicator 16.2.2 (not one of the paper's five indicators)",
            in_paper=False,
        ),
    )
}

# The paper's five indicators of success, and SDG 16.2.2, shown beside them but set apart.
PAPER_INDICATORS: tuple[str, ...] = tuple(k for k, i in INDICATORS.items() if i.in_paper)
SDG_INDICATOR = "victims_per_100k"
SDG_HEADING = N_("SDG 16.2.2 (not one of the paper's five indicators)")
PER_100K = 100_000

# -- published counts as Compare shows them: as counts, or per 100,000 population -------------
# Not indicators: no target, no status. A view's key is the measure's name (the count) or the
# name with PER_100K_SUFFIX (per 100,000 population); detected victims per 100,000 people is
# SDG 16.2.2 itself, so its key is the indicator's.
COUNT_VIEW_MEASURES: tuple[str, ...] = (*GLOTIP_MEASURES, "victims_reported",
                                        "victims_prosecuted")
PER_100K_SUFFIX = "_per_100k"
COUNT_VIEW_TARGET = N_("none: a published count, not one of the indicators")
PER_100K_VIEW_TARGET = N_("none: a published count per 100,000 people, not one of the "
                          "indicators")
PUBLISHED_COUNT = N_("Published count: {measure}")


def published_count_label(measure: str, lang: str | None = None) -> str:
    """A published count as a choice among the indicators: 'Published count: Persons
    convicted' ('Chiffre publié : Personnes condamnées'), in ``lang``."""
    from indicators.i18n import translator

    _ = translator(lang)
    return _(PUBLISHED_COUNT).format(measure=_(MEASURES[measure].label))


def per_100k_key(measure: str) -> str:
    """The key of a count's per-100,000 view: 'persons_convicted_per_100k'; for detected
    victims, SDG 16.2.2 ('victims_per_100k')."""
    return SDG_INDICATOR if measure == "victims_detected" else measure + PER_100K_SUFFIX


def count_view_of(key: str) -> tuple[str, bool] | None:
    """(measure, per 100,000?) of a count view's key; None for anything else (an indicator)."""
    if key == SDG_INDICATOR:
        return "victims_detected", True
    if key in COUNT_VIEW_MEASURES:
        return key, False
    if key.endswith(PER_100K_SUFFIX) and key[: -len(PER_100K_SUFFIX)] in COUNT_VIEW_MEASURES:
        return key[: -len(PER_100K_SUFFIX)], True
    return None


@functools.cache
def indicator_meta(key: str) -> Indicator:
    """An indicator, or a count view described as one (number 0, no target), so the charts
    and tables that draw indicators draw the views too. Raises KeyError for anything else."""
    if key in INDICATORS:
        return INDICATORS[key]
    view = count_view_of(key)
    if view is None:
        raise KeyError(key)
    measure, per_100k = view
    label = MEASURES[measure].label
    if per_100k:
        return Indicator(
            key=key, number=0, title=f"{label} per 100,000 people", paper_wording="",
            formula=f"{measure} / population × 100,000", target=None, comparison="none",
            unit="per_100k", target_text=PER_100K_VIEW_TARGET,
            short=f"{label} per 100,000 people", in_paper=False, quoted_from="")
    return Indicator(
        key=key, number=0, title=label, paper_wording="", formula=measure, target=None,
        comparison="none", unit="count", target_text=COUNT_VIEW_TARGET, short=label,
        in_paper=False, quoted_from="")

STATUSES: dict[str, tuple[str, str]] = {
    # status: (words, icon). Status is never told by colour alone. One meaning each
    # (docs/methodology.md, "Statuses"): met / not met judge the year's own value; on track /
    # off track are only for targets with a deadline, and judge the trend line.
    "met": (N_("Target met"), "✔"),
    "met_on_proxy": (N_("Target met on a proxy"), "◐"),
    "on_track": (N_("On track"), "↗"),
    "off_track": (N_("Off track"), "✖"),
    "not_met": (N_("Not met"), "✗"),
    "uncertain": (N_("Uncertain: the range straddles the target"), "↔"),
    "no_target": (N_("No target at this level"), "–"),
    "no_data": (N_("No data"), "○"),
}

STATUS_RULE = (
    "Met / not met: the year's own value against the target (indicators 4 and 5, and a "
    "country's own sharing flag, hold every year; their trend is told apart). On / off track: "
    "only for targets with a deadline (indicator 1; 2 and 3 for the world), by the trend line. "
    "On a proxy, never plain 'met'."
)

# What a value rests on (the `basis` column): its own series, or a proxy standing in for it
# (indicators 2 and 3), for every country counted or some of them; for SDG 16.2.2, UNODC's
# published rate, or the rate computed from detected victims and World Bank population (where
# UNODC publishes none, and always for regions and the world).
BASES: dict[str, str] = {
    "own": N_("its own figures"),
    "proxy": N_("on a proxy"),
    "partly_proxy": N_("partly on a proxy"),
    "published": N_("UNODC's published value"),
    "computed": N_("computed from detected victims and World Bank population"),
}
SDG_PUBLISHED_WORDS = N_("UNODC's published value (SDG 16.2.2 as its custodian publishes it)")
SDG_COMPUTED_WORDS = N_("computed from detected victims and World Bank population")


def sdg_basis_sentence(basis: str | None, scope_type: str | None = None,
                       translate: Callable[[str], str] = str) -> str:
    """Which SDG 16.2.2 value a row shows, in one sentence (cards, charts, briefs, the CLI):
    UNODC's published rate, or the rate computed where UNODC publishes none; '' for any
    other basis. ``translate``: a translator (``i18n.translator``), English by default."""
    if basis == "published":
        return translate(N_("UNODC's published value (SDG 16.2.2 as its custodian publishes "
                            "it)."))
    if basis != "computed":
        return ""
    if scope_type == "country":
        return translate(N_("Computed from detected victims and World Bank population (UNODC "
                            "publishes no value for this country and year)."))
    return translate(N_("Computed from detected victims and World Bank population (UNODC "
                        "publishes no regional or world value)."))
PROXY_BASES: tuple[str, ...] = ("proxy", "partly_proxy")

# The direction of the least-squares line since the baseline year (the `trend` column),
# separate from the status: "improving" is towards the target.
TRENDS: dict[str, str] = {
    "improving": N_("improving"),
    "worsening": N_("worsening"),
    "flat": N_("flat"),
    "rising": N_("rising (no target to move towards)"),
    "falling": N_("falling (no target to move towards)"),
    "unclear": N_("unclear (the low and high ends of the ranges move differently)"),
    "none": N_("no trend (fewer than 3 yearly values since the baseline year)"),
}

SERIES_BREAK_WORDS = N_("possible break in the series (check the source)")


def status_words(status: str | None, basis: str | None = None,
                 translate: Callable[[str], str] = str) -> str:
    """A status in words, saying when the value rests on a proxy: 'Target met on a proxy',
    'Off track (partly on a proxy)'; in another language with ``translate``
    (``i18n.translator``)."""
    key = status or "no_data"
    words = translate(STATUSES.get(key, STATUSES["no_data"])[0])
    if basis not in PROXY_BASES or key in ("no_data", "no_target"):
        return words
    if key == "met_on_proxy":
        return words if basis == "proxy" else translate(N_("Target met, partly on a proxy"))
    return f"{words} ({translate(BASES[basis])})"


def status_text(status: str | None, basis: str | None = None,
                translate: Callable[[str], str] = str) -> str:
    """Icon and words for a status, for tables and cards."""
    icon = STATUSES.get(status or "no_data", STATUSES["no_data"])[1]
    return f"{icon} {status_words(status, basis, translate)}"


def trend_words(trend: str | None, translate: Callable[[str], str] = str) -> str:
    return translate(TRENDS.get(trend or "none", TRENDS["none"]))
