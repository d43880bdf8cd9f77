"""Who may upload figures and roll batches back.

Browsing needs no login. Uploading and rolling back need a contributor credential, either

* a per-organisation token: the server keeps only the SHA-256 digest of each token, in
  `.streamlit/secrets.toml` (``[contributors]`` then ``Organisation = "digest"``) or in
  ``$INDICATORS_CONTRIBUTOR_TOKENS`` (``Organisation=digest,Other=digest``); a token typed on the
  page is hashed and compared with every digest in constant time; or
* Streamlit's OIDC login (``st.login``), when an ``[auth]`` section is configured in secrets. An
  optional ``[contributor_logins]`` table (``"person@example.org" = "Organisation"``) limits who
  may upload; without it every signed-in person may, under their e-mail domain.

This module does not import Streamlit: the pages pass it what `st.secrets` holds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

TOKEN_BYTES = 24
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_ORGANISATION = re.compile(r"^[\w .&()'’/-]{1,80}$")
SECRETS_FILE = ".streamlit/secrets.toml"
ENV_VARIABLE = "INDICATORS_CONTRIBUTOR_TOKENS"


def token_digest(token: str) -> str:
    """The SHA-256 hex digest of a token: what the server stores instead of the token."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token to hand to one organisation."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_organisation(name: str) -> bool:
    """Organisation names go into TOML and the environment variable: no ',', ';', '=' or '"'."""
    return bool(_ORGANISATION.match(name.strip())) and name.strip() == name


CONTRIBUTOR = "contributor"  # submits figures for one organisation (optionally some countries)
REVIEWER = "reviewer"  # approves or rejects other people's batches, adopts corrections
ADMINISTRATOR = "administrator"  # everything a reviewer does, and rollbacks of any batch
ROLES: tuple[str, ...] = (CONTRIBUTOR, REVIEWER, ADMINISTRATOR)


@dataclass(frozen=True)
class Contributor:
    """A signed-in person: their role, and the organisation their batches are recorded under."""

    organisation: str
    name: str | None
    method: str  # "token" or "login"
    role: str = CONTRIBUTOR
    countries: tuple[str, ...] = ()  # ISO3 codes a contributor may submit for; () = any

    @property
    def can_review(self) -> bool:
        return self.role in (REVIEWER, ADMINISTRATOR)

    def may_submit_for(self, iso3: str) -> bool:
        return not self.countries or iso3 in self.countries


@dataclass(frozen=True)
class AccessConfig:
    tokens: dict[str, str] = field(default_factory=dict)  # organisation → token digest
    login_configured: bool = False
    login_organisations: dict[str, str] = field(default_factory=dict)  # e-mail → organisation
    problems: tuple[str, ...] = ()  # configuration mistakes, for whoever runs the server

    @property
    def enabled(self) -> bool:
        return bool(self.tokens) or self.login_configured


def access_config(secrets_data: Mapping[str, object] | None,
                  env_tokens: Mapping[str, str] | None,
                  stored_tokens: Mapping[str, str] | None = None) -> AccessConfig:
    """Merge the contributor settings from secrets.toml, the environment and the database
    (tokens made with `indicators token new`)."""
    secrets_data = secrets_data or {}
    tokens: dict[str, str] = {}
    problems: list[str] = []
    configured = secrets_data.get("contributors") or {}
    sources = [(SECRETS_FILE + " [contributors]",
                configured if isinstance(configured, Mapping) else {}),
               ("$" + ENV_VARIABLE, env_tokens or {}),
               ("the database", stored_tokens or {})]
    for where, table in sources:
        for organisation, digest in table.items():
            text = str(digest).strip().lower()
            if not _DIGEST.match(text):
                problems.append(
                    f"{where}: the entry for '{organisation}' is not a SHA-256 hex digest "
                    "(64 characters 0-9 and a-f); it is ignored. Run `indicators token new "
                    "ORGANISATION` to make one.")
                continue
            tokens[str(organisation)] = text
    logins = secrets_data.get("contributor_logins") or {}
    login_organisations = (
        {str(email).strip().lower(): str(org) for email, org in logins.items()}
        if isinstance(logins, Mapping) else {}
    )
    return AccessConfig(
        tokens=tokens,
        login_configured=isinstance(secrets_data.get("auth"), Mapping),
        login_organisations=login_organisations,
        problems=tuple(problems),
    )


def check_token(token: str | None, config: AccessConfig) -> str | None:
    """The organisation a token belongs to, or None. Every digest is compared, in constant
    time, so the answer takes as long whichever organisation (if any) matches."""
    if not token or not token.strip():
        return None
    digest = token_digest(token)
    found = None
    for organisation, expected in config.tokens.items():
        if hmac.compare_digest(digest.encode(), expected.encode()):
            found = organisation
    return found


def contributor_from_login(email: str | None, name: str | None,
                           config: AccessConfig) -> Contributor | None:
    """A signed-in person as a contributor, if the configuration lets them upload."""
    if not config.login_configured or not email:
        return None
    email = email.strip().lower()
    if config.login_organisations:
        organisation = config.login_organisations.get(email)
        if organisation is None:
            return None
    else:
        organisation = email.rpartition("@")[2] or email
    return Contributor(organisation=organisation, name=name or email, method="login")


def toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name,
                                                                          ensure_ascii=False)


def secrets_line(organisation: str, digest: str) -> str:
    """The line to paste under [contributors] in .streamlit/secrets.toml."""
    return f'{toml_key(organisation)} = "{digest}"'


def env_entry(organisation: str, digest: str) -> str:
    """The entry for $INDICATORS_CONTRIBUTOR_TOKENS (join several with commas)."""
    return f"{organisation}={digest}"


ENABLE_STEPS = (
    "1. On the server, create a token for each organisation:  indicators token new \"ORG NAME\"",
    "2. The command prints the token once: give it to the organisation privately.",
    "3. That is all: its digest is stored in the database, and every dashboard on the database "
    "accepts it at once (the line it also prints can go under [contributors] in "
    f".streamlit/secrets.toml or into {ENV_VARIABLE} instead).",
    "Or configure Streamlit's login ([auth] in .streamlit/secrets.toml) to let people sign in.",
)
