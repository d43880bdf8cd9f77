"""What the paper itself says, quoted: its context figures and its Table 4 recommendations.

Source: Saif & Khan (2026), see ``measures.PAPER_CITATION``. Every string below is copied from
the paper's text (the PDF's extracted text, ``\\$`` unescaped to ``$``); nothing is paraphrased.
These are the paper's claims, shown as context on the methodology page, never mixed with the
published figures the indicators are computed from. Beside each, one sentence of ours
(``differs``) says how its measure differs from the dashboard's, and ``compare_with`` names the
ratios computed from the published figures that come nearest (``compute.context_ratios``,
labelled by ``OUR_RATIOS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.i18n import ENGLISH, N_, translator


@dataclass(frozen=True)
class ContextFigure:
    figure: str  # the number as the paper states it
    short_label: str  # a card heading
    label: str  # what the number is, in the dashboard's words
    quote: str  # the paper's sentence, verbatim
    where: str  # where in the paper
    differs: str = ""  # ours: how the paper's measure differs from the dashboard's
    compare_with: tuple[str, ...] = ()  # keys of compute.CONTEXT_RATIOS


# The ratios we compute to set beside the paper's figures (compute.CONTEXT_RATIOS), in words.
OUR_RATIOS: dict[str, str] = {
    "convicted_per_prosecuted": N_("Persons convicted per person prosecuted"),
    "convicted_per_detected": N_("Persons convicted per detected victim"),
    "convicted_per_suspect": N_("Persons convicted per person brought into formal contact "
                                "with the police"),
}
OUR_CONVICTION_RATE = N_(
    "Our conviction rate (indicator 1) divides persons convicted by Walk Free's estimate of "
    "everyone in modern slavery, a far larger number than any count of cases or prosecutions, "
    "so it is hundreds of times smaller than a conviction rate per case."
)


CONTEXT_FIGURES: tuple[ContextFigure, ...] = (
    ContextFigure(
        figure=N_("under 3%"),
        short_label=N_("Global conviction gap"),
        label=N_("Global conviction gap"),
        quote=N_("the international criminal justice system's effectiveness has been undermined "
        "by inconsistent enforcement, jurisdictional limitations, institutional flaws, and a "
        "persistent conviction gap (under 3% globally)."),
        where=N_("Section 6, Conclusion"),
        differs=N_("The paper does not say what its 3% divides by; a conviction rate usually "
                   "means convictions per prosecution or per case, not per estimated victim, "
                   "which is why it is far above our indicator 1."),
        compare_with=("convicted_per_prosecuted", "convicted_per_detected"),
    ),
    ContextFigure(
        figure=N_("fewer than 10%"),
        short_label=N_("Transnational cases convicted"),
        label=N_("Transnational cases that end in conviction"),
        quote=N_("Notably, less than 10% of transnational trafficking cases result in conviction "
        "across signatory states, highlighting a critical enforcement gap."),
        where=N_("Abstract"),
        differs=N_("UNODC's figures are national totals: they do not say which cases crossed "
                   "borders, so transnational cases cannot be counted here; the nearest ratio "
                   "on our data is convictions per person brought into formal contact with the "
                   "police."),
        compare_with=("convicted_per_suspect",),
    ),
    ContextFigure(
        figure=N_("1.8% vs 2.1%"),
        short_label=N_("Harsh vs moderate sentences"),
        label=N_("Conviction rate with 20+ year mandatory minimums vs moderate (5–15 year) "
                 "sentences"),
        quote=N_("For example, countries with mandatory minimum sentences of 20+ years for "
        "trafficking showed an average conviction rate of only 1.8%, compared to 2.1% in "
        "countries with moderate sentencing (5-15 years)."),
        where=N_("Section 5, Discussion"),
        differs=N_("The paper names neither the countries nor what the rates divide by, and we "
                   "hold no data on sentencing, so this comparison cannot be reproduced; for "
                   "scale, the world's convictions per detected victim on our data:"),
        compare_with=("convicted_per_detected",),
    ),
)


@dataclass(frozen=True)
class Recommendation:
    recommendation: str
    specific_action: str
    responsible_actor: str
    timeline: str
    cost_implication: str


TABLE_4_TITLE = N_("Table 4. Policy Recommendations Table")
TABLE_4_INTRO = N_(
    "The following table outlines specific recommendations with assigned responsible actors, "
    "timelines, and cost implications to ensure actionable policy guidance."
)
TABLE_4_COLUMNS: tuple[str, ...] = (
    N_("Recommendation"),
    N_("Specific Action"),
    N_("Responsible Actor"),
    N_("Timeline"),
    N_("Cost Implication"),
)

TABLE_4: tuple[Recommendation, ...] = (
    Recommendation(
        N_("Harmonize legal definitions"),
        N_("Adopt uniform trafficking definition across all Palermo Protocol signatories"),
        N_("UNODC, Interpol, Member States"),
        "2 years",
        N_("Low (technical assistance)"),
    ),
    Recommendation(
        N_("AI-based financial tracking"),
        N_("Require banks to use AI for detecting suspicious trafficking-related transactions"),
        N_("FATF, Central Banks, Financial Institutions"),
        "3 years",
        N_("High ($50–100M globally)"),
    ),
    Recommendation(
        N_("Victim visa programs"),
        N_("Provide non-criminalization and renewable residence permits for victims"),
        N_("National Governments"),
        "1 year",
        N_("Medium (administrative)"),
    ),
    Recommendation(
        N_("Cross-border data sharing"),
        N_("Develop secure platform for real-time international data exchange"),
        N_("Interpol, Europol, UNODC"),
        "2.5 years",
        N_("High ($30M initial setup)"),
    ),
    Recommendation(
        N_("Training for judges and prosecutors"),
        N_("Introduce standardized training on trauma-informed and digital evidence handling"),
        N_("Judicial Academies, UNODC"),
        "1.5 years",
        N_("Low–Moderate ($5–10M annually)"),
    ),
    Recommendation(
        N_("Victim support fund"),
        N_("Create global fund for victim services (shelter, legal aid, rehabilitation)"),
        N_("IOM, ILO, Donor Nations"),
        "1 year",
        N_("High ($200M initial endowment)"),
    ),
)


# The indicators' wording as the paper (and, for 16.2.2, the SDG framework) states it
# (``measures.INDICATORS[…].paper_wording``), marked here so that its translation, shown beside
# the English quotation, comes from the same place as the paper's other quotations.
INDICATOR_WORDING: tuple[str, ...] = (
    N_("Conviction rate exceeds 30% of estimated trafficking cases within 10 years"),
    N_("Victim reporting rate increases by at least 50%"),
    N_("Cross-border data sharing active in 60+ countries"),
    N_("Annual victim identification exceeds 20% of estimated cases"),
    N_("Zero prosecution of victims for immigration or prostitution-related offenses"),
    N_("Number of victims of human trafficking per 100,000 population, by sex, age and form of "
       "exploitation"),
)


def quoted(text: str, lang: str | None = None, marks: tuple[str, str] = ("", "")) -> str:
    """The paper's (or the SDG framework's) wording as it stands, in English (between
    ``marks``), followed in French or Spanish by its translation: 'Conviction rate exceeds 30%
    … (traduction : Le taux de condamnation …)'. In English, or for a text the catalog does not
    translate, the wording alone."""
    _ = translator(lang)
    translation = _(text)
    shown = f"{marks[0]}{text}{marks[1]}"
    if (lang or ENGLISH) == ENGLISH or not text or translation == text:
        return shown
    return _("{quote} (translation: {translation})").format(quote=shown,
                                                              translation=translation)


# Quotation marks as each language writes them (CLDR's, French with its no-break spaces).
QUOTE_MARKS = {"fr": ("«\u00a0", "\u00a0»"), "es": ("«", "»")}


def in_quotes(text: str, lang: str | None = None) -> str:
    """``quoted`` between the language's quotation marks: '“Conviction rate exceeds …”' in
    English, '« Conviction rate exceeds … » (traduction : …)' in French."""
    return quoted(text, lang, QUOTE_MARKS.get(lang or ENGLISH, ("“", "”")))


def duration(text: str, lang: str | None = None) -> str:
    """A timeline as the paper writes it ('1 year', '1.5 years') in ``lang``, by CLDR's units
    ('1 an', '1,5 an'; '1 año', '1,5 años'); a text of another form is returned as is."""
    number, _space, unit = text.partition(" ")
    if (lang or ENGLISH) == ENGLISH or unit not in ("year", "years"):
        return text
    from decimal import Decimal

    from babel.units import format_unit

    return format_unit(Decimal(number), "duration-year", length="long", locale=lang)


def table_4_rows(lang: str | None = None) -> list[dict[str, str]]:
    """Table 4 as rows keyed by the paper's column names (in ``lang``: the columns translated,
    each quoted cell followed by its translation, the timelines in the language's words)."""
    _ = translator(lang)
    return [
        dict(zip((_(c) for c in TABLE_4_COLUMNS),
                 (quoted(r.recommendation, lang), quoted(r.specific_action, lang),
                  quoted(r.responsible_actor, lang), duration(r.timeline, lang),
                  quoted(r.cost_implication, lang)), strict=True))
        for r in TABLE_4
    ]


# Every wording the dashboard quotes (``quoted``): the paper's indicators, context sentences,
# Table 4 and the SDG indicator's title. They stay in English wherever shown, with a
# translation beside them in French and Spanish.
QUOTED: tuple[str, ...] = (
    *INDICATOR_WORDING,
    *(figure.quote for figure in CONTEXT_FIGURES),
    TABLE_4_INTRO,
    *(text for r in TABLE_4 for text in (r.recommendation, r.specific_action,
                                         r.responsible_actor, r.cost_implication)),
)
