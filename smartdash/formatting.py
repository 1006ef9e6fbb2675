"""The one place values become text: French first (`1 234 567 €`, `1,5 M€`, `12,4 %`, `12 mars 2024`).

Built on babel's CLDR data; French grouping uses the narrow no-break space, so a figure never
wraps in the middle. A negative figure takes the typographic minus sign (U+2212 `−`), in both
languages, the same on pages, slides and table downloads; a change of a rate is in points (`−0,3 pt`).
Files meant to be loaded back (dataset exports) are written by `formats.write_csv`, not here.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
NBSP = "\u00a0"
MINUS = "\u2212"


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    """Parsed once: a page formats dozens of figures, and babel parses a locale name at every call."""
    return Locale.parse(LOCALES.get(lang, "fr_FR"))


@lru_cache(maxsize=16)
def _pattern(places: int):
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def _absent(value) -> bool:
    """No figure to show: None, and what a missing value becomes on the way (NaN, pandas' NA, infinities)."""
    if value is None:
        return True
    pandas = sys.modules.get("pandas")  # pandas' NA and NaT exist only once pandas is imported (a command may not)
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return True
    if isinstance(value, Decimal):
        return not value.is_finite()
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return not math.isfinite(value)
    return False


def _decimal(value) -> Decimal:
    """Decimals stay exact; ints (also numpy's) convert exactly; floats only ever come from display code."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


def number(value: Decimal | int | None, *, lang: str = "fr", places: int = 0) -> str:
    """`20 077`, `2 297,5`."""
    if _absent(value):
        return "—"
    return _number(_decimal(value), lang, places)


@lru_cache(maxsize=8192)
def _number(value: Decimal, lang: str, places: int) -> str:
    """Kept: every page run of every member formats the same figures again (babel: 6 µs a figure, 10 × the lookup). Equal
    decimals (1 and 1.0) are one entry, and read the same once rounded to `places`."""
    text = _pattern(places).apply(value, _locale(lang))
    if not text.startswith("-"):
        return text
    # −0,04 shown with one decimal is 0,0: a sign in front of zero would say something that is not there
    return text[1:] if not text.strip("-0.,\u202f\u00a0") else MINUS + text[1:]


def money(value: Decimal | int | None, *, lang: str = "fr", places: int = 0) -> str:
    """`1 234 567 €` (French) or `€1,234,567` (English)."""
    if _absent(value):
        return "—"
    text = number(value, lang=lang, places=places)
    if lang == "en":
        return f"{MINUS}€{text[1:]}" if text.startswith(MINUS) else f"€{text}"
    return f"{text}{NBSP}€"


def money_compact(value: Decimal | int | None, *, lang: str = "fr") -> str:
    """`1,5 M€`, `250 k€`, `950 €`: for tiles and axis labels."""
    if _absent(value):
        return "—"
    value = _decimal(value)
    for factor, suffix in ((Decimal(1_000_000), "M€"), (Decimal(1_000), "k€")):
        if abs(value) >= factor:
            scaled = value / factor
            # 1,25 M€ keeps the figure a document printed; 23,7 M€ is enough for larger amounts
            places = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            scaled = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
            places = max(0, -scaled.as_tuple().exponent)
            text = number(scaled, lang=lang, places=places)
            return f"{text}{NBSP}{suffix}"
    return money(value, lang=lang)


def percent(points: Decimal | int | None, *, lang: str = "fr", places: int = 1) -> str:
    """A value in percentage points: 12.4 → `12,4 %`."""
    if _absent(points):
        return "—"
    text = number(points, lang=lang, places=places)
    return f"{text}{NBSP}%" if lang == "fr" else f"{text}%"


def points(value: Decimal | int | None, *, lang: str = "fr", places: int = 1) -> str:
    """A change of a rate, in percentage points and signed: `+1,2 pt`, `−0,3 pt` (`pp` in English)."""
    if _absent(value):
        return "—"
    return _signed(number(value, lang=lang, places=places)) + NBSP + ("pt" if lang == "fr" else "pp")


def relative(pct: Decimal | int | None, *, lang: str = "fr", places: int = 1) -> str:
    """A relative change in %, signed: `+4,2 %`, `−12,5 %` (a gap to plan as a share of the plan)."""
    return "—" if _absent(pct) else _signed(percent(pct, lang=lang, places=places))


def change(v: Decimal | int | None, unit: str, *, lang: str = "fr", compact: bool = True) -> str:
    """A change of a value in its indicator's unit, signed: `+1,2 M€`, `−35 j`; a rate's change in points."""
    if _absent(v):
        return ""
    if unit == "percent":
        return points(v, lang=lang)
    return _signed(value(v, unit, lang=lang, compact=compact))


def _signed(text: str) -> str:
    """A formatted figure with its sign: `−` already there, else `+` — none on a figure shown as zero."""
    if text.startswith(MINUS) or not any(c in "123456789" for c in text):
        return text
    return "+" + text


def ratio(value: Decimal | None, *, lang: str = "fr", places: int = 2) -> str:
    """`0,97`."""
    return number(value, lang=lang, places=places)


def date_long(day: dt.date | None, *, lang: str = "fr") -> str:
    """`12 mars 2024` / `12 March 2024`."""
    if _absent(day):
        return "—"
    return format_date(day, format="d MMMM y", locale=_locale(lang))


def date_short(day: dt.date | None) -> str:
    """`31/12/2025` (both languages: the committee's documents write dates this way)."""
    return "—" if _absent(day) else day.strftime("%d/%m/%Y")


def value(v: Decimal | int | None, unit: str, *, lang: str = "fr", compact: bool = False) -> str:
    """A value in an indicator's unit."""
    if unit == "EUR":
        return money_compact(v, lang=lang) if compact else money(v, lang=lang)
    if unit == "percent":
        return percent(v, lang=lang)
    if unit == "ratio":
        return ratio(v, lang=lang)
    if unit in ("FTE", "months"):
        return number(v, lang=lang, places=1)
    if unit == "year":
        return "—" if _absent(v) else str(int(v))
    suffix = {"days": " j" if lang == "fr" else " d", "hours": " h"}.get(unit, "")
    return number(v, lang=lang) + ("" if _absent(v) else suffix.replace(" ", NBSP))


@dataclass(frozen=True)
class Shown:
    """A figure kept as data until it is shown: `Shown("money", v)` renders as `money(v, lang=…)` in the reader's
    language. A view puts these in a message's parameters (`i18n.Text`) so that it never formats for one language."""

    kind: str  # money / money_compact / ratio / date_long / date_short / number / percent / points / relative
    value: object
    options: tuple[tuple[str, object], ...] = ()

    def render(self, lang: str) -> str:
        if self.kind == "date_short":
            return date_short(self.value)
        return SHOWN_KINDS[self.kind](self.value, lang=lang, **dict(self.options))


SHOWN_KINDS = {
    "money": money,
    "money_compact": money_compact,
    "ratio": ratio,
    "date_long": date_long,
    "number": number,
    "percent": percent,
    "points": points,
    "relative": relative,
    "change": change,
    "value": value,
}


def shown(kind: str, value: object, **options: object) -> Shown:
    """`Shown(kind, value)` in one call, with formatting options (`places=2`)."""
    return Shown(kind, value, tuple(sorted(options.items())))
