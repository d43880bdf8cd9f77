"""Series and review on the pages, in AppTest: an upload is submitted and changes nothing on
Compare; History shows a batch awaiting review only to its organisation and to reviewers; a
reviewer who is not the uploader approves it; Compare with ``series=`` shows both series.

The upload is Test NGO's casework count for the United Kingdom, 2019: 9,000 persons convicted,
against UNODC's 251. The conviction rate divides by Walk Free's 122,000 estimated victims
(2021): 251 / 122,000 = 0.206% ('1 in 490'); 9,000 / 122,000 = 7.38% ('7.4%')."""

from __future__ import annotations

import os

import pytest

from indicators import auth
from indicators.auth import token_digest
from indicators.store import Store
from indicators.upload.pipeline import commit, prepare
from tests.pages.apptest_support import no_exceptions, open_page

NGO_TOKEN = "test-ngo-token-for-the-series-pages"
OTHER_TOKEN = "other-ngo-token-for-the-series-pages"
CASEWORK = (b"country,year,measure,value,source,note\r\n"
            b"United Kingdom,2019,persons_convicted,9000,Test NGO casework 2019,"
            b"their casework\r\n")
NGO = auth.Contributor("Test NGO", "Ana", "token")
OTHER = auth.Contributor("Other NGO", "Bo", "token")
REVIEWER = auth.Contributor("Test NGO", "Rita", "token", role=auth.REVIEWER)
SELF_REVIEWER = auth.Contributor("Test NGO", "Ana", "token", role=auth.REVIEWER)


@pytest.fixture
def db(bundled_db, monkeypatch):
    """The bundled data are batches 1–4 (UNODC 2023, Walk Free, World Bank, UNODC 2025): the
    first upload here is batch 6."""
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS",
                       f"Test NGO={token_digest(NGO_TOKEN)},"
                       f"Other NGO={token_digest(OTHER_TOKEN)}")
    return bundled_db


def _submit(db) -> int:
    with Store(db) as store:
        return commit(prepare(CASEWORK, "casework.csv", store, organisation="Test NGO"), store,
                      kind="upload", contributor="Ana", organisation="Test NGO")


def _table(at, *columns: str):
    """The first table on the page with these columns (AppTest gives tables no keys)."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with the columns {columns}")


def _gbr(table):
    return table[table["ISO3"] == "GBR"]


def _compare_table(at):
    return _table(at, "ISO3", "Estimate year (denominator)")


def _as(page: str, person: auth.Contributor, query: dict[str, str] | None = None):
    """The page opened by a person signed in with a token of their own: contributors with their
    organisation's token, reviewers with a reviewer's token made in the database (what
    access.sign_in_form keeps in the session: the token's digest and the name typed)."""
    if person.role == auth.CONTRIBUTOR:
        token = {"Test NGO": NGO_TOKEN, "Other NGO": OTHER_TOKEN}[person.organisation]
    else:
        token = f"{person.role}-token-of-{person.name}"
        with Store(os.environ["INDICATORS_DB"]) as store:
            store.add_access_token(token_digest(token), name=person.name or "", role=person.role,
                                   organisation=person.organisation)
    return open_page(page, query, session={"contributor": (token_digest(token), person.name)})


def test_upload_page_submits_and_compare_does_not_change(db):
    at = open_page("pages/upload.py")
    at.text_input[0].input(NGO_TOKEN)
    at.text_input[1].input("Ana")
    at.button[0].click().run()
    at.get("file_uploader")[0].set_value(("casework.csv", CASEWORK, "text/csv"))
    at.run()
    no_exceptions(at)
    changes = _table(at, "Your series now").iloc[0].to_dict()
    # Test NGO's own series has no figure yet; UNODC's 251 is shown beside it
    assert (changes["Your series now"], changes["In your file"], changes["Change"],
            changes["Official figure"]) == ("no data", "9,000", "new", "251")
    at.button(key="import_button").click().run()
    no_exceptions(at)
    assert at.success[0].value == (
        "Submitted as batch 6 for review: nothing changes for readers until a reviewer who "
        "is not you approves it.")
    with Store(db) as store:
        assert store.batch(6)["status"] == "submitted"

    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019"})
    no_exceptions(at)
    assert _gbr(_compare_table(at))["Value"].iloc[0] == "1 in 490"  # 251 / 122,000: still UNODC's
    assert at.selectbox(key="cmp_series").options == ["Official figures"]


def test_history_shows_a_submitted_batch_only_to_its_organisation_and_reviewers(db):
    assert _submit(db) == 6
    nobody = open_page("pages/history.py")
    no_exceptions(nobody)
    assert 6 not in list(_table(nobody, "Reviewed by")["Batch"])
    assert nobody.selectbox(key="history_batch").value == 5  # newest it may see: SDG data
    other = _as("pages/history.py", OTHER)
    no_exceptions(other)
    assert 6 not in list(_table(other, "Reviewed by")["Batch"])
    assert "No batch is awaiting review." in [t.value for t in other.text]

    own = _as("pages/history.py", NGO)
    no_exceptions(own)
    history = _table(own, "Reviewed by")
    assert history.iloc[0]["Batch"] == 6 and history.iloc[0]["Status"] == "awaiting review"
    preview = _table(own, "Official figure").iloc[0].to_dict()
    assert (preview["Country"], preview["Year"], preview["Before"], preview["After"],
            preview["Official figure"]) == ("United Kingdom (GBR)", 2019, "no data", "9,000",
                                             "251")
    assert not own.get("button") or all(b.key not in ("approve_button", "reject_button")
                                        for b in own.button)


def test_self_review_is_refused_and_another_reviewer_publishes(db):
    _submit(db)
    at = _as("pages/history.py", SELF_REVIEWER)
    at.button(key="approve_button").click().run()
    assert [e.value for e in at.error] == [
        "You submitted batch 6, so you cannot approve it: another reviewer must."]
    with Store(db) as store:
        assert store.batch(6)["status"] == "submitted"

    at = _as("pages/history.py", REVIEWER)
    at.button(key="reject_button").click().run()  # no reason: refused, nothing changes
    assert "Say why the batch is rejected" in at.error[0].value
    at.button(key="approve_button").click().run()
    no_exceptions(at)
    assert at.success[0].value.startswith("Batch 6 was approved by Rita")
    history = _table(at, "Reviewed by")
    first = history.iloc[0]
    assert (first["Batch"], first["Status"], first["Reviewed by"]) == (6, "published", "Rita")
    at.selectbox(key="history_batch").set_value(6).run()
    trail = _table(at, "What", "Who")
    assert list(trail["What"]) == ["submitted for review", "approved and published"]
    assert list(trail["Who"]) == ["Ana", "Rita"]

    # published beside the official figure: the default stays official, the series is listed
    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019"})
    no_exceptions(at)
    assert _gbr(_compare_table(at))["Value"].iloc[0] == "1 in 490"
    assert at.selectbox(key="cmp_series").options == ["Official figures",
                                                      "Test NGO (contributed)"]


def test_compare_with_a_series_shows_both_for_the_same_country_and_year(db):
    _submit(db)
    with Store(db) as store:
        store.approve_batch(6, reviewer="Rita")
    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019", "countries": "GBR,WORLD",
                                        "series": "Test NGO"})
    no_exceptions(at)
    assert at.selectbox(key="cmp_series").value == "Test NGO"
    assert at.query_params["series"] == "Test NGO"
    assert _gbr(_compare_table(at))["Value"].iloc[0] == "1 in 490"  # the map's table: official
    both = _gbr(_table(at, "Series", "ISO3"))
    assert list(both["Year"]) == [2019, 2019]
    assert list(both["Series"]) == ["official", "contributed by Test NGO"]
    assert list(both["Value"]) == ["1 in 490", "7.4%"]  # 9,000 / 122,000 = 7.38%
    said = "\n".join(t.value for t in at.text)
    assert ("Test NGO reports 9,000 persons convicted for United Kingdom in 2019 (their "
            "casework); official: 251.") in said

    # a link naming no such series falls back to the official figures and says so
    at = open_page("pages/compare.py", {"series": "Nobody"})
    no_exceptions(at)
    assert at.selectbox(key="cmp_series").value == "official"
    assert "the series of 'Nobody'" in " ".join(w.value for w in at.warning)


def test_country_profile_shows_the_series_beside_and_what_a_card_rests_on(db):
    with Store(db) as store:
        data = CASEWORK + b"United Kingdom,2019,victims_reported,500,Test NGO casework 2019,\r\n"
        commit(prepare(data, "casework.csv", store, organisation="Test NGO"), store,
               kind="upload", contributor="Ana", organisation="Test NGO")
        store.approve_batch(6, reviewer="Rita")
    at = open_page("pages/country.py", {"country": "GBR", "year": "2019",
                                        "series": "Test NGO"})
    no_exceptions(at)
    assert at.selectbox(key="cty_series").value == "Test NGO"
    assert at.query_params["series"] == "Test NGO"
    both = _table(at, "Indicator", "Series")
    convictions = both[both["Indicator"].str.endswith("Conviction rate")]
    assert list(convictions["Year"]) == [2019, 2019]
    assert list(convictions["Series"]) == ["official", "contributed by Test NGO"]
    assert list(convictions["Value"]) == ["1 in 490", "7.4%"]
    said = "\n".join(t.value for t in at.text)
    # the victims reported are no official measure: published as Test NGO's, not listed
    assert said.count("Test NGO reports") == 1
    assert ("Test NGO reports 9,000 persons convicted in 2019 (their casework); official: "
            "251.") in said
    # victims reported rest on Test NGO's series (no official series publishes them): the
    # card of indicator 2 says so, whichever series is chosen
    captions = [c.value for c in at.caption]  # data-derived words are escaped for Markdown
    assert ("**Series:** Victims reported\\: contributed by Test NGO \\(GBR 2019\\)\\."
            in captions)


def test_a_preview_outdated_at_submit_shows_the_sentence_and_a_fresh_preview(db, monkeypatch):
    import indicators.upload.pipeline as pipeline
    from indicators.store import PreviewOutdated

    at = _as("pages/upload.py", NGO)
    at.get("file_uploader")[0].set_value(("casework.csv", CASEWORK, "text/csv"))
    at.run()
    assert _table(at, "Your series now").iloc[0]["Your series now"] == "no data"

    def meanwhile(prepared, store, **meta):
        """Between the preview and the click, the same figures of Test NGO were submitted
        by a colleague and approved: the store refuses the commit with a fresh diff."""
        with Store(db) as other:
            commit(prepare(CASEWORK + b"\r\n", "colleague.csv", other,
                           organisation="Test NGO"), other, kind="upload",
                   contributor="Bea", organisation="Test NGO")
            other.approve_batch(6, reviewer="Rita")
            fresh = other.diff(prepared.figures, organisation="Test NGO")
        raise PreviewOutdated(fresh)

    monkeypatch.setattr(pipeline, "commit", meanwhile)
    at.button(key="import_button").click().run()
    no_exceptions(at)
    assert at.warning[0].value.startswith(
        "The figures this preview compared against changed while you were looking at it")
    # the fresh preview: Test NGO's series now holds 9,000, so nothing is left to submit
    row = _table(at, "Your series now").iloc[0]
    assert (row["Your series now"], row["Change"]) == ("9,000", "unchanged (not stored again)")
    assert "There is nothing to submit." in at.info[0].value
    with Store(db) as store:
        assert [b["id"] for b in store.batches().iter_rows(named=True)] == [6, 5, 4, 3, 2, 1]


def test_a_reviewer_adopts_a_correction_and_the_indicator_rests_on_it(db):
    _submit(db)
    with Store(db) as store:
        store.approve_batch(6, reviewer="Rita")
    at = _as("pages/history.py", auth.Contributor("Other NGO", "Sam", "token",
                                                  role=auth.REVIEWER))
    at.selectbox(key="adopt_batch").set_value(6).run()
    assert at.selectbox(key="adopt_figure").value == ("GBR", 2019, "persons_convicted")
    at.text_input(key="adopt_reason").input("court records checked").run()
    at.button(key="adopt_button").click().run()
    no_exceptions(at)
    assert at.success[0].value.startswith("The figure GBR 2019 persons_convicted of batch 6")
    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019", "countries": "GBR"})
    no_exceptions(at)
    gbr = _gbr(_compare_table(at)).iloc[0]
    assert gbr["Value"] == "7.4%"  # 9,000 / 122,000, adopted
    assert ("Persons convicted: contributed by Test NGO, adopted correction by Sam (GBR "
            "2019).") in gbr["Note"]
    lines = at.get("plotly_chart")[0].proto.spec
    assert "Persons convicted: contributed by Test NGO, adopted correction by Sam (GBR 2019)." \
        in lines
