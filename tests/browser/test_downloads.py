"""The briefs and 'Download all (ZIP)' from the pages, clicked in Chromium: the files are made
at the click from the view as it is then (a choice that reran only part of the page
included), and a file that cannot be made is said in one plain sentence, never a traceback."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from indicators import brief
from indicators.figure_export import file_stem
from tests.browser.conftest import own_server
from tests.browser.test_pages import assert_no_errors, settle, visible_button

DOWNLOAD_TIMEOUT = 180_000


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, encoding="utf-8", check=True).stdout


def download(tab, key: str, folder: Path) -> Path:
    with tab.expect_download(timeout=DOWNLOAD_TIMEOUT) as started:
        visible_button(tab, key).click()
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


def choose(tab, key: str, option: str) -> None:
    """Pick ``option`` in the select box ``key`` (type to filter, Enter)."""
    box = tab.locator(f".st-key-{key} input").first
    box.click()
    box.fill(option)
    tab.get_by_role("option", name=option).first.wait_for()
    tab.keyboard.press("Enter")
    settle(tab)


def test_country_brief_is_the_view_at_the_click(app_server, page, artifacts_dir):
    page.goto(f"{app_server.url}/country?country=NZL")
    settle(page)
    choose(page, "cty_year", "2019")  # reruns only the cards (and writes the address)
    assert "year=2019" in page.url
    path = download(page, "cty_brief", artifacts_dir)
    assert path.name == brief.file_name("NZL")
    assert path.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(path)
    assert "New Zealand" in text
    assert "2019 (chosen)" in text  # the year the cards showed at the click
    assert "country=NZL&indicator=conviction_rate&year=2019" in text  # the view's link
    assert_no_errors(page)


def test_world_brief_from_the_overview(app_server, page, artifacts_dir):
    page.goto(f"{app_server.url}/?year=2018")
    settle(page)
    path = download(page, "ovw_brief", artifacts_dir)
    assert path.name == brief.file_name("world")
    text = pdf_text(path)
    assert "World" in text and "2018 (chosen)" in text
    assert f"{app_server.url}/?year=2018" in text


def test_compare_zip_has_every_chart_and_a_readme_with_the_link(app_server, page,
                                                                artifacts_dir):
    page.goto(f"{app_server.url}/compare?indicator=identification_rate&countries=GBR&year=2019")
    settle(page)
    box = page.locator(".st-key-cmp_scopes input").first
    box.fill("Nigeria")
    page.get_by_role("option", name="Nigeria").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)  # the chart over time and the ranking were redrawn, nothing else
    link = page.url
    assert "countries=GBR%2CNGA" in link
    said = [s.strip() for s in page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".map(c => c.getAttribute('aria-label'))")]

    path = download(page, "compare_zip", artifacts_dir)
    assert path.name == file_stem("identification_rate", "charts") + ".zip"
    archive = zipfile.ZipFile(path)
    stems = ["identification-rate-2003-2022", "identification-rate-2019-ranking",
             "identification-rate-2019-map-value"]
    assert archive.namelist() == ["README.txt", "CITATION.txt"] + [
        f"{stem}.{kind}" for stem in stems for kind in ("png", "svg", "csv")]
    readme = archive.read("README.txt").decode("utf-8")
    assert f"View: {link}\n" in readme
    assert "Source: UNODC, Global Report on Trafficking in Persons" in readme
    assert "Release: data portal release of 30 May 2023" in readme
    assert "Licence: " in readme
    for sentence in said:  # each chart's sentence, as the page gives it
        assert f"In words: {sentence}\n" in readme
    assert "UNODC" in archive.read("CITATION.txt").decode("utf-8")
    text = archive.read(f"{stems[0]}.csv").decode("utf-8-sig")
    assert text.startswith("# Cite as: Data: UNODC")
    lines = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    assert {row["name"] for row in lines} == {"United Kingdom", "Nigeria"}
    assert archive.read(f"{stems[0]}.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Victim identification rate, 2003" in archive.read(f"{stems[0]}.svg")


def test_country_zip_follows_the_chosen_indicator(app_server, page, artifacts_dir):
    page.goto(f"{app_server.url}/country?country=GBR")
    settle(page)
    choose(page, "cty_indicator", "Victim identification rate")  # reruns one chart only
    archive = zipfile.ZipFile(download(page, "country_zip", artifacts_dir))
    names = archive.namelist()
    assert names[:2] == ["README.txt", "CITATION.txt"] and len(names) == 11
    assert "gbr-identification-rate.csv" in names
    assert "gbr-figures.svg" in names and "gbr-coverage.png" in names
    assert "indicator=identification_rate" in archive.read("README.txt").decode("utf-8")


# -- when a file cannot be made ----------------------------------------------------------------
@pytest.fixture(scope="module")
def no_browser_server(bundled_db_template, tmp_path_factory, artifacts_dir):
    """The dashboard with its export browser missing: no image, so no brief or ZIP."""
    with own_server(bundled_db_template, tmp_path_factory.mktemp("browser-nochromium"),
                    artifacts_dir / "streamlit-nochromium-server.log",
                    {"BROWSER_PATH": "/nonexistent/chromium"}) as server:
        yield server


def test_a_file_that_cannot_be_made_is_one_plain_sentence(no_browser_server, page,
                                                          artifacts_dir):
    sentence = ("Images cannot be made: no Chromium at /nonexistent/chromium. Install Debian's "
                "chromium or set BROWSER_PATH.")
    message = page.locator('[data-testid="stAlertContentError"]')
    for key in ("cty_brief", "country_zip"):
        page.goto(f"{no_browser_server.url}/country?country=GBR")
        settle(page)
        assert message.count() == 0
        visible_button(page, key).click()
        message.first.wait_for(timeout=60_000)  # the page reruns by itself to say why
        settle(page)
        texts = message.all_inner_texts()
        assert len(texts) == 1 and texts[0].endswith(sentence), texts
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(artifacts_dir / f"download-failure-{key}.png"))
