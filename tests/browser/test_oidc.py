"""Signing in with OpenID Connect, end to end: a real provider (npm's oidc-provider, in
tests/oidc, installed by `make test`) on loopback, a dashboard whose secrets configure
Streamlit's login against it, and Chromium filling in the provider's own login form.

A listed contributor signs in on the Upload page, is recognised with their organisation and
submits a file; an account on no list is refused; a reviewer is recognised as a reviewer."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks import server as app_process
from indicators.store import Store
from tests.browser.conftest import wait_for_app

OIDC = Path(__file__).resolve().parents[1] / "oidc"
SOURCE = "SYNTHETIC TEST DATA (login test)"
CLIENT_ID = "dashboard"
CLIENT_SECRET = "oidc-test-client-secret-6f0e2a91"
# The provider's names for its accounts (the e-mail address is the login typed).
ACCOUNTS = {"ana@ngo.example": "Ana Contributor", "rita@review.example": "Rita from the provider",
            "eve@elsewhere.example": "Eve"}


def _start_provider(port: int, redirect_uri: str, log_path: Path) -> subprocess.Popen:
    node = shutil.which("node")
    if node is None or not (OIDC / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node or tests/oidc/node_modules is missing: `make test` installs both.")
    new_enough = subprocess.run([node, "-e", "process.exit(URL.parse ? 0 : 1)"], check=False)
    if new_enough.returncode != 0:
        pytest.fail("oidc-provider 9 needs Node 20.18 or later (URL.parse); install a newer "
                    "nodejs.")
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "redirect_uris": [redirect_uri]}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([node, "provider.js", str(port), json.dumps(client),
                                json.dumps(ACCOUNTS)], cwd=OIDC, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the OpenID Connect provider exited; see {log_path}")
        if b"ready http://" in log_path.read_bytes():
            return process
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"the OpenID Connect provider did not start in 60 s; see {log_path}")


@pytest.fixture(scope="module")
def login_server(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory,
                 artifacts_dir: Path):
    """The provider and a dashboard configured to sign people in with it."""
    work = tmp_path_factory.mktemp("oidc")
    db = work / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, db)
    provider_port, app_port = app_process.free_port(), app_process.free_port()
    issuer = f"http://127.0.0.1:{provider_port}"
    app_url = f"http://127.0.0.1:{app_port}"
    provider = _start_provider(provider_port, f"{app_url}/oauth2callback",
                               artifacts_dir / "oidc-provider.log")
    secrets = work / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "oidc-test-cookie-secret-0b7c5d2e"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "login" }}

[contributor_logins]
"ana@ngo.example" = "Test NGO"

[reviewer_logins]
"rita@review.example" = "Rita Reviewer"
""", encoding="utf-8")
    try:
        server = app_process.start(
            db, artifacts_dir / "streamlit-oidc-server.log", port=app_port,
            env_extra={"STREAMLIT_SECRETS_FILES": str(secrets),
                       "INDICATORS_CONTRIBUTOR_TOKENS": "", "INDICATORS_WATCH_SECONDS": "600"})
    except Exception:
        provider.kill()
        raise
    yield server, db
    app_process.stop(server)
    provider.send_signal(signal.SIGTERM)
    try:
        provider.wait(timeout=15)
    except subprocess.TimeoutExpired:
        provider.kill()
        provider.wait(timeout=15)


def _sign_in(tab, url: str, login: str) -> None:
    """From the Upload page, through the provider's login and consent forms, back again."""
    tab.set_default_timeout(60_000)
    tab.goto(url + "/upload")
    wait_for_app(tab)
    tab.get_by_role("button", name="Sign in with your account").click()
    tab.wait_for_selector("input[name=login]")
    tab.fill("input[name=login]", login)
    tab.fill("input[name=password]", "any password")  # the development form takes any
    tab.click("button[type=submit]")
    # consent: let the dashboard have the e-mail address and the name
    tab.wait_for_selector("input[name=prompt][value=consent]", state="attached")
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_url(re.compile(re.escape(url)))
    tab.goto(url + "/upload")
    wait_for_app(tab)


def _file_box(tab):
    return tab.locator('[data-testid="stFileUploader"] input[type="file"]')


def test_a_listed_contributor_signs_in_and_submits(login_server, page, artifacts_dir,
                                                   tmp_path):
    tab = page
    server, db = login_server
    _sign_in(tab, server.url, "ana@ngo.example")
    tab.get_by_text("Signed in as Ana Contributor, for Test NGO.").wait_for()
    tab.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=\"stFileUploader\"] "
        "input[type=\"file\"]'); return i && !i.disabled; }")
    tab.screenshot(path=str(artifacts_dir / "oidc-contributor.png"), full_page=True)

    figures = tmp_path / "kenya-2022.csv"
    figures.write_text("country,year,measure,value,source,note\r\n"
                       f"Kenya,2022,victims_reported,21,{SOURCE},\r\n", encoding="utf-8")
    _file_box(tab).set_input_files(str(figures))
    tab.locator(".st-key-import_button button").click()
    deadline = time.monotonic() + 60
    batch = None
    while batch is None and time.monotonic() < deadline:
        with Store(db, read_only=True) as store:
            batch = next((b for b in store.batches().iter_rows(named=True)
                          if b["file_name"] == "kenya-2022.csv"), None)
        time.sleep(0.5)
    assert batch is not None, "the signed-in contributor's file was not submitted"
    assert (batch["kind"], batch["status"], batch["organisation"], batch["contributor"]) == (
        "upload", "submitted", "Test NGO", "Ana Contributor")
    assert tab.locator('[data-testid="stException"]').count() == 0


def test_an_account_on_no_list_cannot_upload(login_server, page, artifacts_dir):
    tab = page
    server, _ = login_server
    _sign_in(tab, server.url, "eve@elsewhere.example")
    tab.get_by_text("You are signed in, but this account is not on the list of "
                    "contributors.").wait_for()
    assert _file_box(tab).is_disabled()
    assert tab.get_by_text("Signed in as").count() == 0
    tab.screenshot(path=str(artifacts_dir / "oidc-refused.png"), full_page=True)


def test_a_reviewer_is_recognised_as_a_reviewer(login_server, page, artifacts_dir):
    tab = page
    server, _ = login_server
    _sign_in(tab, server.url, "rita@review.example")
    # the name is the one the reviewer list gives, not the provider's
    tab.get_by_text("Signed in as Rita Reviewer, reviewer.").wait_for()
    assert tab.locator('[data-testid="stException"]').count() == 0
    tab.screenshot(path=str(artifacts_dir / "oidc-reviewer.png"), full_page=True)
