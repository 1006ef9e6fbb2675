"""Charts declared once: the builder of smartdash.charts a chart is drawn with, the frame it draws and the words it
says (title, legend, reference line). The page, the deck and the dossier read the same declaration, so a chart's
wording cannot drift between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from smartdash import charts
from smartdash.i18n import _
from smartdash.present import equity as equity_text
from smartdash.present import execution as execution_text
from smartdash.present import funding as funding_text
from smartdash.present import people as people_text
from smartdash.present import receivables as receivables_text
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views


@dataclass(frozen=True)
class NativeSeries:
    """One series of a native (editable) chart: its name, one value per category (None: no point there), its colour
    (hex), which of its points are generated, whether it is a reference line (drawn dashed, without markers) and
    whether it is dashed (a plan, as the pages draw it)."""

    name: str
    values: list
    colour: str
    synthetic: list[bool]
    reference: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class NativeChart:
    """What the deck's native chart of a `ChartSpec` draws: the chart's title, its categories (with `periods`, the
    years or dates behind them, for a chart over time), its series and the unit of its values."""

    title: str
    categories: list
    series: list[NativeSeries]
    unit: str
    periods: list | None = None


def _over_time(frame: pd.DataFrame) -> tuple[list, list, list]:
    """(keys of the frame's rows, categories, periods) of a frame dated by `period_end`: years when every date is a
    year's end (as the pages' charts read them), else months."""
    dates = sorted(set(frame["period_end"]))
    if dates and all(d.month == 12 and d.day == 31 for d in dates):
        return dates, [str(d.year) for d in dates], [d.year for d in dates]
    return dates, [d.strftime("%m/%Y") for d in dates], dates


@dataclass(frozen=True)
class ChartSpec:
    """One chart: `builder` (the name of a builder of smartdash.charts, looked up there when it draws, so that
    whatever wraps the builders sees it), `frame(subject, lang)` the rows it draws, `options(subject, lang)` its other
    arguments in the reader's language (`title` always among them). `subject` is what its section reads the chart
    from: a view, or a view with the part of it shown.

    `x` names the frame's column of categories ("period_end": a chart over time, "year": by year) and `colours` the colours of its
    series in their order (the pages' palette by default): with them, `native` gives the deck the same chart, or
    `native_of(spec, subject, lang)` when its series are not the frame's `series` column. `picture`: the deck shows
    it as an image (no native chart draws it)."""

    key: str
    builder: str
    frame: Callable[[Any, str], pd.DataFrame]
    options: Callable[[Any, str], dict]
    x: str | None = None
    unit: str | None = None
    colours: tuple[str, ...] = field(default_factory=lambda: tuple(charts.PALETTE))
    native_of: Callable[[ChartSpec, Any, str], NativeChart] | None = None
    dated: bool = False  # over time at irregular dates: the native chart's categories are the dates themselves
    picture: bool = False

    @property
    def build(self) -> Callable[..., alt.TopLevelMixin]:
        """The builder of smartdash.charts the chart is drawn with."""
        return getattr(charts, self.builder)

    def chart(self, subject: Any, lang: str, **overrides) -> alt.TopLevelMixin:
        """The chart as the pages draw it; `overrides` replace options (a slide whose title is the chart's)."""
        return self.build(self.frame(subject, lang), lang=lang, **{**self.options(subject, lang), **overrides})

    def native(self, subject: Any, lang: str) -> NativeChart:
        """The same chart for a native chart of the deck: one series per name of the frame's `series` column (one
        series named as the chart when it has none), in the frame's order, its values at the frame's categories; the
        reference lines of the options (`rules`, `target`) as constant series after them."""
        if self.native_of is not None:
            return self.native_of(self, subject, lang)
        frame, options = self.frame(subject, lang), self.options(subject, lang)
        if self.x == "period_end" and self.dated:
            keys = categories = periods = sorted(set(frame["period_end"]))
        elif self.x == "period_end":
            keys, categories, periods = _over_time(frame)
        elif self.x == "year":  # by year: the years in order, as the categories and the periods of its text alternative
            keys = periods = sorted(set(frame["year"]))
            categories = [str(year) for year in keys]
        else:
            keys = categories = list(dict.fromkeys(frame[self.x]))
            periods = None
        groups = frame.groupby("series", sort=False) if "series" in frame.columns else [(options["title"], frame)]
        series = []
        for (name, part), colour in zip(groups, self.colours, strict=False):
            values = dict(zip(part[self.x], part["value"], strict=True))
            flags = dict(zip(part[self.x], part["is_synthetic"], strict=True)) if "is_synthetic" in part else {}
            dashed = "dashed" in part and len(part) > 0 and bool(part["dashed"].all())
            series.append(
                NativeSeries(
                    str(name), [values.get(k) for k in keys], colour, [bool(flags.get(k, False)) for k in keys], dashed=dashed
                )
            )
        references = list(options.get("rules") or [])
        if options.get("target") is not None:
            references.append((options["target"], options.get("target_label", ""), charts.PLAN_COLOUR))
        series += [
            NativeSeries(label, [level] * len(keys), colour.lstrip("#"), [False] * len(keys), reference=True)
            for level, label, colour in references
        ]
        unit = options.get("unit", self.unit)
        return NativeChart(options["title"], categories, series, unit, periods)


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


def _per_adviser_native(spec: ChartSpec, view: people_views.MembershipView, lang: str) -> NativeChart:
    """The offices from the most members per adviser down, each bar in the series of its flag, in the page's colours
    (a native chart colours by series)."""
    options = spec.options(view, lang)
    rows = spec.frame(view, lang).sort_values("value", ascending=False)
    flagged = [bool(f) for f in rows[options["highlight"]]]
    synthetic = [bool(f) for f in rows["is_synthetic"]]
    series = [
        NativeSeries(label, [v if f is wanted else None for v, f in zip(rows["value"], flagged, strict=True)], colour, synthetic)
        for label, wanted, colour in zip(
            options["highlight_label"], (False, True), (charts.PALETTE[0], charts.PALETTE[1]), strict=True
        )
    ]
    return NativeChart(options["title"], list(rows[options["category"]]), series, options["unit"])


MEMBERS_PER_ADVISER = ChartSpec(
    "members_per_adviser",
    "horizontal_bars",
    lambda view, _lang: people_views.per_adviser_frame(view),
    _per_adviser_options,
    native_of=_per_adviser_native,
)


def _trajectory_options(view: equity_views.EquityView, lang: str) -> dict:
    rules = [(0, _(lang, "zero"), charts.PLAN_COLOUR)]
    if view.half_capital is not None:  # French law only
        rules.append(
            (
                view.half_capital,
                view.half_capital_origin.label(
                    _(lang, "½ share capital (L225-248 / L223-42) — informative under a plan (L626-3)"), lang
                ),
                "#7B5EA7",
            )
        )
    return {"unit": "EUR", "rules": rules, "title": _(lang, "{name} equity, actual and plan (€)", name=view.entity_name)}


EQUITY_TRAJECTORY = ChartSpec(  # an entity's equity, actual and plan, by year; subject: its EquityView
    "equity_trajectory", "trajectory_chart", equity_text.trajectory_labelled, _trajectory_options, x="period_end"
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


EQUITY_BRIDGE = ChartSpec("equity_bridge", "waterfall_chart", _bridge_frame, _bridge_options, picture=True)


def _coverage_frame(view: funding_views.FundingView, lang: str) -> pd.DataFrame:
    names = view.names | {"__total__": funding_text.total_name(view, lang)}
    return funding_text.coverage_frame(view, names, lang, to_date_only=True)  # the plan's end is in the tiles, apart


def _coverage_options(_view: funding_views.FundingView, lang: str) -> dict:
    return {
        "x": "entity",
        "unit": "ratio",
        "colour_by": "series",
        "target": 1,
        "target_label": _(lang, "rule: 1.0 (judged for the group)"),
        "title": _(lang, "1+1 coverage, planned and achieved to date (ratio)"),
    }


COVERAGE = ChartSpec(  # the 1+1 coverage, planned and achieved to the same date, per entity; subject: the FundingView
    "funding_coverage", "bars_with_target", _coverage_frame, _coverage_options, x="entity"
)


@dataclass(frozen=True)
class HeadcountShown:
    """One population's headcount of a `HeadcountView` ("members" or "staff"): the subject of `HEADCOUNT`."""

    view: people_views.HeadcountView
    population: str


def _headcount_options(shown: HeadcountShown, lang: str) -> dict:
    label = people_text.population_labels(lang)[shown.population]
    return {"unit": "count", "title": _(lang, "{label}: headcount and FTE (people)", label=label)}


HEADCOUNT = ChartSpec(  # a population's headcount (solid) and FTE (dashed) over time; subject: a HeadcountShown
    "headcount",
    "trajectory_chart",
    lambda shown, lang: people_text.headcount_lines(shown.view, shown.population, lang),
    _headcount_options,
    x="period_end",
)


def _dso_options(view: receivables_views.ReceivablesView, lang: str) -> dict:
    return {
        "unit": "days",
        "rules": receivables_text.dso_rules(view, lang),
        "title": _(lang, "DSO per snapshot, against the legal payment term (days)"),
    }


DSO = ChartSpec(  # the DSO of each snapshot against the legal payment terms; subject: the entity's ReceivablesView
    "receivables_dso", "trajectory_chart", receivables_text.dso_lines, _dso_options, x="period_end", dated=True
)


def _ageing_options(_view: receivables_views.ReceivablesView, lang: str) -> dict:
    return {"order": list(receivables_text.bucket_labels(lang).values()), "title": _(lang, "Open amount by age (€)")}


AGEING = ChartSpec(  # the open amount of a snapshot by age; subject: the entity's ReceivablesView
    "receivables_ageing",
    "ageing_bars",
    receivables_text.ageing_frame,
    _ageing_options,
    x="bucket",
    unit="EUR",
    colours=(charts.AGEING_COLOURS[3],),
)


@dataclass(frozen=True)
class InstalmentsShown:
    """The plan's instalments due and paid per year of one entity (`name`, its `ExecutionView.by_year`) or of every
    entity under the plan added up (`name` None, `views.execution.by_year_together`): the subject of
    `EXECUTION_INSTALMENTS`."""

    by_year: pd.DataFrame
    name: str | None = None

    @classmethod
    def of(cls, view: execution_views.ExecutionView) -> InstalmentsShown:
        return cls(view.by_year, view.entity_name)

    @classmethod
    def together(cls, views: list[execution_views.ExecutionView]) -> InstalmentsShown:
        return cls(execution_views.by_year_together([v.by_year for v in views]))


def _instalments_options(shown: InstalmentsShown, lang: str) -> dict:
    name = shown.name if shown.name is not None else _(lang, "all entities under the plan")
    return {
        "x": "year",
        "unit": "EUR",
        "colour_by": "series",
        "title": _(lang, "Instalments due and paid per year — {name} (€)", name=name),
    }


EXECUTION_INSTALMENTS = ChartSpec(  # the instalments due and paid per year; subject: an InstalmentsShown
    "execution_instalments",
    "bars_with_target",
    lambda shown, lang: execution_text.by_year_labelled(shown.by_year, lang),
    _instalments_options,
    x="year",
)
