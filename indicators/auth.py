"""Who may upload figures, review them and roll batches back.

Browsing needs no login. Everything else needs a credential, which carries a role:

* **contributor**: submits figures for one organisation, optionally only for listed countries;
* **reviewer**: approves or rejects other people's batches and adopts corrections;
* **administrator**: everything a reviewer does, and rolls back any batch.

Credentials are

* tokens: the server keeps only the SHA-256 digest of each token. Tokens with a role are made
  with `indicators token new NAME --role ROLE` and kept in the database (``access_tokens``).
  Organisation tokens, from ``indicators token new`` before roles, from
  `.streamlit/secrets.toml` (``[contributors]`` then ``Organisation = "digest"``) or from
  ``$INDICATORS_CONTRIBUTOR_TOKENS`` (``Organisation=digest,Other=digest``), are contributor
  tokens. A token typed on a page is hashed and compared with every digest in constant time;
* Streamlit's OIDC login (``st.login``), when an ``[auth]`` section is configured in secrets.
  ``[contributor_logins]`` (``"person@example.org" = "Organisation"``) lists who may submit and
  for which organisation (without it every signed-in person may, under their e-mail domain);
  ``[contributor_countries]`` (``"person@example.org" = ["GBR", "FRA"]``) limits a person to
  some countries; ``[reviewer_logins]`` and ``[administrator_logins]``
  (``"person@example.org" = "Their Name"``) give those roles.

This module does not import Streamlit: the pages pass it what `st.secrets` holds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import polars as pl

from indicators.countries import country_name
from indicators.i18n import ENGLISH, N_, parse_language, translator
from indicators.problems import Problem

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
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Contributor:
    """A signed-in person: their role, and the organisation their batches are recorded under."""

    organisation: str  # "" for a reviewer or administrator who submits for no organisation
    name: str | None
    method: str  # "token" or "login"
    role: str = CONTRIBUTOR
    countries: tuple[str, ...] = ()  # ISO3 codes a contributor may submit for; () = any

    @property
    def can_review(self) -> bool:
        return self.role in (REVIEWER, ADMINISTRATOR)

    def may_submit_for(self, iso3: str) -> bool:
        return not self.countries or iso3 in self.countries


def may_submit(person: Contributor | None) -> bool:
    """Whether this person may upload figures: anyone signed in for an organisation."""
    return person is not None and bool(person.organisation)


def may_review(person: Contributor | None) -> bool:
    """Whether this person may approve or reject batches and adopt corrections: reviewers and
    administrators (never their own batch: the store refuses that)."""
    return person is not None and person.can_review


def may_roll_back(person: Contributor | None, batch_organisation: str | None) -> bool:
    """Administrators roll back any batch; anyone else only their own organisation's."""
    if person is None:
        return False
    if person.role == ADMINISTRATOR:
        return True
    return bool(person.organisation) and person.organisation == batch_organisation


REVIEW_REFUSED = ("Only a reviewer or an administrator may approve, reject or adopt figures; "
                  "ask whoever runs the dashboard for a reviewer's sign-in.")


ROLE_WORDS = {CONTRIBUTOR: N_("contributor"), REVIEWER: N_("reviewer"),
              ADMINISTRATOR: N_("administrator")}


def describe(person: Contributor, lang: str | None = None) -> str:
    """'Signed in as Ana, for Test NGO.' with the role and countries when they matter (in
    ``lang``: French or Spanish; English without it)."""
    if (parse_language(lang) or ENGLISH) != ENGLISH:
        return _described(person, translator(lang))
    who = person.name or ("a contributor" if person.role == CONTRIBUTOR else f"a {person.role}")
    parts = [f"Signed in as {who}"]
    if person.role != CONTRIBUTOR:
        parts.append(person.role)
    if person.organisation:
        parts.append(f"for {person.organisation}")
    text = ", ".join(parts)
    if person.countries:
        text += f" (figures for {_and_list(person.countries)} only)"
    return text + "."


def _described(person: Contributor, _) -> str:  # noqa: ANN001 - a translator
    role = _(ROLE_WORDS.get(person.role, person.role))
    who = person.name or (_("a contributor") if person.role == CONTRIBUTOR else role)
    parts = [_("Signed in as {who}").format(who=who)]
    if person.role != CONTRIBUTOR:
        parts.append(role)
    if person.organisation:
        parts.append(_("for {organisation}").format(organisation=person.organisation))
    text = ", ".join(parts)
    if person.countries:
        text += " " + _("(figures for {countries} only)").format(
            countries=", ".join(person.countries))
    return text + "."


def _and_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def parse_countries(value: object) -> tuple[tuple[str, ...], list[str]]:
    """ISO3 codes from "GBR,FRA" or ["GBR", "FRA"]: the codes (upper case, in order, no
    repeats) and the entries that are not three letters."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else (
        list(value) if isinstance(value, (list, tuple)) else [])
    codes: list[str] = []
    bad: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        if not code:
            continue
        if not _ISO3.match(code):
            bad.append(str(item).strip())
        elif code not in codes:
            codes.append(code)
    return tuple(codes), bad


@dataclass(frozen=True)
class Credential:
    """A token's digest and who holds it (``name`` None: the person types their name)."""

    digest: str
    holder: Contributor


@dataclass(frozen=True)
class AccessConfig:
    credentials: tuple[Credential, ...] = ()
    login_configured: bool = False
    login_organisations: dict[str, str] = field(default_factory=dict)  # e-mail → organisation
    login_roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # e-mail → role, name
    login_countries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # e-mail → ISO3s
    problems: tuple[str, ...] = ()  # configuration mistakes, for whoever runs the server

    @property
    def enabled(self) -> bool:
        return bool(self.credentials) or self.login_configured

    @property
    def tokens(self) -> dict[str, str]:
        """Organisation → digest of the contributor tokens (the last one of each)."""
        return {c.holder.organisation: c.digest for c in self.credentials
                if c.holder.role == CONTRIBUTOR}


def _table(secrets_data: Mapping[str, object], key: str) -> Mapping[str, object]:
    table = secrets_data.get(key) or {}
    return table if isinstance(table, Mapping) else {}


def _emails(table: Mapping[str, object]) -> dict[str, str]:
    return {str(email).strip().lower(): str(value).strip() for email, value in table.items()}


def access_config(secrets_data: Mapping[str, object] | None,
                  env_tokens: Mapping[str, str] | None,
                  stored_tokens: Mapping[str, str] | None = None,
                  role_tokens: Iterable[Mapping[str, object]] = ()) -> AccessConfig:
    """Merge the credentials from secrets.toml, the environment and the database: organisation
    tokens (``stored_tokens``, organisation → digest) and tokens with a role (``role_tokens``,
    rows of the ``access_tokens`` table, made with `indicators token new`)."""
    secrets_data = secrets_data or {}
    credentials: list[Credential] = []
    problems: list[str] = []

    def digest_of(where: str, label: str, digest: object) -> str | None:
        text = str(digest).strip().lower()
        if _DIGEST.match(text):
            return text
        problems.append(
            f"{where}: the entry for '{label}' is not a SHA-256 hex digest (64 characters 0-9 "
            "and a-f); it is ignored. Run `indicators token new NAME` to make one.")
        return None

    sources = [(SECRETS_FILE + " [contributors]", _table(secrets_data, "contributors")),
               ("$" + ENV_VARIABLE, env_tokens or {}),
               ("the database", stored_tokens or {})]
    for where, table in sources:
        for organisation, digest in table.items():
            checked = digest_of(where, str(organisation), digest)
            if checked is not None:
                credentials.append(Credential(checked, Contributor(str(organisation), None,
                                                                   "token")))
    for row in role_tokens:
        name = str(row.get("name") or "")
        role = str(row.get("role") or "")
        checked = digest_of("the database", name, row.get("digest"))
        if checked is None:
            continue
        if role not in ROLES:
            problems.append(f"the database: the token '{name}' has the unknown role '{role}'; "
                            "it is ignored. Make it again with `indicators token new`.")
            continue
        countries, bad = parse_countries(row.get("countries") or "")
        countries += tuple(b.upper() for b in bad)  # a mistake limits, never widens
        credentials.append(Credential(checked, Contributor(
            str(row.get("organisation") or ""), name or None, "token", role, countries)))

    login_countries: dict[str, tuple[str, ...]] = {}
    for email, value in _table(secrets_data, "contributor_countries").items():
        countries, bad = parse_countries(value)
        if bad:
            what = "is not an ISO3 code" if len(bad) == 1 else "are not ISO3 codes"
            problems.append(f"{SECRETS_FILE} [contributor_countries]: for '{email}', "
                            f"{', '.join(bad)} {what} (like GBR); no figure matches it until "
                            "it is corrected.")
        # kept: a mistyped code still limits the person (no figure matches it), never frees
        login_countries[str(email).strip().lower()] = countries + tuple(b.upper() for b in bad)
    login_roles = {email: (REVIEWER, name) for email, name in
                   _emails(_table(secrets_data, "reviewer_logins")).items()}
    login_roles.update({email: (ADMINISTRATOR, name) for email, name in
                        _emails(_table(secrets_data, "administrator_logins")).items()})
    return AccessConfig(
        credentials=tuple(credentials),
        login_configured=isinstance(secrets_data.get("auth"), Mapping),
        login_organisations=_emails(_table(secrets_data, "contributor_logins")),
        login_roles=login_roles,
        login_countries=login_countries,
        problems=tuple(problems),
    )


def token_holder(digest: str, config: AccessConfig, name: str | None = None
                 ) -> Contributor | None:
    """Who holds the token with this digest, or None. Every digest is compared, in constant
    time, so the answer takes as long whichever token (if any) matches. ``name`` is the name
    the person typed: recorded for a contributor token (its own name otherwise); a reviewer's
    or administrator's token names one person, whose name is always the token's."""
    found: Credential | None = None
    for credential in config.credentials:
        if hmac.compare_digest(digest.encode(), credential.digest.encode()):
            found = credential
    if found is None:
        return None
    holder = found.holder
    if holder.role == CONTRIBUTOR and name and name.strip():
        return replace(holder, name=name.strip())
    return holder


def check_token(token: str | None, config: AccessConfig, name: str | None = None
                ) -> Contributor | None:
    """The holder of a token typed on a page (see `token_holder`), or None."""
    if not token or not token.strip():
        return None
    return token_holder(token_digest(token), config, name)


def contributor_from_login(email: str | None, name: str | None,
                           config: AccessConfig) -> Contributor | None:
    """A signed-in person with their role, if the configuration lets them in.

    A reviewer or administrator (``[reviewer_logins]``, ``[administrator_logins]``) is let in
    whether or not they also submit; their name is the one listed there. Anyone else must be in
    ``[contributor_logins]`` when it exists (or is taken under their e-mail domain when it does
    not)."""
    if not config.login_configured or not email:
        return None
    email = email.strip().lower()
    role, listed_name = config.login_roles.get(email, (CONTRIBUTOR, ""))
    if config.login_organisations:
        organisation = config.login_organisations.get(email)
        if organisation is None and role == CONTRIBUTOR:
            return None
    else:
        organisation = email.rpartition("@")[2] or email
    return Contributor(organisation=organisation or "", name=listed_name or name or email,
                       method="login", role=role,
                       countries=config.login_countries.get(email, ()))


def country_problems(person: Contributor | None, figures: pl.DataFrame,
                     file_name: str) -> list[Problem]:
    """An error for every row of a file (the shaped figures: iso3, _row) whose country the
    person may not submit figures for."""
    if person is None or not person.countries or figures.is_empty():
        return []
    outside = (figures.filter(~pl.col("iso3").is_in(list(person.countries)))
               .group_by("_row", maintain_order=True).agg(pl.col("iso3").first()))
    allowed = _and_list(person.countries)
    return [Problem(
        f"{person.organisation or 'You'} may submit figures for {allowed} only, not for "
        f"{country_name(iso3)} ({iso3}).",
        "Remove this row, or ask whoever runs the dashboard to add the country to your "
        "sign-in.", file_name, row, "country", iso3) for row, iso3 in outside.iter_rows()]


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
    "4. Uploads are published when a reviewer approves them: make a reviewer's token with  "
    "indicators token new \"REVIEWER NAME\" --role reviewer",
    "Or configure Streamlit's login ([auth] in .streamlit/secrets.toml) to let people sign in.",
)
