"""Cells: the limits a cell keeps to, the parsers of French-spreadsheet cells, and a column's cells parsed in bulk.

A parser raises `CellError` with a message (`i18n.Text`) saying what the column takes; in bulk, a refused cell
becomes a `Refused` holding that message, so that a file's every problem is collected.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import operator
import re
from decimal import Decimal
from typing import Any, Protocol

from smartdash.i18n import N_, Text, text


class Column(Protocol):
    """What the bulk parsers ask of a column (`formats.spec.Column` is one): cells sit below columns, so they name
    no module above them."""

    def parse(self, cell: Any) -> Any: ...


# The longest cell a spreadsheet holds (Excel's own limit): longer is not a cell a person typed. CSV fields are
# capped alike; Python's CSV reader itself stops at 131 072 characters.
MAX_CELL_CHARS = 32_767
# Numbers are stored as 64-bit integers (amounts in cents, decimals in ten-thousandths) or 32-bit ones (counts):
# a cell's absolute value stays below these bounds, so that a value and the sums the store makes of a file's
# values (a receivables snapshot's ageing: up to [import] max_rows items) fit.
NUMBER_LIMITS = {"int": 10**9, "money": 10**11, "decimal": 10**12}
BIGINT_MAX = 2**63 - 1
# A CSV row wider than this is no table of ours (the widest format has 17 columns).
MAX_COLUMNS = 1_000


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def _shown(text: str, limit: int = 120) -> str:
    """A value as a message shows it: control characters (line breaks too) spelled out, a long value cut."""
    text = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[:limit] + "…"


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


# --------------------------------------------------------------------------- formulas in text cells

# What makes a spreadsheet run a cell as a formula (OWASP, "CSV injection"): such a text cell is written with
# an apostrophe first, which spreadsheets show as text. A text that already starts with apostrophes followed by
# one of these gets one more, so that reading back removes exactly the apostrophe writing added.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHES_THEN_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def inert_text(text: str) -> str:
    """A text cell as written to a file: `=cmd|…` becomes `'=cmd|…`; what `text_as_read` turns back."""
    if text.startswith(FORMULA_STARTS) or (text[:1] == "'" and _APOSTROPHES_THEN_FORMULA.match(text)):
        return "'" + text
    return text


def text_as_read(text: str) -> str:
    """A text cell read from a file: the apostrophe `inert_text` put before a formula-like text removed."""
    if text[:1] == "'" and _APOSTROPHES_THEN_FORMULA.match(text):
        return text[1:]
    return text


# --------------------------------------------------------------------------- cell parsers

# what French spreadsheets put in a number cell besides the number: group separators, unit signs
_NUMBER_NOISE = str.maketrans(
    {" ": None, "\t": None, "\u00a0": None, "\u202f": None, "\u2009": None, "'": None, "€": None, "%": None, "−": "-"}
)
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}


DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
# how far after the machine's date an actual figure may be dated: a month-end snapshot prepared a few days early, a
# clock a day apart; a plan or a forecast may be dated any time later
FUTURE_TOLERANCE_DAYS = 7


def today() -> dt.date:
    """The machine's date, which actual figures may not be after (tests set their own clock here)."""
    return dt.date.today()


def latest_actual_date() -> dt.date:
    """The latest date an actual figure may have: today plus `FUTURE_TOLERANCE_DAYS`."""
    return today() + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)


def not_after_latest_actual_date() -> Text:
    """What a date of an actual figure must be, with the date of today's limit."""
    return text(
        N_("a past date for an actual value (on or before {latest}: today plus {days} days; a plan or a forecast may be later)"),
        latest=f"{latest_actual_date():%d/%m/%Y}",
        days=FUTURE_TOLERANCE_DAYS,
    )


class CellError(ValueError):
    """A cell whose content does not fit its column; `message` says what was expected."""

    def __init__(self, message: Text):
        super().__init__(message)
        self.message = message


A_NUMBER = text(N_("a number"))
A_NUMBER_EXAMPLE = text(N_("a number (e.g. 1 234,56)"))
A_WHOLE_NUMBER = text(N_("a whole number"))
A_FINITE_NUMBER = text(N_("a number (this cell holds NaN or an infinity, which no column takes)"))
A_DATE = text(N_("a date dd/mm/yyyy"))
YES_OR_NO = text(N_("yes or no"))


def at_most_places(places: int) -> Text:
    return text(N_("a number with at most {places} decimals"), places=places)


# a number this large is refused by every column's bound (NUMBER_LIMITS): its decimals are not worth checking, and
# checking them would overflow the decimal context's precision (`1e300` in a workbook cell)
_BEYOND_EVERY_BOUND = 18


def parse_decimal(text: Any, *, places: int | None = None) -> Decimal:
    """A French-locale number: `1 234 567,89 €`, `12,4 %`, `-3,5`, `1.234,5`; also `1234.5`. A workbook's NaN or
    infinity is refused; a number beyond every column's bound is returned for the column to refuse with its range."""
    if isinstance(text, bool):
        raise CellError(A_NUMBER)
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):  # xlsx numeric cell: its shortest repr is what the user typed
        if not math.isfinite(text):
            raise CellError(A_FINITE_NUMBER)
        value = Decimal(repr(text))
    else:
        s = str(text).translate(_NUMBER_NOISE)
        if s.startswith("(") and s.endswith(")"):  # accounting negative
            s = "-" + s[1:-1]
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        whole, _dot, fraction = (s[1:] if s[:1] in "+-" else s).partition(".")
        if not (s.isascii() and (whole.isdigit() or (not whole and fraction)) and (not fraction or fraction.isdigit())):
            raise CellError(A_NUMBER_EXAMPLE)
        value = Decimal(s)
        if value.adjusted() >= _BEYOND_EVERY_BOUND:
            return value
        if places is not None and len(fraction) > places and fraction[places:].strip("0"):
            raise CellError(at_most_places(places))
        return value
    if value.adjusted() >= _BEYOND_EVERY_BOUND:
        return value
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise CellError(at_most_places(places))
    return value


def parse_int(text: Any) -> int:
    try:
        value = parse_decimal(text)
    except CellError:
        raise CellError(A_WHOLE_NUMBER) from None
    if value != value.to_integral_value():
        raise CellError(A_WHOLE_NUMBER)
    return int(value)


def parse_date(text: Any) -> dt.date:
    """`dd/mm/yyyy` (French), also `dd/mm/yy`, `dd-mm-yyyy` and ISO `yyyy-mm-dd`; xlsx date cells."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    return _parse_date_text(str(text).strip())


@functools.lru_cache(maxsize=8192)
def _parse_date_text(s: str) -> dt.date:
    """Dates repeat a lot in a file (as-of, due dates): each distinct text is parsed once."""
    parts = s.split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdigit() for p in parts):  # the common case, fast
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise CellError(A_DATE) from None
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise CellError(A_DATE)


def parse_bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    s = str(text).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(YES_OR_NO)


class Refused:
    """A cell its column refused; `expected` says what the column takes."""

    __slots__ = ("expected",)

    def __init__(self, expected: Text):
        self.expected = expected


def _parse_one(column: Column, cell: Any) -> Any:
    try:
        return column.parse(cell)
    except CellError as err:
        return Refused(err.message)


# number cells once the noise is gone, the common way: digits, a decimal comma, a sign (one cell per line)
_PLAIN_NUMBER_CELLS = re.compile(r"[0-9,+\-\n]*")
_PLACES = {"int": 0, "money": 2, "decimal": 4}
_COMMA_TO_DOT = operator.methodcaller("replace", ",", ".")


_NUMBER_NOISE_PAIRS = tuple((chr(code), to or "") for code, to in _NUMBER_NOISE.items())


def _plain_numbers(kind: str, cells: list[str]) -> list | None:
    """The numbers of a column whose every cell, once the noise is gone, is a plain number column.parse takes
    (digits, a decimal comma, a sign, no more decimals than kept), by C-level passes over the column; None when any
    cell is in another shape."""
    joined = "\n".join(cells)
    for char, to in _NUMBER_NOISE_PAIRS:  # the same as str.translate(_NUMBER_NOISE) cell by cell, 5 times faster
        if char in joined:
            joined = joined.replace(char, to)
    cleaned = joined.split("\n")
    if len(cleaned) != len(cells) or not _PLAIN_NUMBER_CELLS.fullmatch(joined):
        return None
    try:
        if kind == "int":
            return list(map(int, cleaned))
        values = list(map(Decimal, map(_COMMA_TO_DOT, cleaned)))  # an empty or malformed cell raises
    except (ValueError, ArithmeticError):
        return None
    scaled = list(map(Decimal.scaleb, values, itertools.repeat(_PLACES[kind])))
    return values if list(map(int, scaled)) == scaled else None  # a cell with more decimals than kept


def parse_cells(column: Column, cells: list) -> list:
    """`column.parse` over a whole column: each value, or a `Refused` for a cell the column refuses, with the same
    values and messages as `column.parse`. A CSV file's column is parsed in bulk: each distinct cell once where
    cells repeat (dates, codes, choices), the commonest shape of a text or number cell by C-level passes; any other
    cell goes through `column.parse`."""
    if set(map(type, cells)) != {str}:  # workbook cells (numbers, dates, None) or missing cells: one by one
        return [_parse_one(column, cell) for cell in cells]
    distinct = set(cells)
    if column.kind in ("date", "choice", "bool") or len(distinct) * 4 <= len(cells):
        parsed = {cell: _parse_one(column, cell) for cell in distinct}
        return list(map(parsed.__getitem__, cells))
    if column.kind == "text":
        values = list(map(str.strip, cells))
        limit = column.longest
        if "" in values or max(map(len, values)) > limit or "\n'" in "\n" + "\n".join(values):
            return [
                v if v and len(v) <= limit and v[0] != "'" else _parse_one(column, cell)
                for v, cell in zip(values, cells, strict=True)
            ]
        return values
    if column.kind in _PLACES:
        values = _plain_numbers(column.kind, cells)
        if values is None or not values:
            return [_parse_one(column, cell) for cell in cells]
        low, high = min(values), max(values)
        bound = NUMBER_LIMITS[column.kind]
        if high >= bound or low <= -bound or (column.minimum is not None and low < column.minimum):
            return [_parse_one(column, cell) for cell in cells]
        return values
    return [_parse_one(column, cell) for cell in cells]
