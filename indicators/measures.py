"""The measure catalogue and the five indicators of success: names, units, targets, wording.

Everything a page, a chart, the CLI or the methodology says about a measure or an indicator
is written here once.
"""

from __future__ import annotations

from dataclasses import dataclass

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


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "estimated_victims",
            "Estimated people in modern slavery",
            "people",
            "Walk Free's estimate of people living in modern slavery (forced labour and forced "
            "marriage) on a given day; the only published per-country estimate of the hidden "
            "population, used as the stand-in for 'estimated trafficking cases'.",
            ("conviction_rate", "identification_rate"),
        ),
        Measure(
            "population",
            "Population",
            "people",
            "National population used by Walk Free for its 2021 estimate.",
            (),
        ),
        Measure(
            "victims_detected",
            "Detected trafficking victims",
            "people",
            "Victims of trafficking in persons detected by national authorities in the year "
            "(UNODC GLOTIP national total).",
            ("identification_rate", "reporting_increase", "data_sharing_countries"),
        ),
        Measure(
            "persons_prosecuted",
            "Persons prosecuted",
            "people",
            "Persons prosecuted for trafficking in persons in the year (UNODC GLOTIP).",
            ("data_sharing_countries",),
        ),
        Measure(
            "persons_convicted",
            "Persons convicted",
            "people",
            "Persons convicted of trafficking in persons in the year (UNODC GLOTIP).",
            ("conviction_rate", "data_sharing_countries"),
        ),
        Measure(
            "suspects",
            "Persons brought into formal contact",
            "people",
            "Persons brought into formal contact with the police or criminal justice system for "
            "trafficking in persons (suspects, arrested or cautioned; UNODC GLOTIP).",
            ("data_sharing_countries",),
        ),
        Measure(
            "offences_recorded",
            "Recorded offences of trafficking",
            "offences",
            "Offences of trafficking in persons recorded by the police in the year "
            "(UNODC GLOTIP).",
            ("data_sharing_countries",),
        ),
        Measure(
            "victims_reported",
            "Victims reported",
            "people",
            "Trafficking victims who reported to the authorities themselves or through a "
            "support service in the year. No published series; comes from uploads.",
            ("reporting_increase",),
        ),
        Measure(
            "data_sharing_active",
            "Cross-border data sharing active",
            "flag (1 = yes, 0 = no)",
            "1 when the country actively exchanged trafficking case data with other countries "
            "through a cross-border platform in the year, 0 when it did not. Comes from uploads.",
            ("data_sharing_countries",),
            is_flag=True,
        ),
        Measure(
            "victims_prosecuted",
            "Victims prosecuted for immigration or prostitution offences",
            "people",
            "Identified trafficking victims prosecuted in the year for immigration or "
            "prostitution-related offences. No published series; comes from uploads.",
            ("victims_prosecuted",),
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


@dataclass(frozen=True)
class Indicator:
    key: str
    number: int
    title: str
    paper_wording: str
    formula: str
    target: float
    comparison: str  # "gt": strictly greater; "ge": at least; "eq": exactly
    unit: str  # "share", "change", "count"
    target_text: str
    short: str
    proxy_rule: str | None = None

    def meets(self, value: float) -> bool:
        if self.comparison == "gt":
            return value > self.target
        if self.comparison == "ge":
            return value >= self.target
        return value == self.target


DENOMINATOR_NOTE = (
    "Denominator: Walk Free's Global Slavery Index 2023 estimate of people in modern slavery "
    "(2021), standing in for 'estimated trafficking cases', which no one publishes by country."
)
REPORTING_PROXY_NOTE = (
    "Proxy: victims detected by the authorities (UNODC GLOTIP) stand in for victims reported "
    "where a country publishes no reported-victims series."
)
DATA_SHARING_PROXY_NOTE = (
    "Proxy: a country counts as sharing data in a year when it reported any national total to "
    "UNODC's Global Report on Trafficking in Persons for that year."
)

INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator(
            key="conviction_rate",
            number=1,
            title="Conviction rate",
            paper_wording="Conviction rate exceeds 30% of estimated trafficking cases within "
            "10 years",
            formula="persons_convicted / estimated_victims",
            target=0.30,
            comparison="gt",
            unit="share",
            target_text="more than 30% by the baseline year + 10",
            short="Persons convicted per estimated victim",
        ),
        Indicator(
            key="reporting_increase",
            number=2,
            title="Increase in victim reporting",
            paper_wording="Victim reporting rate increases by at least 50%",
            formula="victims_reported(year) / victims_reported(baseline year) - 1",
            target=0.50,
            comparison="ge",
            unit="change",
            target_text="at least +50% on the baseline year",
            short="Change in victims reported since the baseline year",
            proxy_rule=REPORTING_PROXY_NOTE,
        ),
        Indicator(
            key="data_sharing_countries",
            number=3,
            title="Countries sharing data across borders",
            paper_wording="Cross-border data sharing active in 60+ countries",
            formula="count of countries with data_sharing_active = 1 in the year",
            target=60,
            comparison="ge",
            unit="count",
            target_text="60 or more countries",
            short="Countries with active cross-border data sharing",
            proxy_rule=DATA_SHARING_PROXY_NOTE,
        ),
        Indicator(
            key="identification_rate",
            number=4,
            title="Victim identification rate",
            paper_wording="Annual victim identification exceeds 20% of estimated cases",
            formula="victims_detected / estimated_victims",
            target=0.20,
            comparison="gt",
            unit="share",
            target_text="more than 20% every year",
            short="Detected victims per estimated victim",
        ),
        Indicator(
            key="victims_prosecuted",
            number=5,
            title="Victims prosecuted",
            paper_wording="Zero prosecution of victims for immigration or prostitution-related "
            "offenses",
            formula="victims_prosecuted",
            target=0,
            comparison="eq",
            unit="count",
            target_text="exactly zero",
            short="Victims prosecuted for immigration or prostitution offences",
        ),
    )
}

STATUSES: dict[str, tuple[str, str]] = {
    # status: (words, icon). Status is never told by colour alone.
    "met": ("Target met", "✔"),
    "on_track": ("On track", "↗"),
    "off_track": ("Off track", "✖"),
    "uncertain": ("Uncertain: the range straddles the target", "↔"),
    "no_target": ("No target at this level", "–"),
    "no_data": ("No data", "○"),
}


def status_text(status: str | None) -> str:
    """Icon and words for a status, for tables and cards."""
    words, icon = STATUSES.get(status or "no_data", STATUSES["no_data"])
    return f"{icon} {words}"


def format_value(value: float | None, unit: str, *, lower: float | None = None,
                 upper: float | None = None) -> str:
    """A value as people read it: shares as percentages, changes signed, counts grouped.

    A range (from a suppressed '<5' figure) is shown as 'low–high'; a gap as 'no data'.
    """
    if value is None and lower is not None and upper is not None:
        low, high = format_value(lower, unit), format_value(upper, unit)
        return low if low == high else f"{low}–{high}"
    if value is None:
        return "no data"
    if unit == "share":
        return f"{value * 100:.{_decimals(value * 100)}f}%"
    if unit == "change":
        return f"{value * 100:+.0f}%"
    return f"{value:,.0f}"


def _decimals(percent: float) -> int:
    magnitude = abs(percent)
    if magnitude == 0 or magnitude >= 10:
        return 1 if magnitude and magnitude < 100 else 0
    if magnitude >= 1:
        return 1
    if magnitude >= 0.1:
        return 2
    return 3
