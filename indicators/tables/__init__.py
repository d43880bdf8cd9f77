"""Tables as people send them, read into text cells: the floor below `upload/` and `sources/`.

`read` turns bytes into a grid (the encoding, the delimiter, the sheet of a workbook);
`header` finds a table under the row that names its columns. Nothing here knows what a figure,
a measure or a source is: both the upload path and the published-source importers read
through it.
"""

from indicators.tables.header import (
    Column,
    SourceTable,
    bad_cells,
    header_key,
    parse_number,
    parse_year,
    read_source_table,
)
from indicators.tables.read import ROW_COLUMN, TEMPLATE_HINT, Grid, ReadInfo, read_table

__all__ = [
    "ROW_COLUMN",
    "TEMPLATE_HINT",
    "Column",
    "Grid",
    "ReadInfo",
    "SourceTable",
    "bad_cells",
    "header_key",
    "parse_number",
    "parse_year",
    "read_source_table",
    "read_table",
]
