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
    assert auth.check_token("s3cret-token", config) == "Ngo A"
    assert auth.check_token("other", config) == "Ngo B"
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
