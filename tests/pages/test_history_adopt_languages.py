"""Adopting a correction on the History page in French: the figure to adopt, and the sentence
once adopted, name the country and the measure in French (Royaume-Uni, Personnes condamnées);
English keeps the codes (tests/pages/test_series_pages.py)."""

from __future__ import annotations

from indicators import auth
from indicators.store import Store
from pages.shared import LANG
from tests.pages.apptest_support import no_exceptions
from tests.pages.test_series_pages import _as, _submit, db  # noqa: F401 - the fixture


def test_a_reviewer_adopts_a_correction_in_french(db):  # noqa: F811
    _submit(db)  # Test NGO's 9,000 persons convicted, United Kingdom 2019: batch 6
    with Store(db) as store:
        store.approve_batch(6, reviewer="Rita")
    at = _as("pages/history.py", auth.Contributor("Other NGO", "Sam", "token",
                                                  role=auth.REVIEWER), {"lang": "fr"})
    at.session_state[LANG] = "fr"
    at.run()
    at.selectbox(key="adopt_batch").set_value(6).run()
    figure = at.selectbox(key="adopt_figure")
    assert figure.value == ("GBR", 2019, "persons_convicted")
    assert figure.format_func(figure.value) == "Royaume-Uni (GBR) 2019 Personnes condamnées"
    at.text_input(key="adopt_reason").input("registres du tribunal vérifiés").run()
    at.button(key="adopt_button").click().run()
    no_exceptions(at)
    assert at.success[0].value.startswith(
        "Le chiffre Royaume-Uni (GBR) 2019 Personnes condamnées du lot 6 ")
