"""The equity view in the reader's language: series labels, the years the plan and the pace give, the bridge."""

from __future__ import annotations

import pandas as pd

from smartdash.i18n import _
from smartdash.metrics.equity import Bridge
from smartdash.views.equity import EquityView


def series_labels(view: EquityView, lang: str) -> dict[str, str]:
    """The label of each series of `EquityView.trajectory` and `.results`: the plan series name their version."""
    return {
        "actual": _(lang, "Actual"),
        "plan": _(lang, "Plan ({plan_version})", plan_version=view.plan_version),
        "original": _(lang, "Original plan ({original})", original=view.original_version),
    }


def trajectory_labelled(view: EquityView, lang: str) -> pd.DataFrame:
    """`EquityView.trajectory` with each series' label in place of its code."""
    return view.trajectory.assign(series=view.trajectory["series"].map(series_labels(view, lang)))


def results_labelled(view: EquityView, lang: str) -> pd.DataFrame:
    """`EquityView.results` (actual and plan results per year) with each series' label in place of its code."""
    labels = {"actual": _(lang, "Actual"), "plan": _(lang, "Plan")}
    return view.results.assign(series=view.results["series"].map(labels))


def pace_label(view: EquityView, lang: str) -> str:
    """When equity turns positive at the current pace: a year within the plan, "au-delà de 2031", never, already."""
    if view.latest_equity is not None and view.latest_equity >= 0:
        return _(lang, "Already")
    return year_label(view.pace_positive_year, view.plan_end_year, lang, none=_(lang, "Never"))


def plan_positive_label(view: EquityView, lang: str) -> str:
    """The first year-end the plan's path puts equity at or above zero, "au-delà de 2031", or "—" without a plan
    path for this entity."""
    if not view.has_plan:
        return "—"
    if view.plan_never_negative:
        return _(lang, "positive throughout")
    return year_label(view.plan_positive_year, view.plan_end_year, lang, none=None)


def break_even_label(view: EquityView, lang: str) -> str:
    """The break-even year as the plan states it, or that it states none (never a year read off its results)."""
    if view.break_even:
        return str(view.break_even.year)
    return _(lang, "not stated by the plan") if view.has_plan else "—"


def year_label(year: int | None, horizon: int | None, lang: str, *, none: str | None) -> str:
    """A year, or "au-delà de <horizon>" past the plan's horizon (or when the plan never gets there: `none` None)."""
    if year is not None and (horizon is None or year <= horizon):
        return str(year)
    if year is None and none is not None:
        return none
    return _(lang, "beyond {horizon}", horizon=horizon) if horizon else _(lang, "beyond the plan")


def bridge_labels(bridge: Bridge, lang: str) -> dict[str, str]:
    """The waterfall's step labels, short enough for a half-width chart (its title gives the year)."""
    previous = bridge.year - 1
    return {
        "opening": _(lang, "Opening"),
        "net_result": _(lang, "Result"),
        "capital_paid_in": _(lang, "Capital (net change)") if bridge.capital_net else _(lang, "Capital"),
        "shares_repaid": _(lang, "Shares repaid"),
        "reserves": _(lang, "Reserves"),
        "retained": _(lang, "Retained (excl. {previous} result)", previous=previous),
        "other": _(lang, "Other"),
        "unexplained": _(lang, "Unexplained"),
        "closing": _(lang, "Closing") if bridge.booked_closing is not None else _(lang, "Computed closing"),
    }
