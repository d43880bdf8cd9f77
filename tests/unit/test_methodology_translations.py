"""docs/methodology.fr.md and .es.md, the methodology page's full text in French and Spanish,
say what docs/methodology.md says: the same sections at the same levels in the same order, the
same tables, links and code (measure codes, formulas, file names), and the same numbers, digit
for digit (a figure that differs would be a wrong figure, whatever the words around it)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
ENGLISH = (DOCS / "methodology.md").read_text(encoding="utf-8")


def _outline(text: str) -> list[int]:
    """The level of each heading, in order."""
    return [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", text, re.M)]


def _table_rows(text: str) -> list[int]:
    """The number of cells of each table row, in order."""
    return [line.count("|") for line in text.splitlines() if line.startswith("|")]


def _numbers(text: str) -> Counter[str]:
    """Every number as written ('1,240', '0.07', '2003'), the header line and quoted code left
    out (a translation's own italic note under the title names no number)."""
    return Counter(re.findall(r"\d+(?:[.,]\d+)*", text))


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_translation_says_what_the_english_says(lang):
    translated = (DOCS / f"methodology.{lang}.md").read_text(encoding="utf-8")
    assert _outline(translated) == _outline(ENGLISH)
    assert _table_rows(translated) == _table_rows(ENGLISH)
    assert len(re.findall(r"\]\(", translated)) == len(re.findall(r"\]\(", ENGLISH))
    # every code span of the English is there (a translation may add a code beside a word it
    # translates, as the Spanish does for the trend words)
    code = Counter(re.findall(r"`[^`]+`", ENGLISH))
    assert code - Counter(re.findall(r"`[^`]+`", translated)) == Counter()
    assert _numbers(translated) == _numbers(ENGLISH)
    # the first lines: the title in the language, then which version prevails
    first = translated.splitlines()[:3]
    assert first[0] == {"fr": "# Méthodologie", "es": "# Metodología"}[lang]
    assert "docs/methodology.md" in first[2]
