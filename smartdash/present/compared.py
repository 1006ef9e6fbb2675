"""A figure set beside the sidebar's comparison point, in the reader's language: its change and what it is measured
from, with the date (the equity, headcount and receivables tiles; the overview's tiles say theirs in overview.py)."""

from __future__ import annotations

from smartdash import formatting
from smartdash.i18n import _
from smartdash.views import Compared


def change_text(c: Compared | None, unit: str, lang: str) -> str | None:
    """The change since the comparison point, signed, in the figure's unit (`+343,5 k€`, `−15`); None without one."""
    if c is None or c.change is None:
        return None
    return formatting.change(c.change, unit, lang=lang, compact=True) or None


def change_colour(c: Compared | None, direction: str = "up") -> str:
    """The change's colour: green when it goes the figure's favourable way (`direction` "up" or "down"), red
    otherwise, grey without a change or for a figure that has no favourable way (`direction` "")."""
    change = None if c is None else c.change
    if not change or not direction:
        return "gray"
    return "green" if (change > 0) == (direction == "up") else "red"


def basis_text(c: Compared | None, lang: str) -> str:
    """What the change is measured from, with its date, short enough for a tile's line: `période précédente
    (30/09/2026)`, `dernière réunion (chiffres au 31/08/2026)`, `plan au 31/12/2025`, or that there is nothing there."""
    if c is None:
        return _(lang, "no earlier figure to compare with")
    if c.then is None:
        if c.basis == "plan":
            return _(lang, "the plan gives no figure for this date")
        if c.basis == "meeting" and c.meeting_day is None:
            return _(lang, "no meeting held by this date")
        return _(lang, "no earlier figure to compare with")
    day = formatting.date_short(c.day)
    if c.basis == "plan":
        return _(lang, "plan for {day}", day=day)
    if c.basis == "meeting":
        return _(lang, "last meeting (figures as of {day})", day=formatting.date_short(c.meeting_day))
    if c.basis == "year":
        return _(lang, "same period last year ({day})", day=day)
    return _(lang, "previous period ({day})", day=day)


def change_arrow(c: Compared | None) -> str:
    """The change's arrow, set from the figure rather than from the text (whose minus sign, U+2212, is not a hyphen)."""
    change = None if c is None else c.change
    return "off" if not change else "up" if change > 0 else "down"
