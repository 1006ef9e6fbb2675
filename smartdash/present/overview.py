"""The overview in the reader's language: each tile's label and comparison, the attention list's messages."""

from __future__ import annotations

from babel.dates import format_date

from smartdash import formatting
from smartdash.i18n import _
from smartdash.views.overview import Attention, Tile


def tile_label(tile: Tile, lang: str) -> str:
    """The indicator's label as the catalogue gives it in the reader's language."""
    return tile.labels.render(lang)


def period_text(tile: Tile, lang: str, *, short: bool = False) -> str:
    """The period the tile's figure covers: "mois de novembre 2023" for a month's flow (turnover, margin), never a
    bare date that reads as a year to date; "au 31 décembre 2023" otherwise. `short` for a table's cell."""
    day = tile.period_end
    if day is not None and tile.frequency == "monthly":
        if short:
            return _(lang, "{month} (month)", month=day.strftime("%m/%Y"))
        return _(lang, "month of {month}", month=format_date(day, format="MMMM y", locale=formatting.LOCALES.get(lang, "fr_FR")))
    if short:
        return formatting.date_short(day)
    return _(lang, "as of ") + formatting.date_long(day, lang=lang)


def compare_text(tile: Tile, lang: str) -> str:
    """What the tile's change is measured from: the plan, the last meeting (with its date), the previous period."""
    if tile.compare == "plan":
        return _(lang, "plan")
    if tile.compare == "meeting":
        day = f" ({formatting.date_long(tile.meeting_day, lang=lang)})" if tile.meeting_day else ""
        return _(lang, "last meeting") + day
    return _(lang, "previous period")


def attention_text(item: Attention, lang: str) -> str:
    """An attention item's message in the reader's language."""
    return item.text.render(lang)
