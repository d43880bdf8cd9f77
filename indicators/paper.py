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
    "convicted_per_prosecuted": "Persons convicted per person prosecuted",
    "convicted_per_detected": "Persons convicted per detected victim",
    "convicted_per_suspect": "Persons convicted per person brought into formal contact with "
    "the police",
}
OUR_CONVICTION_RATE = (
    "Our conviction rate (indicator 1) divides persons convicted by Walk Free's estimate of "
    "everyone in modern slavery, a far larger number than any count of cases or prosecutions, "
    "so it is hundreds of times smaller than a conviction rate per case."
)


CONTEXT_FIGURES: tuple[ContextFigure, ...] = (
    ContextFigure(
        figure="under 3%",
        short_label="Global conviction gap",
        label="Global conviction gap",
        quote="the international criminal justice system's effectiveness has been undermined "
        "by inconsistent enforcement, jurisdictional limitations, institutional flaws, and a "
        "persistent conviction gap (under 3% globally).",
        where="Section 6, Conclusion",
        differs="The paper does not say what its 3% divides by; a conviction rate usually "
        "means convictions per prosecution or per case, not per estimated victim, which is "
        "why it is far above our indicator 1.",
        compare_with=("convicted_per_prosecuted", "convicted_per_detected"),
    ),
    ContextFigure(
        figure="fewer than 10%",
        short_label="Transnational cases convicted",
        label="Transnational cases that end in conviction",
        quote="Notably, less than 10% of transnational trafficking cases result in conviction "
        "across signatory states, highlighting a critical enforcement gap.",
        where="Abstract",
        differs="UNODC's figures are national totals: they do not say which cases crossed "
        "borders, so transnational cases cannot be counted here; the nearest ratio on our data "
        "is convictions per person brought into formal contact with the police.",
        compare_with=("convicted_per_suspect",),
    ),
    ContextFigure(
        figure="1.8% vs 2.1%",
        short_label="Harsh vs moderate sentences",
        label="Conviction rate with 20+ year mandatory minimums vs moderate (5–15 year) "
        "sentences",
        quote="For example, countries with mandatory minimum sentences of 20+ years for "
        "trafficking showed an average conviction rate of only 1.8%, compared to 2.1% in "
        "countries with moderate sentencing (5-15 years).",
        where="Section 5, Discussion",
        differs="The paper names neither the countries nor what the rates divide by, and we "
        "hold no data on sentencing, so this comparison cannot be reproduced; for scale, the "
        "world's convictions per detected victim on our data:",
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


TABLE_4_TITLE = "Table 4. Policy Recommendations Table"
TABLE_4_INTRO = (
    "The following table outlines specific recommendations with assigned responsible actors, "
    "timelines, and cost implications to ensure actionable policy guidance."
)
TABLE_4_COLUMNS: tuple[str, ...] = (
    "Recommendation",
    "Specific Action",
    "Responsible Actor",
    "Timeline",
    "Cost Implication",
)

TABLE_4: tuple[Recommendation, ...] = (
    Recommendation(
        "Harmonize legal definitions",
        "Adopt uniform trafficking definition across all Palermo Protocol signatories",
        "UNODC, Interpol, Member States",
        "2 years",
        "Low (technical assistance)",
    ),
    Recommendation(
        "AI-based financial tracking",
        "Require banks to use AI for detecting suspicious trafficking-related transactions",
        "FATF, Central Banks, Financial Institutions",
        "3 years",
        "High ($50–100M globally)",
    ),
    Recommendation(
        "Victim visa programs",
        "Provide non-criminalization and renewable residence permits for victims",
        "National Governments",
        "1 year",
        "Medium (administrative)",
    ),
    Recommendation(
        "Cross-border data sharing",
        "Develop secure platform for real-time international data exchange",
        "Interpol, Europol, UNODC",
        "2.5 years",
        "High ($30M initial setup)",
    ),
    Recommendation(
        "Training for judges and prosecutors",
        "Introduce standardized training on trauma-informed and digital evidence handling",
        "Judicial Academies, UNODC",
        "1.5 years",
        "Low–Moderate ($5–10M annually)",
    ),
    Recommendation(
        "Victim support fund",
        "Create global fund for victim services (shelter, legal aid, rehabilitation)",
        "IOM, ILO, Donor Nations",
        "1 year",
        "High ($200M initial endowment)",
    ),
)


def table_4_rows() -> list[dict[str, str]]:
    """Table 4 as rows keyed by the paper's column names."""
    return [
        dict(zip(TABLE_4_COLUMNS, (r.recommendation, r.specific_action, r.responsible_actor,
                                   r.timeline, r.cost_implication), strict=True))
        for r in TABLE_4
    ]
