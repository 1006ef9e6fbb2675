"""Charts as PNG or SVG, rendered offline by vl-convert with the reader's number and date locale."""

from __future__ import annotations

import json

import altair as alt
import vl_convert as vlc

from smartdash import charts


def _spec(chart: alt.TopLevelMixin | dict, lang: str) -> str:
    """The chart's JSON spec; a spec dict (as the pages draw it) is taken as it is."""
    if isinstance(chart, dict):
        return json.dumps(chart)
    charts.use_language(lang)
    return chart.to_json()


def _locales(lang: str) -> dict:
    locale = charts.theme_config()["config"]["locale"]
    return {"format_locale": locale["number"], "time_format_locale": locale["time"]}


def chart_png(chart: alt.TopLevelMixin | dict, *, lang: str = "fr", scale: float = 2) -> bytes:
    """A high-resolution PNG of a chart (scale 2 by default: sharp on a projector)."""
    spec = _spec(chart, lang)
    return vlc.vegalite_to_png(spec, scale=scale, **_locales(lang))


def chart_svg(chart: alt.TopLevelMixin | dict, *, lang: str = "fr") -> str:
    """The chart as SVG text."""
    spec = _spec(chart, lang)
    return vlc.vegalite_to_svg(spec, **_locales(lang))
