"""The catalogue of measures and the five indicators: targets, comparisons and wording."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.measures import (
    INDICATORS,
    MEASURES,
    PAPER_INDICATORS,
    SDG_INDICATOR,
    STATUSES,
    status_text,
)
from indicators.value_text import format_value

# Saif & Khan (2026), section 7, "Measurable Indicators of Success", word for word.
PAPER = {
    "conviction_rate": "Conviction rate exceeds 30% of estimated trafficking cases within 10 years",
    "reporting_increase": "Victim reporting rate increases by at least 50%",
    "data_sharing_countries": "Cross-border data sharing active in 60+ countries",
    "identification_rate": "Annual victim identification exceeds 20% of estimated cases",
    "victims_prosecuted": "Zero prosecution of victims for immigration or prostitution-related "
    "offenses",
}


def test_the_five_indicators_in_the_papers_order_and_words():
    assert list(PAPER_INDICATORS) == list(PAPER)
    assert [INDICATORS[k].number for k in PAPER_INDICATORS] == [1, 2, 3, 4, 5]
    for key, wording in PAPER.items():
        assert INDICATORS[key].paper_wording == wording
        assert INDICATORS[key].quoted_from == "The paper"


def test_sdg_16_2_2_is_a_sixth_indicator_set_apart_without_a_target():
    assert list(INDICATORS) == [*PAPER, SDG_INDICATOR]
    sdg = INDICATORS[SDG_INDICATOR]
    assert (sdg.number, sdg.in_paper, sdg.target, sdg.comparison, sdg.unit) == (
        6, False, None, "none", "per_100k")
    assert "not one of the paper's five" in sdg.quoted_from
    assert sdg.paper_wording.startswith("Number of victims of human trafficking per 100,000")
    assert not sdg.meets(0) and not sdg.meets(15.95)


@pytest.mark.parametrize(
    ("key", "target", "comparison", "unit"),
    [
        ("conviction_rate", 0.30, "gt", "share"),
        ("reporting_increase", 0.50, "ge", "change"),
        ("data_sharing_countries", 60, "ge", "count"),
        ("identification_rate", 0.20, "gt", "share"),
        ("victims_prosecuted", 0, "eq", "count"),
    ],
)
def test_targets_and_comparisons(key, target, comparison, unit):
    indicator = INDICATORS[key]
    assert (indicator.target, indicator.comparison, indicator.unit) == (target, comparison, unit)


@pytest.mark.parametrize(
    ("key", "value", "met"),
    [
        ("conviction_rate", 0.30, False),
        ("conviction_rate", 0.300001, True),
        ("reporting_increase", 0.50, True),
        ("reporting_increase", 0.4999, False),
        ("data_sharing_countries", 60, True),
        ("data_sharing_countries", 59, False),
        ("identification_rate", 0.20, False),
        ("identification_rate", 0.200001, True),
        ("victims_prosecuted", 0, True),
        ("victims_prosecuted", 1, False),
    ],
)
def test_meets_at_the_boundaries(key, value, met):
    assert INDICATORS[key].meets(value) is met


def test_canonical_measures_and_who_uses_them():
    assert set(MEASURES) == {
        "estimated_victims", "population", "gsi_population", "victims_detected",
        "persons_prosecuted",
        "persons_convicted", "suspects", "offences_recorded", "victims_reported",
        "data_sharing_active", "victims_prosecuted",
        "victims_per_100k",  # UNODC's published SDG 16.2.2 rate (issue 21)
    }
    for measure in MEASURES.values():
        assert set(measure.used_by) <= set(INDICATORS), measure.name
        assert measure.label and measure.definition and measure.unit
    assert [m.name for m in MEASURES.values() if m.is_flag] == ["data_sharing_active"]
    assert "conviction_rate" in MEASURES["persons_convicted"].used_by
    assert "identification_rate" in MEASURES["estimated_victims"].used_by


def test_every_status_has_words_and_a_distinct_icon():
    assert set(STATUSES) == {"met", "met_on_proxy", "on_track", "off_track", "not_met",
                             "uncertain", "no_target", "no_data"}
    icons = [icon for _, icon in STATUSES.values()]
    assert len(set(icons)) == len(icons)
    assert status_text("met") == "✔ Target met"
    assert status_text("off_track") == "✖ Off track"
    assert status_text("not_met") == "✗ Not met"
    assert status_text(None) == "○ No data"
    assert status_text("something else") == "○ No data"


def test_a_status_on_a_proxy_says_so():
    assert status_text("met_on_proxy", "proxy") == "◐ Target met on a proxy"
    assert status_text("met_on_proxy", "partly_proxy") == "◐ Target met, partly on a proxy"
    assert status_text("on_track", "proxy") == "↗ On track (on a proxy)"
    assert status_text("off_track", "partly_proxy") == "✖ Off track (partly on a proxy)"
    assert status_text("met", "own") == "✔ Target met"
    assert status_text("no_data", "proxy") == "○ No data"


def test_indicators_with_a_deadline():
    # Section 7: "within 10 years" (1); "increases by at least 50%" and "active in 60+
    # countries" are goals to reach, given the same horizon; "annual" identification (4) and
    # "zero prosecution" (5) hold every year.
    assert [k for k, i in INDICATORS.items() if i.deadline] == [
        "conviction_rate", "reporting_increase", "data_sharing_countries"]


@pytest.mark.parametrize(
    ("value", "unit", "kwargs", "text"),
    [
        (0.30, "share", {}, "30.0%"),
        (0.0871, "share", {}, "8.7%"),
        (0.01, "share", {}, "1.0%"),
        # below 1%: "1 in N", N to two significant figures (122,000 / 251 = 486.1)
        (251 / 122_000, "share", {}, "1 in 490"),
        (0.00014, "share", {}, "1 in 7,100"),
        (0.000101, "share", {}, "1 in 9,900"),
        (0.0, "share", {}, "0%"),
        (0.5, "change", {}, "+50%"),
        (-0.2, "change", {}, "-20%"),
        (16.8305, "change", {}, "+1,683%"),
        (-0.001, "change", {}, "+0%"),
        (1240.0, "count", {}, "1,240"),
        (None, "share", {}, "no data"),
        (None, "count", {}, "no data"),
        # ranges as a reader quotes them
        (None, "share", {"lower": 0.1, "upper": 0.4}, "10.0–40.0%"),
        (None, "share", {"lower": 0.000098, "upper": 0.000101}, "1 in 9,900–10,000"),
        (None, "share", {"lower": 0.005, "upper": 0.02}, "0.50–2.0%"),
        (None, "change", {"lower": 0.6210, "upper": 0.6326}, "+62–63%"),
        (None, "change", {"lower": -0.10, "upper": 0.05}, "-10% to +5%"),
        (None, "change", {"lower": -0.0014, "upper": 0.0014}, "+0%"),
        (None, "count", {"lower": 1.0, "upper": 4.0}, "1–4"),
    ],
)
def test_format_value(value, unit, kwargs, text):
    assert format_value(value, unit, **kwargs) == text


# -- words never round across a target --------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "target", "text"),
    [
        # Nigeria 2020, indicator 2: the trend line reaches 444.29 / 896 = +49.59% against the
        # +50% target; '+50%' would read as met. One more decimal tells it apart.
        (444.2857142857143 / 896, "change", 0.5, "+49.6%"),
        # 29.996% against the 30% target: 30.0% and 30.00% both read as the target, 29.996%
        # would need a third decimal: 'just under 30%'
        (0.29996, "share", 0.30, "just under 30%"),
        (0.29990, "share", 0.30, "29.99%"),
        (0.30010, "share", 0.30, "30.01%"),
        # exactly the target reads as the target (0.2 is not more than 20%: not met)
        (0.20, "share", 0.20, "20.0%"),
        (0.50, "change", 0.50, "+50%"),
        # 50.004% against +50%: '+50%' and '+50.0%' read as the target itself
        (0.50004, "change", 0.50, "just over +50%"),
        (0.50004, "share", 0.50, "just over 50%"),
        # the world's sharing count projected to 59.7 countries against 60: not '60'
        (59.7, "count", 60, "59.7"),
        (59.99, "count", 60, "just under 60"),
    ],
)
def test_words_never_round_across_the_target(value, unit, target, text):
    assert format_value(value, unit, target=target) == text


@pytest.mark.parametrize(
    ("value", "unit", "target", "text"),
    [
        (0.087, "share", 0.20, "8.7%"),
        (0.0005, "share", 0.30, "1 in 2,000"),
        (0.0, "count", 0, "0"),
        (-0.2, "change", 0.5, "-20%"),
    ],
)
def test_words_far_from_the_target_are_as_without_one(value, unit, target, text):
    assert format_value(value, unit, target=target) == text


@pytest.mark.parametrize(
    ("lower", "upper", "unit", "target", "text"),
    [
        # '<5' over an estimate of 13.3334: 7.49%–29.9998%; the upper end stays under 30%
        (0.28, 0.29996, "share", 0.30, "28.0% to just under 30%"),
        (0.28, 0.2999, "share", 0.30, "28.0–29.99%"),
        (0.10, 0.40, "share", 0.30, "10.0–40.0%"),  # straddles: each end on its own side
        (0.001, 0.004, "share", 0.30, "1 in 250–1,000"),
        (0.6210, 0.6326, "change", 0.5, "+62–63%"),
        (1.0, 4.0, "count", 0, "1–4"),
    ],
)
def test_range_ends_never_round_across_the_target(lower, upper, unit, target, text):
    assert format_value(None, unit, lower=lower, upper=upper, target=target) == text


def _number_read(text: str) -> float:
    """What a reader takes from the words, in the value's unit: '+49.6%' → 0.496."""
    number = float(re.sub(r"[^0-9.+-]", "", text.split()[-1]))
    return number / 100 if text.endswith("%") else number


@given(st.sampled_from([("share", 0.30), ("share", 0.20), ("change", 0.50), ("count", 60.0)]),
       st.floats(min_value=-0.02, max_value=0.02))
def test_no_value_near_a_target_reads_on_the_other_side(unit_target, offset):
    # the reference: the side a reader takes from the words (a number, or 'just under X'
    # read as under X) is the value's own side of the target
    unit, target = unit_target
    value = target + offset * (100 if unit == "count" else 1)
    text = format_value(value, unit, target=target)
    side = (value > target) - (value < target)
    if text.startswith("just under"):
        assert side < 0
    elif text.startswith("just over"):
        assert side > 0
    else:
        read = _number_read(text)
        assert (read > target) - (read < target) == side, text
