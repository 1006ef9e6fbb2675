"""The overview in the reader's language: each tile's label and comparison, the attention list's messages."""

from __future__ import annotations

import pandas as pd
from babel.dates import format_date

from smartdash import formatting
from smartdash.i18n import N_, _, _p
from smartdash.views.overview import Attention, Tile, gap_cell


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
        month = format_date(day, format="MMMM y", locale=formatting.LOCALES.get(lang, "fr_FR"))
        if month[:1].lower() in "aeiouyh":  # « mois d'octobre 2026 », « mois d'août 2026 »: French elides before a vowel
            return _p(lang, "before a vowel", "month of {month}", month=month)
        return _(lang, "month of {month}", month=month)
    if short:
        return formatting.date_short(day)
    return _(lang, "as of {day}", day=formatting.date_long(day, lang=lang))


def compare_text(tile: Tile, lang: str) -> str:
    """What the tile's change is measured from: the plan, the last meeting (with its date), the previous period."""
    if tile.compare == "plan":
        return _(lang, "plan")
    if tile.compare == "meeting":
        day = f" ({formatting.date_long(tile.meeting_day, lang=lang)})" if tile.meeting_day else ""
        return _(lang, "last meeting") + day
    if tile.compare == "year":
        if tile.compare_day is None:
            return _(lang, "same period last year")
        return _(lang, "same period last year ({day})", day=formatting.date_short(tile.compare_day))
    return _(lang, "previous period")


def attention_text(item: Attention, lang: str) -> str:
    """An attention item's message in the reader's language."""
    return item.text.render(lang)


def plan_gap(tile: Tile, lang: str) -> str:
    """The gap to plan of a tile in the reader's language (`−2,03 M€ (base négative)`, `+35 k€ (+12,0 %)`), "—"
    without a plan for its period."""
    cell = gap_cell(tile)
    return "—" if cell is None else cell.render(lang)


def tile_caption(tile: Tile, lang: str) -> str:
    """The line under a tile: the period its value covers, the plan for that period and the gap to it in €, the demo
    mark."""
    parts = [period_text(tile, lang)]
    if tile.plan_value is not None:  # the plan's value for the tile's own period
        parts.append(
            _(
                lang,
                "plan {plan}, gap {gap}",
                plan=formatting.value(tile.plan_value, tile.unit, lang=lang, compact=True),
                gap=plan_gap(tile, lang),
            )
        )
    if tile.is_synthetic:
        parts.append(_(lang, "demo / synthetic"))
    return " · ".join(parts)


STATUS_WORDS = {"green": N_("green"), "amber": N_("amber"), "red": N_("red"), None: N_("no plan")}


def key_figures_table(tiles: list[Tile], lang: str) -> pd.DataFrame:
    """The key indicators at a glance, one row per indicator and one column per entity (three columns fit a tablet's
    width): the value, its status in words and its gap to plan in € first — the overview's first screen, on a
    projector too."""
    entities = list(dict.fromkeys(t.entity_name for t in tiles))
    rows: dict[str, dict[str, str]] = {}
    for t in tiles:
        value = formatting.value(t.value, t.unit, lang=lang, compact=True)
        status = _(lang, STATUS_WORDS[t.status])
        cell = (
            f"{value} · {status}"
            if t.gap is None
            else _(lang, "{value} · {status} · gap {gap}", value=value, status=status, gap=plan_gap(t, lang))
        )
        rows.setdefault(tile_label(t, lang), {})[t.entity_name] = cell
    frame = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=entities).fillna("—")
    frame.index.name = _(lang, "Indicator")
    return frame


def thresholds_phrase(rules, lang: str) -> str:
    """How the statuses shown were judged, read from the catalogue's rules of the indicators shown (`Thresholds` or
    None): their amber and red thresholds when they all share them, else a pointer to each indicator's own."""
    shown = [r for r in rules if r is not None]
    pairs = {(r.amber, r.red) for r in shown if r.mode == "plan"}
    if len(pairs) == 1 and all(r.mode == "plan" for r in shown):
        amber, red = next(iter(pairs))
        if amber is not None and red is not None:
            places = 0 if amber == int(amber) and red == int(red) else 1
            return _(
                lang,
                "thresholds: amber beyond {amber}, red beyond {red} in the unfavourable direction",
                amber=formatting.percent(amber, lang=lang, places=places),
                red=formatting.percent(red, lang=lang, places=places),
            )
    return _(lang, "thresholds: each indicator's own, as the catalogue sets them")
