"""Charts declared once: the builder of smartdash.charts a chart is drawn with, the frame it draws and the words it
says (title, legend, reference line). The page, the deck and the dossier read the same declaration, so a chart's
wording cannot drift between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from smartdash import charts
from smartdash.i18n import _
from smartdash.present import equity as equity_text
from smartdash.views import equity as equity_views
from smartdash.views import people as people_views


@dataclass(frozen=True)
class ChartSpec:
    """One chart: `build` (a builder of smartdash.charts), `frame(subject, lang)` the rows it draws, `options(subject,
    lang)` its other arguments in the reader's language (`title` always among them). `subject` is what its section
    reads the chart from: a view, or a view with the part of it shown."""

    key: str
    build: Callable[..., alt.TopLevelMixin]
    frame: Callable[[Any, str], pd.DataFrame]
    options: Callable[[Any, str], dict]

    def chart(self, subject: Any, lang: str, **overrides) -> alt.TopLevelMixin:
        """The chart as the pages draw it; `overrides` replace options (a slide whose title is the chart's)."""
        return self.build(self.frame(subject, lang), lang=lang, **{**self.options(subject, lang), **overrides})


def _per_adviser_options(view: people_views.MembershipView, lang: str) -> dict:
    return {
        "category": "office",
        "unit": "count",
        "highlight": "stands_out",  # metrics.people.stands_out: at least twice the offices' median
        "highlight_label": (_(lang, "typical"), _(lang, "≥ 2 × the median")),
        "reference": view.median_per_adviser,
        "reference_label": _(lang, "median"),
        "title": _(lang, "Members per adviser, per office"),
    }


MEMBERS_PER_ADVISER = ChartSpec(
    "members_per_adviser", charts.horizontal_bars, lambda view, _lang: people_views.per_adviser_frame(view), _per_adviser_options
)


@dataclass(frozen=True)
class BridgeShown:
    """An entity's equity bridge of one year: the subject of `EQUITY_BRIDGE`."""

    view: equity_views.EquityView
    year: int
    name: str


def _bridge_frame(shown: BridgeShown, lang: str) -> pd.DataFrame:
    bridge = shown.view.bridge(shown.year)
    # the page's steps ("unexplained" included), each carrying the origin of the actual figures it is computed from
    return shown.view.actual_origin.flag(equity_views.bridge_frame(bridge, equity_text.bridge_labels(bridge, lang)))


def _bridge_options(shown: BridgeShown, lang: str) -> dict:
    return {"title": _(lang, "Equity bridge {year} — {name} (€)", year=shown.year, name=shown.name)}


EQUITY_BRIDGE = ChartSpec("equity_bridge", charts.waterfall_chart, _bridge_frame, _bridge_options)
