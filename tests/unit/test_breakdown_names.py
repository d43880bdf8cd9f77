"""One name per breakdown figure: `base|dimension=category|…`, parsed back and read out."""

from __future__ import annotations

import pytest

from indicators.measures import (
    CONTEXT_MEASURES,
    INDICATOR_INPUTS,
    MEASURES,
    MeasureNameError,
    base_measure,
    breakdown_measure,
    group_label,
    is_breakdown,
    is_known_measure,
    measure_group,
    measure_label,
    measures_summary,
    parse_measure,
)


@pytest.mark.parametrize(
    ("name", "base", "categories", "label"),
    [
        ("victims_detected", "victims_detected", {}, "Detected trafficking victims"),
        ("victims_detected|sex=female|age=0-17", "victims_detected",
         {"sex": "female", "age": "0-17"}, "Detected trafficking victims: female, 0–17"),
        ("victims_detected|sex=unknown|age=unknown", "victims_detected",
         {"sex": "unknown", "age": "unknown"}, "Detected trafficking victims: sex and age unknown"),
        ("victims_detected|form=sexual_exploitation", "victims_detected",
         {"form": "sexual_exploitation"}, "Detected trafficking victims: sexual exploitation"),
        ("victims_detected|form=forced_labour|sex=male|age=18+", "victims_detected",
         {"form": "forced_labour", "sex": "male", "age": "18+"},
         "Detected trafficking victims: forced labour, male, 18 or over"),
        ("victims_detected|citizenship=NGA", "victims_detected", {"citizenship": "NGA"},
         "Detected trafficking victims: citizens of Nigeria"),
        ("victims_detected|citizenship=nationals", "victims_detected",
         {"citizenship": "nationals"}, "Detected trafficking victims: own nationals"),
        ("victims_detected|citizenship=unknown", "victims_detected", {"citizenship": "unknown"},
         "Detected trafficking victims: citizenship unknown"),
        ("victims_detected|citizenship=other:europe_others", "victims_detected",
         {"citizenship": "other:europe_others"},
         "Detected trafficking victims: other citizenship (europe others)"),
        ("victims_detected|repatriation=DEU", "victims_detected", {"repatriation": "DEU"},
         "Detected trafficking victims: repatriated to Germany"),
        ("persons_convicted|form=forced_labour", "persons_convicted", {"form": "forced_labour"},
         "Persons convicted: forced labour"),
        ("persons_convicted|citizenship=ROU", "persons_convicted", {"citizenship": "ROU"},
         "Persons convicted: citizens of Romania"),
        ("suspects|sex=other", "suspects", {"sex": "other"},
         "Persons brought into formal contact: other sex"),
    ],
)
def test_parse_and_label(name, base, categories, label):
    assert parse_measure(name) == (base, categories)
    assert breakdown_measure(base, **categories) == name
    assert measure_label(name) == label
    assert base_measure(name) == base
    assert is_breakdown(name) is bool(categories)
    assert is_known_measure(name)


def test_dimensions_are_written_in_one_order_whatever_the_call():
    assert breakdown_measure("victims_detected", age="0-17", sex="female", form="forced_labour") \
        == "victims_detected|form=forced_labour|sex=female|age=0-17"


@pytest.mark.parametrize(
    "name",
    [
        "victims_detected|age=0-17|sex=female",  # out of order: a second name for one figure
        "victims_detected|sex=female|sex=male",  # repeated
        "victims_detected|sex=Female",  # categories are codes
        "victims_detected|sex=total",  # a total is the plain name
        "offences_recorded|sex=male",  # UNODC publishes no breakdown of offences
        "persons_prosecuted|form=forced_labour",  # nor of prosecutions by form
        "victims_detected|citizenship=nga",  # ISO3 codes are upper case
        "victims_detected|citizenship=other:Europe",  # other: slugs are lower case
        "victims_detected|colour=red",
        "victims_detected|",
        "victims|sex=female",
    ],
)
def test_malformed_names_are_refused(name):
    assert not is_known_measure(name)
    with pytest.raises(MeasureNameError):
        parse_measure(name)


def test_an_unknown_dimension_is_refused():
    with pytest.raises(MeasureNameError, match="colour is not a breakdown dimension"):
        breakdown_measure("victims_detected", colour="red")


def test_groups_count_breakdowns_by_their_dimensions():
    assert measure_group("victims_detected|sex=female|age=0-17") == "victims_detected|sex|age"
    assert group_label("victims_detected|sex|age") == "Detected trafficking victims by sex and age"
    assert group_label("victims_detected|form|sex|age") == (
        "Detected trafficking victims by form of exploitation, sex and age")
    assert group_label("persons_convicted") == "Persons convicted"


def test_context_figures_and_breakdowns_are_never_indicator_inputs():
    # UNODC's published SDG 16.2.2 rate is kept with them (issue 21)
    assert set(CONTEXT_MEASURES) == {"population", "gsi_population", "victims_per_100k"}
    assert not set(CONTEXT_MEASURES) & set(INDICATOR_INPUTS)
    # SDG 16.2.2's denominator and UNODC's published rate, taken only where the inputs are
    assert set(INDICATOR_INPUTS) == {m for m in MEASURES if MEASURES[m].used_by} - {
        "population", "victims_per_100k"}
    assert not any(is_breakdown(m) for m in INDICATOR_INPUTS)


def test_a_sources_measures_in_a_few_words():
    assert measures_summary(["persons_convicted", "victims_detected|sex=female|age=0-17",
                             "victims_detected", "persons_convicted|form=forced_labour"]) == (
        "Detected trafficking victims, Persons convicted; with breakdowns by form of "
        "exploitation, sex and age")
    assert measures_summary(["population"]) == "Population"
