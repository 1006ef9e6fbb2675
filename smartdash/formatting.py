"""The one place values become text: French first (`1 234 567 €`, `1,5 M€`, `12,4 %`, `12 mars 2024`).

Built on babel's CLDR data; French grouping uses the narrow no-break space, so a figure never
wraps in the middle.
"""

from __future__ import annotations

import datetime as dt
import numbers
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
NBSP = "\u00a0"


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "fr_FR")


def _decimal(value) -> Decimal:
    """Decimals stay exact; ints (also numpy's) convert exactly; floats only ever come from display code."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


def number(value: Decimal | int | None, *, lang: str = "fr", places: int = 0) -> str:
    """`20 077`, `2 297,5`."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(_decimal(value), format=pattern, locale=_locale(lang))


def money(value: Decimal | int | None, *, lang: str = "fr", places: int = 0) -> str:
    """`1 234 567 €` (French) or `€1,234,567` (English)."""
    if value is None:
        return "—"
    text = number(value, lang=lang, places=places)
    if lang == "en":
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}{NBSP}€"


def money_compact(value: Decimal | int | None, *, lang: str = "fr") -> str:
    """`1,5 M€`, `250 k€`, `950 €`: for tiles and axis labels."""
    if value is None:
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
    if points is None:
        return "—"
    text = number(points, lang=lang, places=places)
    return f"{text}{NBSP}%" if lang == "fr" else f"{text}%"


def ratio(value: Decimal | None, *, lang: str = "fr", places: int = 2) -> str:
    """`0,97`."""
    return number(value, lang=lang, places=places)


def date_long(day: dt.date | None, *, lang: str = "fr") -> str:
    """`12 mars 2024` / `12 March 2024`."""
    if day is None:
        return "—"
    return format_date(day, format="d MMMM y", locale=_locale(lang))


def date_short(day: dt.date | None) -> str:
    """`31/12/2025` (both languages: the committee's documents write dates this way)."""
    return "—" if day is None else day.strftime("%d/%m/%Y")


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
        return str(int(v)) if v is not None else "—"
    suffix = {"days": " j" if lang == "fr" else " d", "hours": " h"}.get(unit, "")
    return number(v, lang=lang) + (suffix.replace(" ", NBSP) if v is not None else "")
