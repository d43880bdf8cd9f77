"""The brief without a browser: what goes in (cards, charts, sentences, sources), and the
typeset PDF with stand-in chart images of the real size (the integration tests export the real
SVGs through kaleido)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess

import polars as pl
import pytest

from indicators import alt_text, brief, views
from indicators.citation import CITATION
from indicators.compute import compute_indicators
from indicators.measures import DENOMINATOR_NOTE, INDICATORS, PAPER_INDICATORS
from indicators.settings import IndicatorSettings
from tests.unit.chart_fixtures import (
    SYNTHETIC_CITATION,
    synthetic_countries,
    synthetic_frame,
    synthetic_observations,
    synthetic_sources,
)

MADE_ON = dt.date(2026, 12, 1)
SETTINGS = IndicatorSettings()


def inputs(**overrides: object) -> dict[str, object]:
    values = {
        "frame": synthetic_frame(), "observations": synthetic_observations(),
        "countries": synthetic_countries(), "sources": synthetic_sources(),
        "settings": SETTINGS, "made_on": MADE_ON,
    }
    values.update(overrides)
    return values


def blank_svgs(made: brief.Brief) -> dict[str, str]:
    """Empty images of each chart's print size: the layout is the same as with the charts."""
    return {c.key: f'<svg xmlns="http://www.w3.org/2000/svg" width="{brief.PRINT_WIDTH}" '
                   f'height="{c.height}"></svg>' for c in made.charts}


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_cards_are_the_pages_cards():
    made = brief.country_brief("aaa", **inputs())
    assert made.scope == "AAA" and made.title == "Aland Test"
    expected = [views.card(synthetic_frame(), key, scope="AAA",
                           baseline_year=SETTINGS.baseline_year) for key in PAPER_INDICATORS]
    assert list(made.cards) == expected
    conviction = made.cards[0]
    # AAA's conviction rate in 2017: 12 convicted / 1,000 estimated = 1.2%.
    assert (conviction.year, conviction.value_text) == (2017, "1.2%")


def test_the_charts_are_the_pages_figures_with_their_sentences():
    made = brief.country_brief("AAA", **inputs())
    keys = [c.key for c in made.charts]
    assert keys == ["conviction_rate-lines", "identification_rate-lines", "published-figures"]
    names = views.scope_names(synthetic_countries())
    lines = views.lines_data(synthetic_frame(), "identification_rate",
                             ["AAA", "Northern Europe", "Europe", "WORLD"], (2015, 2021),
                             names)
    identification = made.charts[1]
    assert identification.data.equals(lines)
    assert identification.alt == alt_text.lines(lines, "identification_rate")
    assert identification.figure.layout.title.text == (
        "<b>Aland Test: Victim identification rate, against Northern Europe, Europe and the "
        "world</b>")
    series = views.measure_series(synthetic_observations(), "AAA", views.raw_count_measures())
    assert made.charts[2].data.equals(series)
    assert made.charts[2].alt == alt_text.published_figures(series, "Aland Test")
    # Print height: the figure's own title and footer bands plus the plot area (a country's
    # line charts a little shorter than the world's: its victim profile takes the room)
    fig = identification.figure
    assert identification.height == fig.layout.margin.t + fig.layout.margin.b + \
        brief.COUNTRY_LINES_PLOT_HEIGHT == fig.layout.margin.t + fig.layout.margin.b + 160


def test_the_header_says_where_when_and_as_of_what():
    made = brief.country_brief("AAA", **inputs(year=2016, link="http://x/country?c=AAA"))
    facts = dict(made.facts)
    assert facts["Where"] == "AAA · Northern Europe · Europe"
    assert facts["Year shown"] == "2016 (chosen)"
    assert facts["Data as of"] == "Test Publisher release of 1 January 2000"
    assert facts["Online"] == "http://x/country?c=AAA"
    assert made.cards[0].value_text == "1.0%"  # 10 / 1,000 in 2016


def test_the_small_print_names_a_year_only_when_the_card_shows_another():
    made = brief.country_brief("AAA", **inputs())
    conviction, identification = made.details[0], made.details[3]
    # 2017 is the pages' default year for the synthetic world, and AAA's figures are for 2017:
    # the header says the year once, no card repeats it.
    assert {c.year for c in made.cards} == {2017}
    assert not any(line.startswith("Year:") for line in conviction)
    assert "Denominator: Walk Free's 2021 estimate (see the note above)." in identification
    assert dict(made.facts)["Year shown"].startswith("2017 is the latest year with figures")
    # a card whose figure is for another year says so
    moved = dataclasses.replace(made.cards[0], year=2015,
                                year_note="No figure for 2017; this is 2015's.")
    assert "Year: No figure for 2017; this is 2015's." in brief.card_details(moved)


def test_no_data_is_said_and_nothing_invented():
    made = brief.country_brief("CCC", **inputs())
    assert {c.value_text for c in made.cards} == {"no data"}
    assert {c.status for c in made.cards} == {"no_data"}
    assert dict(made.facts)["Year shown"] == \
        "none: no year has the figures the indicators need"
    assert made.charts[2].alt == "Cland Test: no published figures."
    population = made.sections[0]  # SDG 16.2.2 right under the five cards
    assert population.heading == brief.POPULATION_HEADING
    assert population.text == (
        "6. Detected victims per 100,000 people (SDG 16.2.2; not one of the paper's five, no "
        "target): no data: UNODC publishes no value and no year has both the detected victims "
        "and the population of the same year for this country.",
        brief.POPULATION_NO_DATA,
    ) and population.charts == ()


@pytest.mark.parametrize(("code", "year", "baseline", "message"), [
    ("XYZ", None, 2015, "No country with the ISO3 code 'XYZ' in the data."),
    ("AAA", 1999, 2015, "No figures for the year 1999: the data run from 2015 to 2021."),
    ("AAA", None, 2030, "No figures for the baseline year 2030: the data run from 2015 to"),
])
def test_bad_requests_are_one_plain_sentence(code, year, baseline, message):
    with pytest.raises(brief.BriefError, match=re.escape(message)):
        brief.country_brief(code, **inputs(
            year=year, settings=IndicatorSettings(baseline_year=baseline)))


def test_every_word_of_data_travels_as_json_never_as_markup():
    # A country name full of Typst markup must come out as the same text.
    tricky = "Aland <5> *bold* #set $x$ [y] \\ @ref"
    countries = synthetic_countries().with_columns(
        pl.when(pl.col("iso3") == "AAA").then(pl.lit(tricky)).otherwise(pl.col("name"))
        .alias("name"))
    made = brief.country_brief("AAA", **inputs(countries=countries))
    document = json.loads(brief.typst_inputs(made, blank_svgs(made))["brief"])
    assert document["title"] == tricky
    text = pdf_text(brief.compile_pdf(made, blank_svgs(made)))
    assert tricky in text


def test_the_pdf_has_every_part_on_at_most_two_pages():
    made = brief.country_brief("AAA", **inputs())
    pdf = brief.compile_pdf(made, blank_svgs(made))
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) <= 2
    text = " ".join(pdf_text(pdf).split())
    for part in ("Aland Test", "Data as of", "The five indicators", "Published figures over",
                 brief.POPULATION_HEADING, "Sources, licences and method", "Test Publisher",
                 "Licence: none", "Page 1 of 2", "In words:", "Northern Europe"):
        assert part in text, part
    for key, meta in INDICATORS.items():
        assert f"{meta.number}. {meta.title}" in text, key
    assert " ".join(DENOMINATOR_NOTE.split()[:8]) in text
    # how to cite, word for word the line every CSV and API answer carries
    assert f"How to cite {CITATION}" in text or f"How to cite: {CITATION}" in text
    # Each chart's sentence is printed under it (pdftotext may break its lines).
    for chart in made.charts:
        assert " ".join(chart.alt.split()[:6]) in text


def test_the_world_brief_has_the_world_against_its_regions():
    made = brief.world_brief(**inputs())
    assert made.title == "World" and made.scope == "WORLD"
    lines = made.charts[0].data
    assert lines["scope"].unique(maintain_order=True).to_list() == ["WORLD", "Africa", "Europe"]
    assert made.charts[2].key == "published-figures"
    assert made.charts[2].alt.startswith("Countries with each figure, 2015–2021:")
    pdf = brief.compile_pdf(made, blank_svgs(made))
    assert page_count(pdf) <= 2
    document = json.loads(brief.typst_inputs(made, blank_svgs(made))["brief"])
    assert [s["citation"] for s in document["sources"]] == [SYNTHETIC_CITATION]


def test_a_missing_chart_image_is_refused():
    made = brief.country_brief("AAA", **inputs())
    with pytest.raises(ValueError, match="No SVG for the chart"):
        brief.typst_inputs(made, {})


def test_the_file_name():
    assert brief.file_name("GBR", MADE_ON) == "brief-gbr-2026-12-01.pdf"
    assert brief.file_name("WORLD", MADE_ON) == "brief-world-2026-12-01.pdf"


def test_sdg_16_2_2_and_the_victim_profile_in_words():
    # SYNTHETIC additions: populations for 2017, a sex × age figure and citizenships for AAA
    extra = pl.DataFrame([
        ("AAA", 2017, "population", 1_000_000.0, "estimate", None, None),
        ("BBB", 2017, "population", 3_000_000.0, "estimate", None, None),
        ("AAA", 2017, "victims_detected|sex=female|age=0-17", 40.0, "reported", None, None),
        ("AAA", 2017, "victims_detected|citizenship=nationals", 90.0, "reported", None, None),
        ("AAA", 2017, "victims_detected|citizenship=BBB", None, "suppressed", 1.0, 4.0),
    ], schema={"iso3": pl.String, "year": pl.Int32, "measure": pl.String,
               "value": pl.Float64, "value_status": pl.String, "lower": pl.Float64,
               "upper": pl.Float64}, orient="row")
    base = synthetic_observations()
    observations = pl.concat([base, extra.with_columns(
        *(pl.lit(base[c][0]).alias(c) for c in ("source_id", "source_citation")),
        pl.lit(None, dtype=pl.String).alias("note"))])
    frame = compute_indicators(observations, synthetic_countries(), SETTINGS)
    made = brief.country_brief("AAA", **inputs(frame=frame, observations=observations))
    section = made.sections[0]
    assert section.heading == brief.POPULATION_HEADING
    # AAA: 150 / 1,000,000 × 100,000 = 15.00, as its subregion and region (it alone in them);
    # the world: (150 + 30) / 4,000,000 = 4.50
    assert section.text == (
        "6. Detected victims per 100,000 people (SDG 16.2.2; not one of the paper's five, no "
        "target): 15.00 in 2017 (computed, UNODC publishing none: 150 detected victims ÷ "
        "1,000,000 people × 100,000); Northern Europe 15.00, Europe 15.00 and the world 4.50 "
        "that year (computed, from the countries with both figures).",
        "Who the victims are (UNODC; each group is its own published figure, never added into "
        "the total; per 100,000 people in brackets): by sex and age in 2017: girls 40 (4.00).",
        "Citizenship of the victims detected in 2017: Own nationals 90; Bland Test <5.",
    )
    world = brief.world_brief(**inputs(frame=frame, observations=observations))
    assert world.sections[-1].text == (
        "6. Detected victims per 100,000 people (SDG 16.2.2; not one of the paper's five, no "
        "target): 4.50 in 2017; coverage: 2 of 3 countries and territories, "
        "100% of estimated victims; computed from detected victims and World Bank population "
        "(UNODC publishes no regional or world value). Only 2 countries: this value speaks for "
        "them, not for the whole.",
        brief.WORLD_PROFILE,
    )
    assert page_count(brief.compile_pdf(made, blank_svgs(made))) <= 2


def test_the_citizenships_in_words_follow_the_brief_year(bundled_db_template):
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        observations, countries = store.observations(), store.countries()
    names = views.scope_names(countries)
    # Nigeria 2020, from UNODC's workbook (release of 14 April 2025, 'by citizenship' rows with
    # Category 'Nigerians' (or 'Nigeria', 'NIGERIANA'), Year 2020): eighteen other countries
    # detected Nigerian victims, United Kingdom 173, Italy 25, Belgium 19, Finland 18, Denmark
    # 17 the largest; 13 more (France 15 and Gambia 9 among them, new in 2025)
    texts = brief._profile_texts(observations, "NGA", names, 2020)
    assert "Citizens of Nigeria detected as victims abroad in 2020: United Kingdom 173; Italy " \
        "25; Belgium 19; Finland 18; Denmark 17; 13 more countries." in texts
    # 2009: Nigeria published no citizenships of its own detected victims before 2010; the
    # sentence says so and names the nearest year, never showing 2010 as if it were 2009
    texts = brief._profile_texts(observations, "NGA", names, 2009)
    citizenship = next(t for t in texts if t.startswith("Citizenship of the victims"))
    assert citizenship.startswith("Citizenship of the victims detected in 2009: no figures; "
                                  "the nearest year with figures is 2010: ")


def test_a_brief_with_much_to_say_prints_its_charts_smaller_to_stay_on_two_pages(
        bundled_db_template, monkeypatch):
    """Thailand (2022, bundled data): its long victim profile and its figures do not fit two
    pages with the charts at full width (a third page held its published figures); at 95% of
    the width they do. The charts are the same SVGs either way."""
    from indicators import report
    from indicators.settings import IndicatorSettings
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    settings = IndicatorSettings()
    made = brief.country_brief(
        "THA", frame=report.indicator_frame_from(snapshot.observations, snapshot.countries,
                                                 settings),
        observations=snapshot.observations, countries=snapshot.countries,
        sources=snapshot.sources, settings=settings)
    svgs = brief.chart_svgs(made)
    monkeypatch.setattr(brief, "CHART_WIDTHS", (100,))
    assert brief.page_count(brief.compile_pdf(made, svgs)) == 3
    monkeypatch.setattr(brief, "CHART_WIDTHS", (100, 95, 90, 85))
    fitted = brief.compile_pdf(made, svgs)
    assert brief.page_count(fitted) == 2 == page_count(fitted)


def _bundled_brief(snapshot_of, iso3: str) -> brief.Brief:
    from indicators import report

    settings = IndicatorSettings()
    return brief.country_brief(
        iso3, frame=report.indicator_frame_from(snapshot_of.observations,
                                                snapshot_of.countries, settings),
        observations=snapshot_of.observations, countries=snapshot_of.countries,
        sources=snapshot_of.sources, settings=settings, made_on=MADE_ON)


def test_a_country_is_set_against_its_subregion_its_region_and_the_world(bundled_db_template):
    """As on the Country profile page (``views.compared_groups``): Nigeria against Western
    Africa, Africa and the world, in the charts, the heading and the SDG 16.2.2 sentence."""
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    made = _bundled_brief(snapshot, "NGA")
    against = next(s for s in made.sections if s.charts and "against" in s.heading)
    assert against.heading == "Nigeria against Western Africa, Africa and the world"
    for chart in against.charts:
        assert chart.data["scope"].unique(maintain_order=True).to_list() == [
            "NGA", "Western Africa", "Africa", "WORLD"]
        assert chart.figure.layout.title.text.endswith(
            ", against Western Africa, Africa and the world</b>")
    # Nigeria 2022: 1.29, UNODC's SDG data set (release of 15 May 2025). Western Africa 2022,
    # the 8 countries with both figures: (Benin 1,451 + Côte d'Ivoire 1,234 + Guinea 44 +
    # Niger 71 + Nigeria 2,883 + Sierra Leone 34 + Mauritania 9 + Senegal 10 =) 5,736 detected
    # victims ÷ 337,476,056 people × 100,000 = 1.70
    sdg = made.sections[0].text[0]
    assert "1.29 in 2022 (UNODC's published value); Western Africa 1.70, Africa " in sdg
    assert sdg.endswith(" and the world 1.61 that year (computed, from the countries with "
                        "both figures).")
    # every card is for 2022: no line about different years
    assert "Years" not in dict(made.facts)
    assert page_count(brief.render(made)) == 2


def test_the_header_says_when_the_cards_show_different_years(bundled_db_template):
    """The pages' line above the cards (``views.mixed_years_text``), in the brief's header:
    Türkiye's profile opens on 2022 (its detected victims), its latest persons convicted are
    2021's (72; none published for 2022), so its conviction rate card is 2021's."""
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    made = _bundled_brief(snapshot, "TUR")
    assert dict(made.facts)["Years"] == (
        "The cards show figures of different years: 1. Conviction rate 2021 (the page's year "
        "is 2022).")
    assert made.cards[0].year == 2021 and {c.year for c in made.cards[1:]} == {2022}
