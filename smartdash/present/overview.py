"""The overview in the reader's language: each tile's label and comparison, the attention list's messages."""

from __future__ import annotations

from smartdash import formatting
from smartdash.i18n import _
from smartdash.views.overview import Attention, Tile


def tile_label(tile: Tile, lang: str) -> str:
    """The indicator's label as the catalogue gives it in the reader's language."""
    return tile.labels.render(lang)


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
