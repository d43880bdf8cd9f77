"""What several browser tests do: start an app server of their own on a fresh copy of the
bundled data, and sign a contributor in on the Upload page (also tests/deploy/drive.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from indicators.auth import token_digest
from tests.browser.conftest import AppServer, own_server, wait_for_app

# A file the Upload page refuses, what it says of it, and what it says of a file it read.
BAD = Path(__file__).resolve().parents[1] / "data" / "bad_uploads" / "many_problems.csv"
REFUSED = "The file was not imported: 7 problems to fix."
PREVIEW = "Preview: nothing has been written yet"
# True once the Upload page's file box takes files (it is locked until sign-in).
FILE_BOX_UNLOCKED = (
    "() => { const i = document.querySelector('[data-testid=\"stFileUploader\"] "
    "input[type=\"file\"]'); return i && !i.disabled; }")


def contributor_server(name: str, organisation: str, token: str):
    """A module fixture: the dashboard on its own copy of the bundled data, where
    ``organisation`` may upload with ``token``; its log is streamlit-NAME-server.log in
    tests/artifacts/."""

    @pytest.fixture(scope="module")
    def server(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory,
               artifacts_dir: Path) -> Iterator[AppServer]:
        with own_server(bundled_db_template, tmp_path_factory.mktemp(f"browser-{name}"),
                        artifacts_dir / f"streamlit-{name}-server.log",
                        {"INDICATORS_CONTRIBUTOR_TOKENS":
                         f"{organisation}={token_digest(token)}"}) as started:
            yield started

    return server


def sign_in(tab, token: str, *, name: str | None = None,
            signed_in: str = "Signed in as") -> None:
    """Sign in on the Upload page with ``token`` (and the contributor's ``name``), then wait
    until the page says ``signed_in`` and its file box takes files."""
    tab.get_by_role("textbox", name="Contributor token").fill(token)
    if name is not None:
        tab.get_by_role(
            "textbox", name="Your name (recorded with what you send or roll back)").fill(name)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text(signed_in).wait_for()
    wait_for_app(tab)  # the sign-in's run ends with the file box unlocked
    tab.wait_for_function(FILE_BOX_UNLOCKED)


def send_file(tab, path: Path | str, answer: str) -> None:
    """Give the Upload page's file box ``path``, then wait until the page says ``answer``
    and its run has ended."""
    tab.locator('input[type="file"]').set_input_files(str(path))
    tab.get_by_text(answer).wait_for()
    wait_for_app(tab)


def one_new_figure(directory: Path, source: str) -> Path:
    """kenya-2021.csv in ``directory``: one figure the bundled data lack (Kenya's victims
    prosecuted in 2021: 7), cited to ``source``."""
    path = directory / "kenya-2021.csv"
    path.write_text("country,year,measure,value,source,note\r\n"
                    f"Kenya,2021,victims_prosecuted,7,{source},\r\n", encoding="utf-8")
    return path


def send_the_refused_file(tab) -> None:
    """Give the Upload page ``BAD`` and wait until it says it refused it (``REFUSED``)."""
    send_file(tab, BAD, REFUSED)


def send_one_new_figure(tab, directory: Path, source: str) -> None:
    """Give the Upload page ``one_new_figure`` (written in ``directory``, cited to ``source``)
    and wait for its preview (``PREVIEW``)."""
    send_file(tab, one_new_figure(directory, source), PREVIEW)


LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@contextmanager
def offline_tab(browser, timeout: float, **context_options: object) -> Iterator:
    """A browser tab that can reach only this machine (and data:, blob:, about: addresses);
    ``tab.outside`` lists every other address it tried, each refused."""
    context = browser.new_context(**context_options)
    outside: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(timeout)
    tab.outside = outside
    try:
        yield tab
    finally:
        context.close()
