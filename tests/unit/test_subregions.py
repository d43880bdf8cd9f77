"""UN M49 subregions in the published counts' views (per_population.count_views), on a small
hand-made frame: the same sums as compute_indicators' (tests/unit/test_compute.py's
SUBREGION_ROWS). Synthetic figures; the codes AAA… are not real countries."""

from __future__ import annotations

import polars as pl
import pytest

from indicators.compute import WORLD
from indicators.per_population import count_views
from tests.unit.test_compute import SUBREGION_COUNTRIES, SUBREGION_ROWS, fig, obs, one


def test_a_count_and_its_rate_per_100000_are_summed_over_the_subregion():
    rows = [*SUBREGION_ROWS,
            fig("AAA", 2020, "population", 2_000_000), fig("BBB", 2020, "population", 500_000),
            fig("CCC", 2020, "population", 1_000_000)]
    views = count_views(obs(rows), SUBREGION_COUNTRIES,
                        measures=("persons_convicted", "victims_detected"))
    west = one(views, "persons_convicted", "Western Africa", 2020)
    assert (west["value"], west["scope_type"]) == (25.0, "subregion")
    assert (west["countries_counted"], west["countries_in_scope"]) == (2, 2)
    # persons convicted per 100,000: (20 + 5) / (2,000,000 + 500,000) × 100,000 = 1.0
    rate = one(views, "persons_convicted_per_100k", "Western Africa", 2020)
    assert rate["value"] == pytest.approx(1.0)
    # Africa: AAA, BBB, CCC and EEE (no subregion) count; EEE has no population
    assert one(views, "persons_convicted", "Africa", 2020)["value"] == 41.0
    assert one(views, "persons_convicted_per_100k", "Africa", 2020)["value"] == pytest.approx(
        31 / 3_500_000 * 100_000)
    assert one(views, "persons_convicted", WORLD, 2020)["value"] == 50.0
    # a '<5' in the subregion: 300 + 1 … 300 + 4 detected victims
    victims = one(views, "victims_detected", "Western Africa", 2020)
    assert (victims["value"], victims["lower"], victims["upper"]) == (None, 301.0, 304.0)
    order = views.filter((pl.col("indicator") == "persons_convicted")
                         & (pl.col("year") == 2020))["scope"].to_list()
    assert order == [
        "AAA", "BBB", "CCC", "DDD", "EEE", "Africa", "Europe", "Northern Africa",
        "Northern Europe", "Western Africa", WORLD]
