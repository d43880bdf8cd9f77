"""Every page in French and in Spanish, with nothing left in English (issue 17): each page's
first view, the Country profile with the victims' figures shown, the Upload page with a refused
file and with a preview, and History as a reviewer with a batch awaiting review. What a person
reads is every title, text, label, option, table header and cell and the words of every chart
(``shown_texts``); English words in it, proper names and quotations taken out, are English left.

What may stay English, and why: the titles of publications (UNODC's Global Report on
Trafficking in Persons, Walk Free's Global Slavery Index, the World Bank's World Development
Indicators) are proper names; the paper's title and quoted indicators are quotations, shown with
a translation beside them; file names, column names of the upload format (``country, year,
measure, value, source, note``) and the command a server's administrator types are what the
person must type."""

from __future__ import annotations

import pytest

from indicators import paper
from indicators.auth import REVIEWER, token_digest
from indicators.measures import PAPER_CITATION
from indicators.store import Store
from pages.shared import LANG
from tests.pages.apptest_support import english_left, no_exceptions, open_page

NGO_TOKEN = "test-ngo-token-for-no-english-left"
REVIEWER_TOKEN = "reviewer-token-for-no-english-left"
BAD = (b"country,year,measure,value,source,note\r\n"
       b"Frnace,2019,persons_convicted,12,Test NGO casework 2019,\r\n"
       b"United Kingdom,2019-20,persons_convicted,12.5.1,Test NGO casework 2019,\r\n")
GOOD = (b"country,year,measure,value,source,note\r\n"
        b"United Kingdom,2019,persons_convicted,9000,Test NGO casework 2019,their casework\r\n")

# Proper names and quotations (see the module's docstring): the publications' and data sets'
# titles as their publishers give them, the paper's citation and every wording the dashboard
# quotes (each shown with its translation beside it), and what the person types.
SOURCE_TITLES = (
    "Global Report on Trafficking in Persons: country data",
    "SDG indicator data (UNODC as custodian agency): 16.2.2, victims of human trafficking per "
    "100,000 population",
    "Global Slavery Index 2023: estimated prevalence of modern slavery by country",
    "World Development Indicators: Population, total (SP.POP.TOTL)",
)
ALLOWED = (
    *SOURCE_TITLES, *paper.QUOTED, PAPER_CITATION,
    "Global Report on Trafficking in Persons", "Global Slavery Index",
    "World Development Indicators", "Test NGO casework 2019", "their casework",
    # UNODC's own names of groups of citizenships that are no one country, as published
    # ('nationalité : autres (other asia)')
    "other central america and car", "other asia",
)


@pytest.fixture
def db(db, monkeypatch):
    """The pages' database (tests/pages/conftest.py), where Test NGO may upload."""
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(NGO_TOKEN)}")
    return db


def _open(page: str | None, lang: str, query: dict[str, str] | None = None,
          token: str | None = None):
    session: dict[str, object] = {LANG: lang}
    if token:
        session["contributor"] = (token_digest(token), "Ana")
    at = open_page(page, {"lang": lang, **(query or {})}, session=session)
    no_exceptions(at)
    return at


LANGS = ["fr", "es"]
PAGES = [
    (None, {}),
    ("pages/compare.py", {}),
    ("pages/compare.py", {"indicator": "victims_detected", "countries": "GBR,FRA,NGA"}),
    ("pages/country.py", {"country": "GBR"}),
    ("pages/country.py", {"country": "NGA", "year": "2020"}),
    ("pages/methodology.py", {}),
    ("pages/breaks.py", {"country": "GBR"}),
    ("pages/history.py", {}),
    ("pages/upload.py", {}),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("page", "query"), PAGES)
def test_no_english_left_on_the_first_view(db, lang, page, query):
    at = _open(page, lang, query)
    # the full methodology (docs/methodology.fr.md, .es.md) names the data sets' own series and
    # categories as their files write them, each with a translation beside it: it is checked
    # against the English on its own (tests/unit/test_methodology_translations.py)
    assert [t for t in english_left(at, ALLOWED)
            if not t.startswith(("# Méthodologie", "# Metodología"))] == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_left_in_a_refused_upload_and_a_preview(db, lang):
    at = _open("pages/upload.py", lang, token=NGO_TOKEN)
    at.get("file_uploader")[0].set_value(("bad.csv", BAD, "text/csv"))
    at.run()
    assert at.error, "the refused file is said"
    # the file's own cells and column names, as the person wrote them
    assert english_left(at, ALLOWED + ("bad.csv", "Frnace", "2019-20", "12.5.1", "country",
                                       "year", "value")) == []
    at.get("file_uploader")[0].set_value(("casework.csv", GOOD, "text/csv"))
    at.run()
    no_exceptions(at)
    assert english_left(at, ALLOWED + ("casework.csv",)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_left_for_a_reviewer_with_a_batch_awaiting_review(db, lang):
    at = _open("pages/upload.py", "en", token=NGO_TOKEN)
    at.get("file_uploader")[0].set_value(("casework.csv", GOOD, "text/csv"))
    at.run()
    at.button(key="import_button").click().run()
    no_exceptions(at)
    with Store(db) as store:
        assert store.batch(6)["status"] == "submitted"
        store.add_access_token(token_digest(REVIEWER_TOKEN), name="Rita", role=REVIEWER,
                               organisation=None)
    at = _open("pages/history.py", lang, token=REVIEWER_TOKEN)
    assert english_left(at, ALLOWED + ("casework.csv",)) == []
