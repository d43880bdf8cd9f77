"""Sign-in shared by the Upload and History pages (not a page itself): who is signed in, with
their role (contributor, reviewer or administrator).

The decisions live in indicators.auth; this module only reads st.secrets / st.user and keeps
the signed-in contributor in the session.
"""

from __future__ import annotations

import streamlit as st

from indicators import auth, i18n
from indicators.settings import contributor_tokens_from_env
from indicators.store import StoreError
from pages.shared import language, open_store, tr

SESSION_KEY = "contributor"  # the digest of the token signed in with, and the name typed


def config() -> auth.AccessConfig:
    """Tokens from secrets.toml, the environment and the database (`indicators token new`),
    and the login settings with their roles."""
    secrets: dict = {}
    try:
        if st.secrets.load_if_toml_exists():
            secrets = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - a broken secrets file must not stop browsing
        secrets = {}
    try:
        stored = open_store().access_tokens()
    except StoreError:
        stored = []
    return auth.access_config(secrets, contributor_tokens_from_env(), role_tokens=stored)


def _logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - misconfigured [auth]: treat as not signed in
        return False


def current(settings: auth.AccessConfig) -> auth.Contributor | None:
    """Who is signed in in this browser session, with their role (`auth.may_submit`,
    `auth.may_review`, `auth.may_roll_back` say what they may do), or None. Worked out afresh
    on every run, so a withdrawn token or a changed list takes effect at once."""
    kept = st.session_state.get(SESSION_KEY)
    if isinstance(kept, tuple) and len(kept) == 2:
        digest, name = kept
        holder = auth.token_holder(str(digest), settings, name)
        if holder is not None:
            return holder
        st.session_state.pop(SESSION_KEY, None)
    if settings.login_configured and _logged_in():
        email = st.user.get("email")
        name = st.user.get("name")
        return auth.contributor_from_login(
            str(email) if email else None, str(name) if name else None, settings)
    return None


def signed_in() -> auth.Contributor | None:
    """`current` with this server's settings: for pages that only need to know who it is."""
    return current(config())


def enable_steps(lang: str) -> tuple[str, ...]:
    """``auth.ENABLE_STEPS`` in ``lang``: the commands and file names as they are typed."""
    if lang == i18n.ENGLISH:
        return auth.ENABLE_STEPS
    _ = i18n.translator(lang)
    return (
        _("1. On the server, create a token for each organisation:  {command}").format(
            command='indicators token new "ORG NAME"'),
        _("2. The command prints the token once: give it to the organisation privately."),
        _("3. That is all: its digest is stored in the database, and every dashboard on the "
          "database accepts it at once (the line it also prints can go under [contributors] in "
          "{secrets} or into {variable} instead).").format(
            secrets=".streamlit/secrets.toml", variable=auth.ENV_VARIABLE),
        _("4. Uploads are published when a reviewer approves them: make a reviewer's token "
          "with  {command}").format(command='indicators token new "REVIEWER NAME" --role reviewer'),
        _("Or configure Streamlit's login ({section} in {secrets}) to let people sign in.").format(
            section="[auth]", secrets=".streamlit/secrets.toml"),
    )


def show_disabled(settings: auth.AccessConfig) -> None:
    _ = tr()
    st.warning(_("Uploads are switched off on this server: no contributor tokens and no login "
                 "are configured. Browsing the dashboard is not affected."))
    st.markdown(_("**To switch uploads on**, whoever runs the server:"))
    st.text("\n".join(enable_steps(language())))
    # No syntax colours: Streamlit's colour for a quoted string is below 4.5:1 on its code
    # background (docs/accessibility.md).
    st.code('indicators token new "Example NGO"', language=None)
    for problem in settings.problems:
        st.error(problem)


def sign_in_form(settings: auth.AccessConfig, key: str) -> auth.Contributor | None:
    """Token form (and the login button when OIDC is configured). Returns who is signed in."""
    found = current(settings)
    if found is not None:
        return found
    _ = tr()
    if settings.credentials:
        with st.form(f"sign_in_{key}", border=True):
            st.markdown(_("**Sign in with your token**"))
            token = st.text_input(_("Contributor token"), type="password",
                                  help=_("Contributors, reviewers and administrators receive "
                                         "theirs from whoever runs this dashboard."))
            name = st.text_input(_("Your name (recorded with what you send or roll back)"),
                                 max_chars=120)
            submitted = st.form_submit_button(_("Sign in"))
        if submitted:
            holder = auth.check_token(token, settings, name)
            if holder is None:
                st.error(_("This token is not valid. Check it, or ask whoever runs the "
                           "dashboard for a new one."))
            else:
                st.session_state[SESSION_KEY] = (auth.token_digest(token), name.strip() or None)
                st.rerun()
    if settings.login_configured:
        if _logged_in():
            st.error(_("You are signed in, but this account is not on the list of "
                       "contributors."))
        else:
            st.button(_("Sign in with your account"), on_click=st.login, key=f"login_{key}")
    return None


def sign_out(settings: auth.AccessConfig, contributor: auth.Contributor, key: str) -> None:
    left, right = st.columns([4, 1])
    left.text(auth.describe(contributor, language()))
    _ = tr()
    if right.button(_("Sign out"), key=f"sign_out_{key}"):
        st.session_state.pop(SESSION_KEY, None)
        if contributor.method == "login" and settings.login_configured:
            st.logout()
        st.rerun()
