"""The paper's context figures beside ours: our world conviction rate, and the ratios
computed from the published figures that each of the paper's figures may mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.compute import WORLD
from indicators.i18n import localise_value, number, translator
from indicators.value_text import format_value
from indicators.views.cards import value_hover


@dataclass(frozen=True)
class PaperComparison:
    """One of the paper's context figures, how its measure differs from ours, and the nearest
    ratios computed from the published figures (world, one year), labelled as such."""

    figure: str
    label: str
    quote: str
    where: str
    differs: str
    ours: tuple[str, ...]  # "Persons convicted per person prosecuted, world, 2020: 24–25% …"


def paper_comparisons(frame: pl.DataFrame, observations: pl.DataFrame, year: int,
                      lang: str | None = None) -> tuple[str, tuple[PaperComparison, ...]]:
    """The sentence giving our own world conviction rate in ``year`` (indicator 1) and why it
    is smaller, and each of the paper's context figures with its comparison (in ``lang``; the
    paper's quotations stay in English, ``paper.quoted`` sets their translation beside them)."""
    from indicators import paper
    from indicators.compute import context_ratios

    _ = translator(lang)
    ratios = {r["key"]: r for r in context_ratios(observations, year).iter_rows(named=True)}
    world = frame.filter((pl.col("indicator") == "conviction_rate") & (pl.col("scope") == WORLD)
                         & (pl.col("year") == year))
    ours = _(paper.OUR_CONVICTION_RATE)
    if world.height and world["lower"][0] is not None:
        row = world.row(0, named=True)
        value = format_value(row["value"], "share", lower=row["lower"], upper=row["upper"])
        ours += " " + _("The world's, {year}: {value} ({exact}), over {count} countries.").format(
            year=year, value=localise_value(value, lang),
            exact=localise_value(value_hover(row, "share"), lang),
            count=number(row["countries_counted"], lang))
    items = []
    for item in paper.CONTEXT_FIGURES:
        lines = []
        for key in item.compare_with:
            r = ratios.get(key)
            if r is None or r["lower"] is None:
                lines.append(_("{ratio}, world, {year}: no data.").format(
                    ratio=_(paper.OUR_RATIOS[key]), year=year))
                continue
            text = format_value(r["value"], "share", lower=r["lower"], upper=r["upper"])
            sentence = (_("{ratio}, world, {year}: {value} (UNODC figures, a ratio of sums over "
                          "the {count} countries with both; {suppressed} reported '<5', so it "
                          "is a range).") if r["suppressed"] else
                        _("{ratio}, world, {year}: {value} (UNODC figures, a ratio of sums over "
                          "the {count} countries with both)."))
            lines.append(sentence.format(ratio=_(paper.OUR_RATIOS[key]), year=year,
                                         value=localise_value(text, lang),
                                         count=number(r["countries"], lang),
                                         suppressed=r["suppressed"]))
        items.append(PaperComparison(_(item.figure), _(item.label), item.quote, _(item.where),
                                     _(item.differs), tuple(lines)))
    return ours, tuple(items)
