"""Contributor credentials: hashed tokens compared in constant time, and OIDC logins."""

from __future__ import annotations

import hashlib

from indicators import auth

DIGEST = hashlib.sha256(b"s3cret-token").hexdigest()


def test_digest_is_sha256_hex_of_the_token():
    assert auth.token_digest("s3cret-token") == DIGEST
    assert auth.token_digest("  s3cret-token \n") == DIGEST  # pasted with spaces


def test_new_tokens_are_long_and_different():
    first, second = auth.new_token(), auth.new_token()
    assert first != second
    assert len(first) >= 32


def test_tokens_from_secrets_and_environment():
    config = auth.access_config(
        {"contributors": {"Ngo A": DIGEST.upper()}},
        {"Ngo B": hashlib.sha256(b"other").hexdigest()},
    )
    assert config.enabled
    # secrets and environment tokens are an organisation's contributor tokens; the person
    # types their name
    assert auth.check_token("s3cret-token", config) == auth.Contributor("Ngo A", None, "token")
    assert auth.check_token("other", config, "Ana") == auth.Contributor(
        "Ngo B", "Ana", "token", auth.CONTRIBUTOR)
    assert auth.check_token("wrong", config) is None
    assert auth.check_token("", config) is None
    assert auth.check_token(None, config) is None


def test_a_malformed_digest_is_ignored_and_reported():
    config = auth.access_config({"contributors": {"Ngo A": "s3cret-token"}}, {})
    assert not config.enabled
    assert auth.check_token("s3cret-token", config) is None  # a plain token never works
    assert "not a SHA-256 hex digest" in config.problems[0]


def test_nothing_configured_means_disabled():
    config = auth.access_config(None, {})
    assert not config.enabled
    assert auth.check_token("anything", config) is None


def test_login_with_and_without_an_allow_list():
    open_config = auth.access_config({"auth": {"redirect_uri": "x"}}, {})
    assert open_config.enabled and open_config.login_configured
    person = auth.contributor_from_login("Ana@Example.org", "Ana", open_config)
    assert person == auth.Contributor("example.org", "Ana", "login")
    listed = auth.access_config(
        {"auth": {"redirect_uri": "x"}, "contributor_logins": {"ana@example.org": "Ngo A"}}, {})
    assert auth.contributor_from_login("ana@example.org", None, listed) == auth.Contributor(
        "Ngo A", "ana@example.org", "login")
    assert auth.contributor_from_login("bob@example.org", None, listed) is None
    assert auth.contributor_from_login("ana@example.org", None, auth.AccessConfig()) is None


def test_configuration_lines():
    assert auth.secrets_line("NGO_A", DIGEST) == f'NGO_A = "{DIGEST}"'
    assert auth.secrets_line("Example NGO", DIGEST) == f'"Example NGO" = "{DIGEST}"'
    assert auth.env_entry("Example NGO", DIGEST) == f"Example NGO={DIGEST}"
    assert auth.valid_organisation("Example NGO (Kenya)")
    assert not auth.valid_organisation("A,B")
    assert not auth.valid_organisation('A"B')
    assert not auth.valid_organisation("A=B")


# -- roles -------------------------------------------------------------------------------------
REVIEWER_DIGEST = hashlib.sha256(b"reviewer-token").hexdigest()
ADMIN_DIGEST = hashlib.sha256(b"admin-token").hexdigest()
LIMITED_DIGEST = hashlib.sha256(b"limited-token").hexdigest()
ROWS = [  # rows of the access_tokens table, as Store.access_tokens() gives them
    {"digest": REVIEWER_DIGEST, "name": "Rita Reviewer", "role": "reviewer",
     "organisation": None, "countries": None},
    {"digest": ADMIN_DIGEST, "name": "Adam Admin", "role": "administrator",
     "organisation": "Dashboard team", "countries": None},
    {"digest": LIMITED_DIGEST, "name": "Test NGO", "role": "contributor",
     "organisation": "Test NGO", "countries": "GBR,FRA"},
]


def test_database_tokens_carry_their_role_organisation_and_countries():
    config = auth.access_config(None, {}, role_tokens=ROWS)
    assert config.enabled and not config.problems
    rita = auth.check_token("reviewer-token", config, "Someone Else")
    # a reviewer's token names one person: the name typed is not used
    assert rita == auth.Contributor("", "Rita Reviewer", "token", auth.REVIEWER)
    assert auth.may_review(rita) and not auth.may_submit(rita)
    adam = auth.check_token("admin-token", config)
    assert adam == auth.Contributor("Dashboard team", "Adam Admin", "token", auth.ADMINISTRATOR)
    assert auth.may_review(adam) and auth.may_submit(adam)
    ngo = auth.check_token("limited-token", config, "Ana")
    assert ngo == auth.Contributor("Test NGO", "Ana", "token", auth.CONTRIBUTOR, ("GBR", "FRA"))
    assert not auth.may_review(ngo) and auth.may_submit(ngo)
    assert ngo.may_submit_for("GBR") and not ngo.may_submit_for("KEN")
    # without a typed name a contributor token is recorded under its own name
    assert auth.check_token("limited-token", config).name == "Test NGO"
    assert auth.token_holder(LIMITED_DIGEST, config) == auth.check_token("limited-token", config)
    assert auth.check_token("reviewer-token ", config) == rita  # pasted with a space
    assert auth.check_token("wrong", config) is None


def test_a_database_token_with_an_unknown_role_is_ignored_and_reported():
    config = auth.access_config(None, {}, role_tokens=[
        {"digest": REVIEWER_DIGEST, "name": "Rita", "role": "superuser"}])
    assert not config.enabled
    assert config.problems == ("the database: the token 'Rita' has the unknown role "
                               "'superuser'; it is ignored. Make it again with `indicators "
                               "token new`.",)


def test_who_may_review_and_roll_back():
    ngo = auth.Contributor("Test NGO", "Ana", "token")
    other = auth.Contributor("Other NGO", "Bo", "login")
    rita = auth.Contributor("", "Rita", "token", auth.REVIEWER)
    adam = auth.Contributor("", "Adam", "login", auth.ADMINISTRATOR)
    assert [auth.may_review(p) for p in (None, ngo, other, rita, adam)] == [
        False, False, False, True, True]
    assert [auth.may_roll_back(p, "Test NGO") for p in (None, ngo, other, rita, adam)] == [
        False, True, False, False, True]
    assert not auth.may_roll_back(rita, "")  # no organisation is not every organisation


def test_login_roles_from_secrets():
    secrets = {
        "auth": {"redirect_uri": "x"},
        "contributor_logins": {"Ana@ngo.example": "Test NGO", "rita@un.example": "UNODC"},
        "contributor_countries": {"ana@ngo.example": ["gbr", "FRA"]},
        "reviewer_logins": {"rita@un.example": "Rita Reviewer", "ben@un.example": "Ben"},
        "administrator_logins": {"adam@team.example": "Adam"},
    }
    config = auth.access_config(secrets, {})
    assert not config.problems
    login = auth.contributor_from_login
    assert login("ana@ngo.example", "Ana S.", config) == auth.Contributor(
        "Test NGO", "Ana S.", "login", auth.CONTRIBUTOR, ("GBR", "FRA"))
    # listed as a contributor and as a reviewer: a reviewer who may also submit for UNODC
    assert login("Rita@UN.example", "R.", config) == auth.Contributor(
        "UNODC", "Rita Reviewer", "login", auth.REVIEWER)
    # a reviewer need not be a contributor; they submit for no organisation
    assert login("ben@un.example", None, config) == auth.Contributor(
        "", "Ben", "login", auth.REVIEWER)
    assert login("adam@team.example", None, config).role == auth.ADMINISTRATOR
    assert login("eve@elsewhere.example", "Eve", config) is None  # on no list


def test_country_lists_as_text_and_mistakes_reported():
    assert auth.parse_countries("gbr, FRA;KEN,GBR") == (("GBR", "FRA", "KEN"), [])
    assert auth.parse_countries(["GB", "FRA", "France"]) == (("FRA",), ["GB", "France"])
    config = auth.access_config({"auth": {}, "contributor_countries": {"a@b.example": "GB"}}, {})
    assert config.problems == (
        ".streamlit/secrets.toml [contributor_countries]: for 'a@b.example', GB is not an "
        "ISO3 code (like GBR); no figure matches it until it is corrected.",)
    # a mistyped list limits the person to nothing, it does not free them of the limit
    person = auth.contributor_from_login("a@b.example", None, config)
    assert person.countries == ("GB",) and not person.may_submit_for("GBR")


def test_who_is_signed_in_in_one_sentence():
    assert auth.describe(auth.Contributor("Test NGO", "Ana", "token")) == (
        "Signed in as Ana, for Test NGO.")
    assert auth.describe(auth.Contributor("Test NGO", None, "token", countries=("GBR",))) == (
        "Signed in as a contributor, for Test NGO (figures for GBR only).")
    assert auth.describe(auth.Contributor("", "Rita", "login", auth.REVIEWER)) == (
        "Signed in as Rita, reviewer.")
    assert auth.describe(auth.Contributor("Team", "Adam", "token", auth.ADMINISTRATOR,
                                          ("GBR", "FRA", "KEN"))) == (
        "Signed in as Adam, administrator, for Team (figures for GBR, FRA and KEN only).")


def test_rows_outside_a_contributors_countries_are_errors_naming_the_row():
    import polars as pl

    figures = pl.DataFrame({"iso3": ["GBR", "KEN", "KEN", "FRA", "GHA"],
                            "_row": [2, 3, 3, 4, 5]})
    ngo = auth.Contributor("Test NGO", "Ana", "token", countries=("GBR", "FRA"))
    problems = auth.country_problems(ngo, figures, "f.csv")
    assert [(p.row, p.column, p.value, p.severity) for p in problems] == [
        (3, "country", "KEN", "error"), (5, "country", "GHA", "error")]
    assert problems[0].message == ("Test NGO may submit figures for GBR and FRA only, not for "
                                   "Kenya (KEN).")
    assert auth.country_problems(auth.Contributor("Test NGO", "Ana", "token"), figures,
                                 "f.csv") == []
    assert auth.country_problems(None, figures, "f.csv") == []
