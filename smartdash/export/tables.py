"""Tables as CSV and XLSX, French headers as shown, with formula injection neutralised; and the data behind the
deck's native charts, written the same way.

A table's "Origine" column (smartdash.provenance) travels with it; in a workbook, the rows it marks
« démo / synthétique » are also set in grey italics, so a figure copied from the sheet keeps its mark in sight.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping
from decimal import Decimal

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


# --------------------------------------------------------------------------- workbook cells: numbers stay numbers

_SEPARATORS = {"fr": ("\u202f\u00a0 ", ","), "en": (",", ".")}  # (thousands, decimal mark) as `formatting` writes
_UNITS = {  # a unit written after a figure: (factor of the value, the number format's scaling and suffix)
    "€": (1, ' "€"'),
    "k€": (1_000, ',"\u00a0k€"'),
    "M€": (1_000_000, ',,"\u00a0M€"'),
    "%": (Decimal("0.01"), '"\u00a0"%'),
    "j": (1, ' "j"'),
    "d": (1, ' "d"'),
    "h": (1, ' "h"'),
}
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


@functools.lru_cache(maxsize=2)
def _figure(lang: str) -> re.Pattern:
    """A figure as `formatting` writes it in `lang`: sign, € before it in English, grouped digits, decimals, unit."""
    thousands, mark = _SEPARATORS.get(lang, _SEPARATORS["fr"])
    group = "[" + re.escape(thousands) + "]"
    return re.compile(
        r"^(?P<sign>[-\u2212])?(?P<euro>€)?(?P<int>\d{1,3}(?:" + group + r"\d{3})*|\d+)"
        r"(?:" + re.escape(mark) + r"(?P<dec>\d+))?"
        r"(?:[\u00a0 ]?(?P<unit>" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + r"))?$"
    )


def _as_number(text: str, lang: str) -> tuple[Decimal, str] | None:
    """(value, Excel number format) of a figure shown as text ("10 221", "3 800 000 €", "1,5 M€", "12,4 %"), or
    None when the text is not one figure. A year ("2023") stays text: four digits are grouped when `formatting`
    writes a figure. The formats are Excel's neutral codes, which French Excel shows French-style."""
    found = _figure(lang).match(text.strip())
    if not found or (found["euro"] and found["unit"]) or (len(found["int"]) == 4 and not found["dec"] and not found["unit"]):
        return None
    places = len(found["dec"] or "")
    value = Decimal(re.sub(r"\D", "", found["int"]) + ("." + found["dec"] if places else ""))
    digits = ("0" if found["unit"] == "%" else "#,##0") + ("." + "0" * places if places else "")
    if found["euro"]:  # English money: €1,234,567
        return (-value if found["sign"] else value), '"€"' + digits
    factor, suffix = _UNITS.get(found["unit"], (1, ""))
    if found["unit"] == "%" and lang == "en":
        suffix = "%"  # 12.4%: English sets no space before the sign
    value *= factor
    return (-value if found["sign"] else value), digits + suffix


def _cell(value, lang: str):
    """A value of a shown table as a workbook cell: (value, number format or None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, dt.datetime):
        return value, "DD/MM/YYYY HH:MM"
    if isinstance(value, dt.date):
        return value, "DD/MM/YYYY"
    if isinstance(value, Decimal | int | float) or pd.api.types.is_number(value):
        places = max(0, -Decimal(str(value)).as_tuple().exponent) if not isinstance(value, int) else 0
        return value, "#,##0" + ("." + "0" * min(places, 2) if places else "")
    if isinstance(value, str):
        date = _DATE.match(value)
        if date:
            try:
                return dt.date(int(date[3]), int(date[2]), int(date[1])), "DD/MM/YYYY"
            except ValueError:
                return value, None
        number = _as_number(value, lang)
        if number is not None:
            return number
        return neutralise(value), None
    # openpyxl stores a text starting with "=" as a formula: a value turned into text is neutralised too
    return neutralise(str(value)), None


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV the French-spreadsheet way: `;` separated, UTF-8 with BOM (accents read right in a spreadsheet)."""
    return _safe(frame).to_csv(sep=";", index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], lang: str = "fr") -> bytes:
    """A workbook with a sheet per table; headers in bold, columns sized to their content. A figure the table shows
    as text in `lang` ("10 221", "3 800 000 €", "31/12/2023") is written as a number or a date with a number
    format that shows it the same way (French-style in French Excel): it can be summed and sorted."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Feuille"
        while title in used:
            title = title[:28] + f" {len(used)}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([neutralise(str(c)) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        origin = next((i for i, c in enumerate(frame.columns) if c in every_language(provenance.ORIGIN)), None)
        for row in frame.itertuples(index=False):
            cells = [_cell(v, lang) for v in row]
            sheet.append([v for v, _format in cells])
            for cell, (_v, number_format) in zip(sheet[sheet.max_row], cells, strict=True):
                if number_format:
                    cell.number_format = number_format
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
