"""The store's credentials: token digests (never a token) with who holds them.

``access_tokens`` holds tokens with a role (contributor, reviewer, administrator), made with
`indicators token new NAME --role ROLE`; ``contributor_tokens`` the organisation tokens made
before roles, which still work as contributor tokens. `Store` inherits these methods.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from indicators.store.sql import Session, now

_ACCESS_COLUMNS = ("digest", "name", "role", "organisation", "countries", "created_at")


class TokenMethods:
    """Credentials kept in the database (mixed into `Store`)."""

    def _reading(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    # -- tokens with a role --------------------------------------------------------------------
    def add_access_token(self, digest: str, *, name: str, role: str,
                         organisation: str | None = None, countries: str | None = None) -> None:
        """Store a token's digest with its holder; a new token for a name replaces the old one
        (an organisation token made before roles, of that name, too)."""
        with self._writing() as session:
            session.run("DELETE FROM access_tokens WHERE name = ?", [name])
            session.run("DELETE FROM contributor_tokens WHERE organisation = ?", [name])
            session.run(
                "INSERT INTO access_tokens (digest, name, role, organisation, countries, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [digest, name, role, organisation or None, countries or None, now()])

    def access_tokens(self) -> list[dict[str, object]]:
        """Every token the database holds, by name: digest, name, role, organisation, countries
        (ISO3 codes joined by commas, or None), created_at. Organisation tokens made before
        roles are contributor tokens named after their organisation."""
        with self._reading() as session:
            rows = session.rows(
                f"""SELECT {", ".join(_ACCESS_COLUMNS)} FROM access_tokens
                    UNION ALL
                    SELECT digest, organisation, 'contributor', organisation, NULL, created_at
                    FROM contributor_tokens
                    ORDER BY 2, 6""")
        return [dict(zip(_ACCESS_COLUMNS, row, strict=True)) for row in rows]

    def remove_access_token(self, name: str) -> bool:
        """Withdraw the token of this name (of either kind); whether there was one."""
        with self._writing() as session:
            found = session.one(
                "SELECT (SELECT count(*) FROM access_tokens WHERE name = ?) + "
                "(SELECT count(*) FROM contributor_tokens WHERE organisation = ?)",
                [name, name])
            session.run("DELETE FROM access_tokens WHERE name = ?", [name])
            session.run("DELETE FROM contributor_tokens WHERE organisation = ?", [name])
        return bool(found and found[0])

    # -- organisation tokens (before roles) ----------------------------------------------------
    def add_token(self, organisation: str, digest: str) -> None:
        """Store an organisation's token digest (never the token); a new one replaces the old."""
        with self._writing() as session:
            session.run(
                "INSERT INTO contributor_tokens VALUES (?, ?, ?) ON CONFLICT (organisation) DO "
                "UPDATE SET digest = EXCLUDED.digest, created_at = EXCLUDED.created_at",
                [organisation, digest, now()])

    def remove_token(self, organisation: str) -> bool:
        with self._writing() as session:
            found = session.one("SELECT count(*) FROM contributor_tokens WHERE organisation = ?",
                                [organisation])
            session.run("DELETE FROM contributor_tokens WHERE organisation = ?", [organisation])
        return bool(found and found[0])

    def token_digests(self) -> dict[str, str]:
        """Organisation → SHA-256 digest of its organisation token (made before roles)."""
        with self._reading() as session:
            rows = session.rows("SELECT organisation, digest FROM contributor_tokens "
                                "ORDER BY organisation")
        return dict(rows)

