"""The floors of the `indicators` package: a module imports only from its own floor or below.

Floors are listed from the bottom up. A package counts as its top-level name, so
`indicators.charts.map` stands on the `charts` floor and `indicators.tables.read` on `tables`.
Every import is read with `ast`, including imports inside functions (the lazy ones), so a
module that reaches up a floor fails here however it does it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "indicators"

FLOORS: list[set[str]] = [
    # plain facts: settings, the catalogues of measures, countries and published families
    {"settings", "columns", "problems", "measures", "countries", "catalogue", "paper",
     "value_text",  # values as people read them
     "citation",  # and how to cite them
     "i18n"},  # the languages: catalogs, CLDR's names and numbers
    {"tables", "series", "auth"},  # bytes → grid; the series rule; who may do what
    {"store"},  # the only SQL
    {"schema", "validate", "releases"},  # what a figure must be; a release's revisions
    {"sources", "upload", "templates", "review"},  # published releases and contributed files in
    {"bundled"},  # the bundled releases loaded into a store
    {"compute", "per_population", "victims", "export", "backup", "live"},
    {"views", "page_state", "series_views"},  # what a page shows
    {"charts", "victim_charts", "alt_text", "figure_export", "view_charts"},  # figures drawn
    {"brief", "report", "bundle", "api"},  # documents made of figures; the read API
    {"cli", "__main__"},  # the command
]
FLOOR_OF = {name: level for level, names in enumerate(FLOORS) for name in names}
# A name here need not exist (a module folded into a package, such as victim_charts into
# charts/, may leave it behind); every module that exists must be on a floor.


def top_name(path: Path) -> str:
    """The floor name of a module file: `indicators/charts/map.py` → 'charts'."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def imported_names(text: str, path: Path) -> list[tuple[int, str]]:
    """(line, floor name) of every `indicators` module that `text`, the source of the module
    at `path`, imports, at any depth (inside functions too)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                absolute = ".".join((*base, node.module) if node.module else base)
            else:
                absolute = node.module or ""
            # `from indicators import views` imports the module views.
            targets = ([f"{absolute}.{alias.name}" for alias in node.names]
                       if absolute == "indicators" else [absolute])
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] == "indicators" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def upward_imports(sources: dict[Path, str]) -> list[str]:
    """Every import, in the module sources given by path, of a module on a higher floor."""
    upward = []
    for path, text in sources.items():
        own = top_name(path)
        for line, name in imported_names(text, path):
            if name in FLOOR_OF and own in FLOOR_OF and FLOOR_OF[name] > FLOOR_OF[own]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({own}, floor "
                              f"{FLOOR_OF[own]}) imports {name} (floor {FLOOR_OF[name]})")
    return upward


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_module_stands_on_a_floor():
    unplaced = sorted({top_name(p) for p in modules()} - set(FLOOR_OF))
    assert unplaced == [], f"add these modules to a floor in FLOORS: {unplaced}"


def test_no_module_imports_one_above_it():
    sources = {path: path.read_text(encoding="utf-8") for path in modules()}
    assert upward_imports(sources) == []


UPLOAD = PACKAGE / "upload" / "example.py"  # where the texts below would stand


@pytest.mark.parametrize(("text", "expected"), [
    ("import indicators.charts.map\n", ["charts"]),
    ("from indicators.views.cards import x\n", ["views"]),
    ("from indicators import compute, views\n", ["compute", "views"]),
    ("def f():\n    from indicators.bundled import FAMILIES\n", ["bundled"]),
    ("import polars\nfrom indicators.store import Store\n", ["store"]),
    ("from ..bundled import FAMILIES\nfrom . import checks\nfrom .. import views\n",
     ["bundled", "upload", "views"]),
])
def test_imports_are_read_at_any_depth_and_by_top_level_name(text, expected):
    assert [name for _, name in imported_names(text, UPLOAD)] == expected


def test_an_import_from_a_floor_above_is_named_with_its_line():
    text = "import polars\n\ndef f():\n    from indicators.bundled import FAMILIES\n"
    assert upward_imports({UPLOAD: text}) == [
        "indicators/upload/example.py:4 (upload, floor 4) imports bundled (floor 5)"]
    # the same floor and the floors below are allowed
    assert upward_imports({UPLOAD: "from indicators import sources, tables, catalogue\n"}) == []
    # a module of a package stands on its package's floor
    charts_map = PACKAGE / "charts" / "map.py"
    assert upward_imports({charts_map: "from indicators.views.cards import x\n"}) == []
    assert upward_imports({charts_map: "from indicators.brief import x\n"}) == [
        "indicators/charts/map.py:1 (charts, floor 8) imports brief (floor 9)"]


def test_the_catalogue_lists_the_families_the_importers_load():
    from indicators.bundled import FAMILIES
    from indicators.catalogue import PUBLISHED

    assert list(FAMILIES) == list(PUBLISHED)
    assert [f.name for f in FAMILIES.values()] == [f.name for f in PUBLISHED.values()]


# Rooms on one floor that stand side by side: neither reads through the other.
SIBLINGS = [("sources", "upload")]


def test_sibling_rooms_do_not_import_each_other():
    crossing = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in modules()
        for line, name in imported_names(path.read_text(encoding="utf-8"), path)
        for pair in SIBLINGS
        if {top_name(path), name} == set(pair)
    ]
    assert crossing == []
