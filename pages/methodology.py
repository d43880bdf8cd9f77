"""Data and methodology: what each indicator means (the paper's five and SDG 16.2.2), the
breakdowns, where the figures come from, releases and revisions, what they cover, their
caveats, and the paper's own context figures and recommendations."""

import polars as pl
import streamlit as st

from indicators import (
    figure_export,
    page_state,
    paper,
    per_population,
    victims,
    view_charts,
    views,
)
from indicators.measures import (
    BASES,
    INDICATORS,
    MEASURES,
    PAPER_CITATION,
    PAPER_INDICATORS,
    PROXY_BASES,
    SDG_COMPUTED_WORDS,
    SDG_HEADING,
    SDG_INDICATOR,
    SDG_PUBLISHED_WORDS,
    SERIES_BREAK_WORDS,
    STATUS_RULE,
    STATUSES,
    TRENDS,
)
from indicators.settings import (
    PROJECT_ROOT,
    SERIES_BREAK_FACTOR,
    SERIES_BREAK_MIN_COUNT,
    IndicatorSettings,
)
from pages.shared import (
    built,
    chart,
    countries,
    data,
    default_year,
    follow_the_database,
    indicators,
    observations,
    page_query,
    plain,
    show_notices,
    sources,
    write_query,
)

METHODOLOGY_DOC = PROJECT_ROOT / "docs" / "methodology.md"

st.title("Data and methodology")
follow_the_database()
st.markdown(
    f"The indicators are the five measurable indicators of success in {PAPER_CITATION}, and, "
    "set apart, SDG indicator 16.2.2. This page says how each is computed from published "
    "figures, where those figures come from, what they cover and where they fall short."
)

figures = observations()
all_sources = sources()
frame = indicators(IndicatorSettings())
years = sorted(frame["year"].unique().to_list())
span = (years[0], years[-1])
measures_present = [m for m in MEASURES if m in set(figures["measure"].unique().to_list())]

query, apply = page_query("methodology")
state, notices = page_state.parse_methodology(query, measures=measures_present)
if apply:
    st.session_state["meth_measure"] = state.measure if state.measure in measures_present \
        else measures_present[0]
show_notices(notices if apply else [])

st.header("The five indicators")
for key in PAPER_INDICATORS:
    meta = INDICATORS[key]
    with st.container(border=True):
        st.markdown(f"**{meta.number}. {meta.title}**")
        st.markdown(f"> {meta.paper_wording}")
        st.markdown(
            f"- **What we compute:** {meta.short}: {views.formula_words(key)}\n"
            f"- **Formula:** `{meta.formula}`\n"
            f"- **Target:** {meta.target_text}"
            + (" (a deadline: on track or off track until then)\n" if meta.deadline
               else " (every year: met or not met, the trend told apart)\n")
            + (f"- **Proxy (can be switched off):** {views.unlabelled(meta.proxy_rule)}\n"
               if meta.proxy_rule else "")
        )
st.markdown("**Status words.** Every value carries one, written with an icon, never told by "
            "colour alone, with one meaning on every page, chart, table, download, brief and "
            "the command line:")
st.markdown("\n".join(f"- {icon} **{words}**" for words, icon in STATUSES.values()))
st.caption(
    STATUS_RULE + " A status on a proxy says so: "
    + ", ".join(f"'{BASES[key]}'" for key in PROXY_BASES)
    + ". The trend, beside the status: " + ", ".join(TRENDS.values()) + "."
)
st.caption(
    f"A published count that rises or falls more than {SERIES_BREAK_FACTOR:g}-fold from one "
    f"year to the next (the larger figure at least {SERIES_BREAK_MIN_COUNT}) is marked as a "
    f"{SERIES_BREAK_WORDS}: ringed on charts and said on cards. The figure is never changed. "
    "Regions and the world are ratios of sums over the countries with both figures that year, "
    "never averages of rates."
)
st.header(SDG_HEADING)
sdg = INDICATORS[SDG_INDICATOR]
worked = per_population.sdg_worked_example(figures, frame, "GBR", 2019, "The United Kingdom")
example = f"- **Example:** {worked}\n" if worked else ""
with st.container(border=True):
    st.markdown(f"**{sdg.number}. {sdg.title}**")
    st.markdown(f"> {sdg.paper_wording}")
    st.markdown(
        f"- **Which value is shown:** {SDG_PUBLISHED_WORDS}, from its SDG data set, for every "
        "country and year it publishes one. Only where it publishes none, and always for "
        f"regions and the world (it publishes no such rows), the rate is {SDG_COMPUTED_WORDS}, "
        "and says so on cards, charts, briefs, the API's `basis` field (`published` or "
        "`computed`) and the command line. The two can differ: UNODC divides by its own "
        "population figures (the Republic of Moldova in 2007: 7.74 published, 10.37 "
        "computed).\n"
        f"- **What we compute (where UNODC publishes none):** {sdg.short}: "
        f"{views.formula_words(SDG_INDICATOR)}\n"
        f"- **Formula:** `{sdg.formula}`\n"
        "- **Population:** the World Bank's total population (SP.POP.TOTL) of the **same "
        "year**; no other year stands in, so a year without a population figure is no data.\n"
        "- **Regions and the world:** the ratio of sums over the countries with both figures "
        "that year (never an average of rates), with its coverage: how many countries, of "
        "how many, and their share of the estimated victims.\n"
        f"- **Target:** {sdg.target_text}. It is shown with its value, trend and coverage, "
        "never with a status, and it is not one of the paper's five indicators.\n"
        "- **Splits:** by sex and age and by form of exploitation where the country publishes "
        "them, as counts and per 100,000 people (Country profile, *Who the victims are*). A "
        "'<5' stays a range: 1 to 4 people, so 1 ÷ population to 4 ÷ population × 100,000.\n"
        + example
    )
st.caption("Compare also shows every published count (detected victims, persons prosecuted, "
           "convicted, brought into formal contact, recorded offences) as a count or per "
           "100,000 population, by the same rules; they have no target.")

st.header("Breakdowns")
st.markdown(
    "UNODC publishes each count broken down by sex, age, form of exploitation, citizenship "
    "or country of repatriation. Each breakdown is **its own figure**, stored under its own "
    "name (for example `victims_detected|sex=female|age=0-17`): it is **never added into a "
    "national total**, nor into another breakdown, and the indicators read national totals "
    "only. Parts of a breakdown may add up to more than their total: UNODC's own figures do "
    "(a '<5' that stands for 0, forms of exploitation that overlap, breakdowns from another "
    "count); see docs/methodology.md.\n\n"
    "- **Sex:** female, male, other, unknown. **Age:** 0–17, 18 or over, unknown.\n"
    "- **Forms of exploitation:** sexual exploitation, forced labour, other forms.\n"
    "- **Citizenship** (and country of repatriation): a country (its ISO3 code), **own "
    "nationals** (the reporting country's citizens, also when it names itself), unknown, "
    "stateless, or another group (regions such as 'Africa others', former states, labels "
    "that name no single country). No country is guessed from an unclear label.\n"
    "- **'<5'** in a breakdown is a range from 1 to 4, as everywhere."
)
st.table(victims.breakdown_summary(figures).drop("Code"), hide_index=True)

st.header("Releases and revisions")
st.markdown(
    "Each release of a published source is its own source and its own batch. Loading a new "
    "release (`indicators source load unodc_glotip FILE`) compares it, figure by figure, with "
    "what the source published before: figures **new**, **revised** (old → new), "
    "**withdrawn** and **unchanged**, per measure, and the largest revisions. The History "
    "page shows this report for any release batch. Only new and revised figures are "
    "written; an unchanged figure keeps the release that first published it, and every "
    "chart, table and download names the release each figure comes from. A release is "
    "rolled back like any batch; earlier releases stay in the history."
)

if METHODOLOGY_DOC.exists():
    with st.expander("The full methodology (docs/methodology.md)"):
        st.markdown(METHODOLOGY_DOC.read_text(encoding="utf-8"))
else:
    st.caption("The full methodology is in docs/methodology.md in the repository.")

st.header("Measures")
st.table(views.measures_table(), hide_index=True)

st.header("Sources")
source_table = views.source_coverage(figures, all_sources)
universe = views.universe(countries())
for source in source_table.iter_rows(named=True):
    # Source records can come from uploads: every value is shown as literal text.
    with st.container(border=True):
        st.markdown(f"**{plain(source['Publisher'])}: {plain(source['Title'])}**")
        st.markdown(
            f"- **Release:** {plain(source['Release'])}\n"
            f"- **Licence:** {plain(source['Licence'])}\n"
            f"- **Coverage:** {plain(source['Years'])}; "
            f"{views.of_universe(source['Countries'], universe)}; "
            f"{source['Figures']:,} figures\n"
            f"- **Measures:** {plain(source['Measures'])}\n"
            f"- **Where:** {plain(source['Link'] or '—')} (retrieved "
            f"{plain(source['Retrieved'])})"
        )
with st.expander("The sources as a table"):
    st.dataframe(
        source_table.rename({"Countries": f"Countries and territories (of {universe})"}),
        hide_index=True, width="stretch", key="meth_sources",
    )
st.caption("The files are kept as published, with a PROVENANCE note beside each in data/. "
           "Every figure carries its source and the batch that loaded it.")

st.header("Coverage")
summary = view_charts.coverage_summary(data(), figures, span)
chart(built(summary.fig, summary.data), key="meth_summary", stem="coverage-summary",
      alt=summary.alt, embed=("coverage-summary", {}))

pick, region_pick = st.columns(2)
measure = pick.selectbox(
    "Measure", options=measures_present,
    format_func=lambda m: MEASURES[m].label if m in MEASURES else m, key="meth_measure",
)
kinds = views.scope_kinds(countries())
regions = sorted(kinds, key=lambda r: (kinds[r] != "region", r))  # regions, then subregions
region = region_pick.selectbox(
    "Region or subregion", options=["All regions", *regions], key="meth_region",
    format_func=lambda r: r if r == "All regions" else f"{r} ({kinds[r]})")
chosen_region = None if region == "All regions" else region
heat = view_charts.coverage_countries(data(), figures, measure, span, region=chosen_region)
chart(built(heat.fig, heat.data), key="meth_heat",
      stem=figure_export.file_stem("coverage", measure, region), alt=heat.alt,
      embed=("coverage-countries", {"measure": measure, **(
          {"region": chosen_region} if chosen_region else {})}))

st.header("Caveats")
for title, text in views.CAVEATS:
    st.markdown(f"**{title}.** {text}")

st.header("The paper's context")
st.caption(
    "Figures the paper itself states, quoted as context. They are the paper's claims, not "
    "computed from the data on this dashboard; beside each, how its measure differs from ours "
    "and the nearest measure computed from the published figures, labelled as such."
)
context_year = default_year(IndicatorSettings()).year or span[1]
ours, comparisons = views.paper_comparisons(frame, figures, context_year)
st.markdown(f"**Why our conviction rate is so much smaller.** {ours}")
columns = st.columns(len(comparisons))
for column, item, quoted in zip(columns, comparisons, paper.CONTEXT_FIGURES, strict=True):
    with column.container(border=True):
        st.metric(f"The paper: {quoted.short_label}", item.figure, help=item.label)
        st.caption(f"“{item.quote}” ({item.where})")
        st.markdown(f"**How it differs from ours.** {item.differs}")
        for line in item.ours:
            st.markdown(f"- {line}")

st.subheader(paper.TABLE_4_TITLE)
st.caption(paper.TABLE_4_INTRO)
st.table(pl.DataFrame(paper.table_4_rows()), hide_index=True)
st.caption(f"From {PAPER_CITATION}, section 7.")

write_query("methodology", page_state.methodology_query(page_state.MethodologyState(measure)))
