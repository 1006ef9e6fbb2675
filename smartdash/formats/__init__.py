"""The documented file formats users import (and the demo data set uses).

Each dataset has one format: French column headers (English aliases accepted), one row per
record. Files come from French-locale spreadsheets: `;` separators, decimal commas, spaces or
non-breaking spaces between thousands, `€` and `%` inside cells, dates as dd/mm/yyyy, UTF-8
with or without BOM or Windows-1252 that reads as Western text, or `.xlsx` workbooks (read by
smartdash.workbooks, which checks the archive first).

Parsing never raises on bad cells: every problem is collected with its file, row, column,
value and what was expected (a message rendered in the reader's language). A file that cannot
be read as a table at all (its encoding, its shape, its size) is refused as soon as that is
known, naming row and column where there is one. docs/formats.md is generated from these specs
and a test keeps it in sync.

The package by job: `cells` (limits and cell parsers), `spec` (what a format is made of, and
problems), `datasets` (each dataset declared once, with its table in the store), `reading`
(files to checked values), `writing` (values to files).
"""

from smartdash.formats.cells import (
    BIGINT_MAX,
    DATE_MAX,
    DATE_MIN,
    FORMULA_STARTS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    NUMBER_LIMITS,
    CellError,
    Refused,
    inert_text,
    parse_bool,
    parse_cells,
    parse_date,
    parse_decimal,
    parse_int,
    text_as_read,
    thousands,
)
from smartdash.formats.datasets import (
    CLAIMS,
    DATASETS,
    ENTITIES,
    FUNDING,
    HEADCOUNT,
    INDICATORS,
    INSTALMENTS,
    INSTRUMENTS,
    LEDGER_BALANCES,
    LOAD_ORDER,
    MEETINGS,
    MEMBERSHIP,
    OBSERVATIONS,
    OFFICES,
    PLAN_TARGETS,
    PLAN_VERSIONS,
    RECEIVABLES,
    SOURCE_FIGURES,
    STORED,
    load_order,
    siren_is_valid,
)
from smartdash.formats.reading import (
    CSV_SUFFIXES,
    ENCODINGS_ACCEPTED,
    XLSX_SUFFIXES,
    ParsedFile,
    Table,
    _normal_header,
    _table,
    decode,
    detect_dataset,
    failing_rows,
    header_map,
    parse_file,
    read_sheet,
    read_table,
    too_many_rows,
)
from smartdash.formats.spec import Column, Dataset, FileRefused, Problem, RefError, RowCheck, StoreCheck
from smartdash.formats.writing import format_cell, template_csv, template_xlsx, write_csv

__all__ = [
    "BIGINT_MAX",
    "CLAIMS",
    "CSV_SUFFIXES",
    "DATASETS",
    "DATE_MAX",
    "DATE_MIN",
    "ENCODINGS_ACCEPTED",
    "ENTITIES",
    "FORMULA_STARTS",
    "FUNDING",
    "HEADCOUNT",
    "INDICATORS",
    "INSTALMENTS",
    "INSTRUMENTS",
    "LEDGER_BALANCES",
    "LOAD_ORDER",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MEETINGS",
    "MEMBERSHIP",
    "NUMBER_LIMITS",
    "OBSERVATIONS",
    "OFFICES",
    "PLAN_TARGETS",
    "PLAN_VERSIONS",
    "RECEIVABLES",
    "SOURCE_FIGURES",
    "STORED",
    "XLSX_SUFFIXES",
    "CellError",
    "Column",
    "Dataset",
    "FileRefused",
    "ParsedFile",
    "Problem",
    "RefError",
    "Refused",
    "RowCheck",
    "StoreCheck",
    "Table",
    "_normal_header",
    "_table",
    "decode",
    "detect_dataset",
    "failing_rows",
    "format_cell",
    "header_map",
    "inert_text",
    "load_order",
    "parse_bool",
    "parse_cells",
    "parse_date",
    "parse_decimal",
    "parse_file",
    "parse_int",
    "read_sheet",
    "read_table",
    "siren_is_valid",
    "template_csv",
    "template_xlsx",
    "text_as_read",
    "thousands",
    "too_many_rows",
    "write_csv",
]
