"""Data and methodology: what each indicator means (the paper's five and SDG 16.2.2), the
breakdowns, where the figures come from, releases and revisions, what they cover, their
caveats, and the paper's own context figures and recommendations."""

import polars as pl
import streamlit as st

from indicators import (
    figure_export,
    i18n,
    page_state,
    paper,
    per_population,
    victims,
    views,
)
from indicators.i18n import N_
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
from pages import coverage_figures
from pages.shared import (
    chart,
    countries,
    data_table,
    default_year,
    indicators,
    observations,
    page_query,
    page_start,
    plain,
    show_notices,
    sources,
    write_query,
)

METHODOLOGY_DOC = PROJECT_ROOT / "docs" / "methodology.md"

# Texts of indicators.measures this page shows, marked here for the catalogs (translated where
# shown, with _(); measures.py does not mark them): STATUS_RULE, SDG_PUBLISHED_WORDS and
# SDG_COMPUTED_WORDS. Should one change there, it shows in English until marked again.
N_("Met / not met: the year's own value against the target (indicators 4 and 5, and a "
   "country's own sharing flag, hold every year; their trend is told apart). On / off track: "
   "only for targets with a deadline (indicator 1; 2 and 3 for the world), by the trend line. "
   "On a proxy, never plain 'met'.")
N_("UNODC's published value (SDG 16.2.2 as its custodian publishes it)")
N_("computed from detected victims and World Bank population")

_, lang = page_start(N_("Data and methodology"))
st.markdown(_(
    "The indicators are the five measurable indicators of success in {citation}, and, "
    "set apart, SDG indicator 16.2.2. This page says how each is computed from published "
    "figures, where those figures come from, what they cover and where they fall short."
).format(citation=PAPER_CITATION))

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

st.header(_("The five indicators"))
for key in PAPER_INDICATORS:
    meta = INDICATORS[key]
    with st.container(border=True):
        st.markdown(f"**{meta.number}. {_(meta.title)}**")
        st.markdown(f"> {paper.quoted(meta.paper_wording, lang)}")
        st.markdown(
            _("- **What we compute:** {short}: {formula}").format(
                short=_(meta.short), formula=views.formula_words(key, lang)) + "\n"
            + _("- **Formula:** `{formula}`").format(formula=views.formula_code(key, lang)) + "\n"
            + (_("- **Target:** {target} (a deadline: on track or off track until then)")
               if meta.deadline else
               _("- **Target:** {target} (every year: met or not met, the trend told apart)")
               ).format(target=_(meta.target_text)) + "\n"
            + (_("- **Proxy (can be switched off):** {rule}").format(
                rule=views.unlabelled(_(meta.proxy_rule))) + "\n" if meta.proxy_rule else "")
        )
st.markdown(_("**Status words.** Every value carries one, written with an icon, never told by "
              "colour alone, with one meaning on every page, chart, table, download, brief and "
              "the command line:"))
st.markdown("\n".join(f"- {icon} **{_(words)}**" for words, icon in STATUSES.values()))
st.caption(
    _(STATUS_RULE)
    + _(" A status on a proxy says so: {bases}. The trend, beside the status: {trends}.").format(
        bases=", ".join(f"'{_(BASES[key])}'" for key in PROXY_BASES),
        trends=", ".join(_(t) for t in TRENDS.values()))
)
st.caption(_(
    "A published count that rises or falls more than {factor}-fold from one year to the next "
    "(the larger figure at least {minimum}) is marked as a {words}: ringed on charts and said "
    "on cards. The figure is never changed. Regions and the world are ratios of sums over the "
    "countries with both figures that year, never averages of rates."
).format(factor=i18n.localise_value(f"{SERIES_BREAK_FACTOR:g}", lang),
         minimum=SERIES_BREAK_MIN_COUNT, words=_(SERIES_BREAK_WORDS)))
st.header(_(SDG_HEADING))
sdg = INDICATORS[SDG_INDICATOR]
worked = per_population.sdg_worked_example(
    figures, frame, "GBR", 2019, i18n.country_name("GBR", "The United Kingdom", lang), lang=lang)
example = _("- **Example:** {worked}").format(worked=worked) + "\n" if worked else ""
with st.container(border=True):
    st.markdown(f"**{sdg.number}. {_(sdg.title)}**")
    st.markdown(f"> {paper.quoted(sdg.paper_wording, lang)}")
    st.markdown(
        _("- **Which value is shown:** {published}, from its SDG data set, for every "
          "country and year it publishes one. Only where it publishes none, and always for "
          "regions and the world (it publishes no such rows), the rate is {computed}, "
          "and says so on cards, charts, briefs, the API's `basis` field (`published` or "
          "`computed`) and the command line. The two can differ: UNODC divides by its own "
          "population figures (the Republic of Moldova in 2007: 7.74 published, 10.37 "
          "computed).").format(published=_(SDG_PUBLISHED_WORDS),
                               computed=_(SDG_COMPUTED_WORDS)) + "\n"
        + _("- **What we compute (where UNODC publishes none):** {short}: {formula}").format(
            short=_(sdg.short), formula=views.formula_words(SDG_INDICATOR, lang)) + "\n"
        + _("- **Formula:** `{formula}`").format(
            formula=views.formula_code(SDG_INDICATOR, lang)) + "\n"
        + _("- **Population:** the World Bank's total population (SP.POP.TOTL) of the **same "
            "year**; no other year stands in, so a year without a population figure is no "
            "data.") + "\n"
        + _("- **Regions and the world:** the ratio of sums over the countries with both "
            "figures that year (never an average of rates), with its coverage: how many "
            "countries, of how many, and their share of the estimated victims.") + "\n"
        + _("- **Target:** {target}. It is shown with its value, trend and coverage, never "
            "with a status, and it is not one of the paper's five indicators.").format(
            target=_(sdg.target_text)) + "\n"
        + _("- **Splits:** by sex and age and by form of exploitation where the country "
            "publishes them, as counts and per 100,000 people (Country profile, *Who the "
            "victims are*). A '<5' stays a range: 1 to 4 people, so 1 ÷ population to 4 ÷ "
            "population × 100,000.") + "\n"
        + example
    )
st.caption(_("Compare also shows every published count (detected victims, persons prosecuted, "
             "convicted, brought into formal contact, recorded offences) as a count or per "
             "100,000 population, by the same rules; they have no target."))

st.header(_("Breakdowns"))
st.markdown(_(
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
))
st.table(victims.breakdown_summary(figures, lang).drop("Code").rename(
    lambda column: _(column)), hide_index=True)
# the breakdown table's columns (victims.breakdown_summary), marked for the catalogs
N_("Breakdown"), N_("Figures"), N_("Of them '<5'"), N_("Countries"), N_("Years")

st.header(_("Releases and revisions"))
st.markdown(_(
    "Each release of a published source is its own source and its own batch. Loading a new "
    "release (`indicators source load unodc_glotip FILE`) compares it, figure by figure, with "
    "what the source published before: figures **new**, **revised** (old → new), "
    "**withdrawn** and **unchanged**, per measure, and the largest revisions. The History "
    "page shows this report for any release batch. Only new and revised figures are "
    "written; an unchanged figure keeps the release that first published it, and every "
    "chart, table and download names the release each figure comes from. A release is "
    "rolled back like any batch; earlier releases stay in the history."
))

# the full methodology in the session's language (docs/methodology.fr.md, .es.md: translations
# that say the English prevails), else in English
doc = next((d for d in (METHODOLOGY_DOC.with_suffix(f".{lang}.md"), METHODOLOGY_DOC)
            if d.exists()), None)
if doc is not None:
    with st.expander(_("The full methodology ({file})").format(
            file=doc.relative_to(PROJECT_ROOT).as_posix())):
        if doc == METHODOLOGY_DOC and lang != i18n.ENGLISH:
            st.caption(_("The full methodology is written in English."))
        st.markdown(doc.read_text(encoding="utf-8"))
else:
    st.caption(_("The full methodology is in docs/methodology.md in the repository."))

st.header(_("Measures"))
st.table(views.measures_table(lang), hide_index=True)

st.header(_("Sources"))
source_table = views.source_coverage(figures, all_sources, lang)
universe = views.universe(countries())
for source in source_table.iter_rows(named=True):
    # Source records can come from uploads: every value is shown as literal text.
    with st.container(border=True):
        st.markdown(f"**{plain(source['Publisher'])}: {plain(source['Title'])}**")
        st.markdown(
            _("- **Release:** {release}").format(release=plain(source['Release'])) + "\n"
            + _("- **Licence:** {licence}").format(licence=plain(source['Licence'])) + "\n"
            + _("- **Coverage:** {years}; {countries}; {figures} figures").format(
                years=plain(source['Years']),
                countries=views.of_universe(source['Countries'], universe, lang),
                figures=i18n.number(source['Figures'], lang)) + "\n"
            + _("- **Measures:** {measures}").format(measures=plain(source['Measures'])) + "\n"
            + _("- **Where:** {link} (retrieved {retrieved})").format(
                link=plain(source['Link'] or '—'), retrieved=plain(source['Retrieved']))
        )
with st.expander(_("The sources as a table")):
    data_table(
        source_table.rename({"Countries": _("Countries and territories (of {universe})").format(
            universe=i18n.number(universe, lang))}).rename(
            lambda column: column if column.startswith(_("Countries")) else _(column)),
        hide_index=True, width="stretch", key="meth_sources",
    )
# the sources table's columns (views.source_coverage), marked for the catalogs
(N_("Publisher"), N_("Title"), N_("Release"), N_("Licence"), N_("Years"), N_("Measures"),
 N_("Link"), N_("Retrieved"), N_("Source"))
st.caption(_("The files are kept as published, with a PROVENANCE note beside each in data/. "
             "Every figure carries its source and the batch that loaded it."))

st.header(_("Coverage"))
summary = coverage_figures.coverage_summary(span, lang)
chart(summary, key="meth_summary", stem="coverage-summary", embed=("coverage-summary", {}))

pick, region_pick = st.columns(2)
measure = pick.selectbox(
    _("Measure"), options=measures_present,
    format_func=lambda m: _(MEASURES[m].label) if m in MEASURES else m, key="meth_measure",
)
kinds = views.scope_kinds(countries())
regions = sorted(kinds, key=lambda r: (kinds[r] != "region", r))  # regions, then subregions
KIND_WORDS = {"region": N_("region"), "subregion": N_("subregion")}


def region_words(scope: str) -> str:
    """'Africa (region)', 'Afrique (région)'."""
    if scope == "All regions":
        return _("All regions")
    kind = _(KIND_WORDS.get(kinds[scope], kinds[scope]))
    return f"{i18n.place_name(scope, scope, lang)} ({kind})"


region = region_pick.selectbox(
    _("Region or subregion"), options=["All regions", *regions], key="meth_region",
    format_func=region_words)
chosen_region = None if region == "All regions" else region
heat = coverage_figures.coverage_countries(measure, span, chosen_region, lang)
chart(heat, key="meth_heat", stem=figure_export.file_stem("coverage", measure, region),
      embed=("coverage-countries", {"measure": measure} | (
          {"region": chosen_region} if chosen_region else {})))

st.header(_("Caveats"))
for title, text in views.caveats(lang):
    st.markdown(f"**{title}.** {text}")

st.header(_("The paper's context"))
st.caption(_(
    "Figures the paper itself states, quoted as context. They are the paper's claims, not "
    "computed from the data on this dashboard; beside each, how its measure differs from ours "
    "and the nearest measure computed from the published figures, labelled as such."
))
context_year = default_year(IndicatorSettings()).year or span[1]
ours, comparisons = views.paper_comparisons(frame, figures, context_year, lang=lang)
st.markdown(_("**Why our conviction rate is so much smaller.** {ours}").format(ours=ours))
columns = st.columns(len(comparisons))
for column, item, quoted in zip(columns, comparisons, paper.CONTEXT_FIGURES, strict=True):
    with column.container(border=True):
        st.metric(_("The paper: {label}").format(label=_(quoted.short_label)), item.figure,
                  help=item.label)
        st.caption(f"{paper.quoted(item.quote, lang, marks=('“', '”'))} ({item.where})")
        st.markdown(_("**How it differs from ours.** {differs}").format(differs=item.differs))
        for line in item.ours:
            st.markdown(f"- {line}")

st.subheader(_(paper.TABLE_4_TITLE))
st.caption(paper.quoted(paper.TABLE_4_INTRO, lang))
st.table(pl.DataFrame(paper.table_4_rows(lang)), hide_index=True)
st.caption(_("From {citation}, section 7.").format(citation=PAPER_CITATION))

write_query("methodology", page_state.methodology_query(page_state.MethodologyState(measure)))
