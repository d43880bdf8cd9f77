"""Write docs/breakdown_exceptions.csv: where UNODC's breakdowns add up to more than the figure
they break down, in every bundled release of its workbook (the 30 May 2023 release and the
14 April 2025 one), one row per case with its release's source id.

    .venv/bin/python scripts/breakdown_exceptions.py
"""

from __future__ import annotations

from pathlib import Path

from indicators.sources.unodc_glotip import exceptions_by_release

OUT = Path(__file__).resolve().parents[1] / "docs" / "breakdown_exceptions.csv"


def main() -> None:
    table = exceptions_by_release()
    table.write_csv(OUT)
    counts = dict(table.group_by("release").len().sort("release").rows())
    print(f"{OUT}: {table.height:,} cases ({counts})")


if __name__ == "__main__":
    main()
