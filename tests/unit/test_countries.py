"""Country names to ISO3 codes: the common spellings match, ambiguous ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.countries import (
    AMBIGUOUS_NAMES,
    CountryMatch,
    close_names,
    country_name,
    country_table,
    describe_candidates,
    match_country,
    match_published_name,
)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("United Kingdom", "GBR"),
        ("  united kingdom ", "GBR"),
        ("GBR", "GBR"),
        ("gbr", "GBR"),
        ("GB", "GBR"),
        ("Namibia", "NAM"),  # "NA" must not be read as a missing value
        ("NA", "NAM"),
        ("Türkiye", "TUR"),
        ("Kosovo under UNSCR 1244", "XKX"),
        ("Lao PDR", "LAO"),
        ("Cape Verde", "CPV"),
        ("Côte d'Ivoire", "CIV"),
        ("Republic of the Congo", "COG"),
        ("Democratic Republic of the Congo", "COD"),
        ("Republic of Korea", "KOR"),
    ],
)
def test_names_and_codes_match_one_country(text, iso3):
    match = match_country(text)
    assert match.iso3 == iso3
    assert not match.ambiguous


@pytest.mark.parametrize(
    ("text", "candidates"),
    [("Congo", ("COG", "COD")), ("Korea", ("KOR", "PRK")), ("georgia", AMBIGUOUS_NAMES["georgia"])],
)
def test_ambiguous_names_are_refused_with_candidates(text, candidates):
    match = match_country(text)
    assert match.iso3 is None
    assert match.candidates == candidates
    assert match.ambiguous


def test_overrides_and_aliases_settle_a_name():
    assert match_country("Georgia", overrides={"georgia": "GEO"}).iso3 == "GEO"
    assert match_country("Blighty", {"blighty": "GBR"}).iso3 == "GBR"


@pytest.mark.parametrize("text", ["", "   ", None, "Atlantis"])
def test_unknown_names_give_no_code(text):
    match = match_country(text)
    assert match.iso3 is None
    assert not match.ambiguous


def test_country_table_uses_un_m49_regions():
    table = country_table()
    assert sorted(table["region"].unique().to_list()) == [
        "Africa", "Americas", "Asia", "Europe", "Oceania"]
    regions = dict(table.select("iso3", "region").iter_rows())
    assert (regions["GBR"], regions["USA"], regions["NAM"], regions["AUS"]) == (
        "Europe", "Americas", "Africa", "Oceania")
    assert table["iso3"].n_unique() == table.height


def test_names_for_people():
    assert country_name("GBR") == "United Kingdom"
    assert country_name("ZZZ") == "ZZZ"
    assert describe_candidates(("COG", "COD")) == "COG (Congo Republic) or COD (DR Congo)"
    assert describe_candidates(("GBR",)) == "GBR (United Kingdom)"


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("Holland", "NLD"), ("Swaziland", "SWZ"), ("Burma", "MMR"), ("Ivory Coast", "CIV"),
     ("Zaire", "COD"), ("Zaïre", "COD"), ("Czech Republic", "CZE"), ("Turkey", "TUR"),
     ("HOLLAND", "NLD")],
)
def test_old_and_common_names_resolve(text, iso3):
    assert match_country(text) == CountryMatch(text, iso3)


@pytest.mark.parametrize(
    ("text", "close"),
    [("Kenia", ("KEN",)), ("Frnace", ("FRA",)), ("Untied Kingdom", ("GBR",)),
     ("Brasil", ("BRA",)), ("Ghanna", ("GHA",)), ("Hollandd", ("NLD",)),
     # one letter from Poland and from Holland: both, the same first letter first
     ("Polland", ("POL", "NLD")),
     ("Narnia", ()), ("Atlantis", ()), ("Wakanda", ()), ("", ())],
)
def test_did_you_mean_is_offered_only_for_a_close_spelling(text, close):
    assert close_names(text) == close


def test_holland_never_suggests_poland():
    """'Holland' is two letters from 'Poland': not a close spelling (difflib found it close)."""
    assert "POL" not in close_names("Holland")
    assert match_country("Holland").iso3 == "NLD"
    assert match_country("Hollnd").close == ("NLD",)
    assert match_country("Atlantis").close == ()


def test_a_code_that_folds_back_to_itself_is_no_country():
    """UNODC's 14 April 2025 workbook has citizenship categories such as 'Q6.1_2s_2021' (a
    questionnaire code): folding keeps its '_', normalising turns it into a space, so trying
    the folded text again never ended (RecursionError). It is no country, and says so."""
    found = match_country("Q6.1_2s_2021")
    assert (found.iso3, found.candidates) == (None, ())


@pytest.mark.parametrize(("published", "iso3"), [
    # nationalities as UNODC's release of 14 April 2025 writes its citizenship categories
    ("Chinese", "CHN"), ("Ghanean", "GHA"), ("Swedesh", "SWE"), ("Uzbecki", "UZB"),
    ("Kosovar", "XKX"), ("RMI", "MHL"), ("Georgia", "GEO"), ("DR Kongo", "COD"),
    # not sure which country: left unmatched, never guessed
    ("Congo", None), ("Guayanean", None), ("American", None),
])
def test_the_2025_releases_nationalities_are_matched_only_when_sure(published, iso3):
    assert match_published_name(published).iso3 == iso3


@given(st.text(alphabet="abcdefg ", max_size=12), st.text(alphabet="abcdefg ", max_size=12),
       st.integers(min_value=0, max_value=4))
def test_edits_with_a_limit_are_exact_up_to_it(a, b, limit):
    """The edit count close_names asks for with a limit: the same count when it is within the
    limit, over the limit when the full count is (so the same names come out close)."""
    from indicators.countries import _edits

    full = _edits(a, b)
    bounded = _edits(a, b, limit)
    if full <= limit:
        assert bounded == full
    else:
        assert limit < bounded <= full


def test_close_names_are_those_of_the_full_edit_count(monkeypatch):
    """close_names with the limited count gives what it gave with the full one, on names
    near and far from the countries' spellings."""
    from indicators import countries

    texts = ["Kenia", "Frnace", "Untied Kingdom", "Polland", "Hollandd", "Holland", "Narnia",
             "Atlantis", "Other Africa", "Central America and the Caribbean", "Bosnia Herz",
             "Viet nam", "Iran (Islamic Rep. of)", "Cote dIvoire", "Eswatinii", "Chinaa", "Ira"]
    limited = [countries.close_names(t) for t in texts]
    full_edits = countries._edits
    monkeypatch.setattr(countries, "_edits", lambda a, b, limit=None: full_edits(a, b))
    assert [countries.close_names(t) for t in texts] == limited


def test_regex_matches_walk_country_converters_patterns_in_its_order():
    """The name patterns read once give the codes walking country_converter's table gives."""
    from indicators.countries import _converter, _regex_matches

    converter = _converter()
    for text in ("united kingdom", "congo", "korea", "niger", "guinea", "atlantis", "viet nam",
                 "dominica", "sudan"):
        walked = [str(iso3) for iso3, regex in zip(converter.data["ISO3"], converter.regexes,
                                                   strict=True) if regex.search(text)]
        assert _regex_matches(text) == walked, text
