""".xlsx workbooks, recognised by their name or by their ZIP signature (a workbook renamed .csv is still one)."""

from __future__ import annotations

from smartdash.formats.reading import XLSX_SUFFIXES
from smartdash.readers import reader, suffix_of
from smartdash.workbooks import read_workbook

reader("xlsx", recognises=lambda name, head: suffix_of(name) in XLSX_SUFFIXES or head[:2] == b"PK", order=20)(read_workbook)
