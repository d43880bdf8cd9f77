"""Contributor sign-in shared by the Upload and History pages (not a page itself).

The decisions live in indicators.auth; this module only reads st.secrets / st.user and keeps
the signed-in contributor in the session.
"""

from __future__ import annotations

import streamlit as st

from indicators import auth
from indicators.settings import contributor_tokens_from_env
from indicators.store import StoreError
from pages.shared import open_store

SESSION_KEY = "contributor"


def config() -> auth.AccessConfig:
    """Tokens from secrets.toml, the environment and the database (`indicators token new`)."""
    secrets: dict = {}
    try:
        if st.secrets.load_if_toml_exists():
            secrets = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - a broken secrets file must not stop browsing
        secrets = {}
    try:
        stored = open_store().token_digests()
    except StoreError:
        stored = {}
    return auth.access_config(secrets, contributor_tokens_from_env(), stored)


def current(settings: auth.AccessConfig) -> auth.Contributor | None:
    """The signed-in contributor of this browser session, if any."""
    signed_in = st.session_state.get(SESSION_KEY)
    if isinstance(signed_in, auth.Contributor):
        if signed_in.method == "token" and signed_in.organisation in settings.tokens:
            return signed_in
        if signed_in.method == "login" and settings.login_configured:
            return signed_in
    if settings.login_configured:
        try:
            logged_in = bool(st.user.is_logged_in)
        except Exception:  # noqa: BLE001 - misconfigured [auth]: treat as not signed in
            logged_in = False
        if logged_in:
            email = st.user.get("email")
            name = st.user.get("name")
            found = auth.contributor_from_login(
                str(email) if email else None, str(name) if name else None, settings)
            if found is not None:
                st.session_state[SESSION_KEY] = found
            return found
    return None


def show_disabled(settings: auth.AccessConfig) -> None:
    st.warning("Uploads are switched off on this server: no contributor tokens and no login "
               "are configured. Browsing the dashboard is not affected.")
    st.markdown("**To switch uploads on**, whoever runs the server:")
    st.text("\n".join(auth.ENABLE_STEPS))
    # No syntax colours: Streamlit's colour for a quoted string is below 4.5:1 on its code
    # background (docs/accessibility.md).
    st.code('indicators token new "Example NGO"', language=None)
    for problem in settings.problems:
        st.error(problem)


def sign_in_form(settings: auth.AccessConfig, key: str) -> auth.Contributor | None:
    """Token form (and the login button when OIDC is configured). Returns the contributor."""
    found = current(settings)
    if found is not None:
        return found
    if settings.tokens:
        with st.form(f"sign_in_{key}", border=True):
            st.markdown("**Sign in with your organisation's contributor token**")
            token = st.text_input("Contributor token", type="password",
                                  help="Your organisation received it from whoever runs this "
                                  "dashboard.")
            name = st.text_input("Your name (recorded with what you send or roll back)",
                                 max_chars=120)
            submitted = st.form_submit_button("Sign in")
        if submitted:
            organisation = auth.check_token(token, settings)
            if organisation is None:
                st.error("This token is not valid. Check it, or ask whoever runs the dashboard "
                         "for a new one.")
            else:
                contributor = auth.Contributor(organisation, name.strip() or None, "token")
                st.session_state[SESSION_KEY] = contributor
                st.rerun()
    if settings.login_configured:
        try:
            logged_in = bool(st.user.is_logged_in)
        except Exception:  # noqa: BLE001
            logged_in = False
        if logged_in:
            st.error("You are signed in, but this account is not on the list of contributors.")
        else:
            st.button("Sign in with your account", on_click=st.login, key=f"login_{key}")
    return None


def sign_out(settings: auth.AccessConfig, contributor: auth.Contributor, key: str) -> None:
    left, right = st.columns([4, 1])
    who = contributor.name or "a contributor"
    left.text(f"Signed in as {who}, for {contributor.organisation}.")
    if right.button("Sign out", key=f"sign_out_{key}"):
        st.session_state.pop(SESSION_KEY, None)
        if contributor.method == "login" and settings.login_configured:
            st.logout()
        st.rerun()
