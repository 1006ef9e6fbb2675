"""Tables as CSV and XLSX, French headers as shown, with formula injection neutralised; and the data behind the
deck's native charts, written the same way.

A table's "Origine" column (smartdash.provenance) travels with it; in a workbook, the rows it marks
« démo / synthétique » are also set in grey italics, so a figure copied from the sheet keeps its mark in sight.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from smartdash import provenance
from smartdash.formats import FORMULA_STARTS
from smartdash.i18n import every_language

SYNTHETIC_FONT = Font(italic=True, color="6B7280")
DANGEROUS = FORMULA_STARTS
# a formatted number such as "-4 756 589 €", "-3,5 %", "-573 k€" is data, not a formula
_FORMATTED_NUMBER = re.compile(r"^-\d[\d\u00a0\u202f ]*(,\d+)?(\u00a0?(€|%|M€|k€|j|d))?$")


def neutralise(value):
    """A text cell a spreadsheet could run as a formula is prefixed with an apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(DANGEROUS) and not _FORMATTED_NUMBER.match(value):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [neutralise(v) for v in out[column]]
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV the French-spreadsheet way: `;` separated, UTF-8 with BOM (accents read right in a spreadsheet)."""
    return _safe(frame).to_csv(sep=";", index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with a sheet per table; headers in bold, columns sized to their content."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Feuille"
        while title in used:
            title = title[:28] + f" {len(used)}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        safe = _safe(frame)
        sheet.append([str(c) for c in safe.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        origin = next((i for i, c in enumerate(frame.columns) if c in every_language(provenance.ORIGIN)), None)
        for row in safe.itertuples(index=False):
            # openpyxl stores a text starting with "=" as a formula: a value turned into text is neutralised too
            sheet.append(
                [
                    None
                    if (not isinstance(v, str) and pd.isna(v))
                    else (v if isinstance(v, int | float | str) else neutralise(str(v)))
                    for v in row
                ]
            )
            if origin is not None and row[origin] in every_language(provenance.MARK):
                for cell in sheet[sheet.max_row]:
                    cell.font = SYNTHETIC_FONT
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class InertChartData(CategoryChartData):
    """python-pptx's chart data whose embedded workbook (what "Edit data" opens behind a native chart) holds every
    category and series name as a text cell, neutralised: XlsxWriter would write a name starting with "=" as a
    formula and one starting with "http" as a link. The chart itself shows the names as they are."""

    @property
    def _workbook_writer(self):
        return _InertWorkbookWriter(self)


class _InertWorkbookWriter(CategoryWorkbookWriter):
    def _populate_worksheet(self, workbook, worksheet):
        super()._populate_worksheet(workbook, _TextCells(worksheet))


class _TextCells:
    """An XlsxWriter worksheet whose `write` of a text is `write_string` of the neutralised text."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    def __getattr__(self, name):
        return getattr(self._worksheet, name)

    def write(self, row, col, value, *args):
        if isinstance(value, str):
            return self._worksheet.write_string(row, col, neutralise(value), *args)
        return self._worksheet.write(row, col, value, *args)
