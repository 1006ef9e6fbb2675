"""Equity trajectory: actual against the plan's path, the bridge of a year, break-even, the pace."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.metrics.equity import (
    Bridge,
    equity_bridge,
    first_plan_year_positive,
    half_share_capital,
    year_equity_turns_positive,
)
from smartdash.provenance import Provenance
from smartdash.views import Filters, pick, sources_of

BRIDGE_CODES = ["EQUITY", "NET_RESULT", "CAPITAL_PAID_IN", "SHARES_REPAID", "OTHER_EQUITY_MOVEMENTS"]


@dataclass(frozen=True)
class EquityView:
    entity: str
    entity_name: str
    trajectory: pd.DataFrame  # period_end, value (€), series, dashed
    results: pd.DataFrame  # year, value (€), series
    bridge_years: list[int]
    half_capital: Decimal | None
    latest_equity: Decimal | None
    latest_quasi_equity: Decimal | None
    latest_date: object
    plan_positive_year: int | None
    pace_positive_year: int | None
    break_even_year: int | None
    is_synthetic: bool
    sources: list[str]
    values: dict[str, dict[int, Decimal]]

    def bridge(self, year: int) -> Bridge | None:
        return equity_bridge(self.values, year)

    @property
    def actual_origin(self) -> Provenance:
        """Where the actual (booked) figures come from: the equity line, the bridge and the pace rest on them."""
        t = self.trajectory
        return Provenance.of_frame(t[~t["dashed"].astype(bool)]) if not t.empty else Provenance()


def _by_year(frame: pd.DataFrame, code: str) -> dict[int, Decimal]:
    part = frame[frame["indicator"] == code]
    return {d.year: v for d, v in zip(part["period_end"], part["value"], strict=True) if d.month == 12 and d.day == 31}


def _origin_by_year(frame: pd.DataFrame, code: str) -> dict[int, tuple[bool, str | None]]:
    """(is_synthetic, source) of the year-end values of an indicator, by year (as `_by_year` picks them)."""
    part = frame[frame["indicator"] == code]
    return {d.year: (bool(f), s) for d, f, s in zip(part["period_end"], part["is_synthetic"], part["source"],
                                                     strict=True) if d.month == 12 and d.day == 31}


def original_version(*, session: Session) -> str | None:
    """The first plan version (the plan as adopted)."""
    versions = queries.plan_versions(session=session)
    return None if versions.empty else versions.iloc[-1]["code"]


def equity_view(*, session: Session, filters: Filters, entity: str, entity_name: str) -> EquityView:
    """Everything the equity page shows for one entity, up to the as-of date."""
    lang = filters.lang
    actual = queries.observations(session=session, indicators=BRIDGE_CODES + ["SHARE_CAPITAL", "QUASI_EQUITY"],
                                  entities=[entity], until=filters.as_of)
    plan = (queries.observations(session=session, indicators=["EQUITY", "NET_RESULT"], entities=[entity],
                                 scenario="plan", plan_version=filters.plan_version)
            if filters.plan_version else actual.iloc[0:0])
    original = original_version(session=session)
    first = (queries.observations(session=session, indicators=["EQUITY"], entities=[entity], scenario="plan",
                                  plan_version=original)
             if original and original != filters.plan_version else actual.iloc[0:0])
    parts = []
    for frame, name, dashed in (
        (actual, pick(lang, "Réel", "Actual"), False),
        (plan, pick(lang, f"Plan ({filters.plan_version})", f"Plan ({filters.plan_version})"), True),
        (first, pick(lang, f"Plan initial ({original})", f"Original plan ({original})"), True),
    ):
        eq = frame[frame["indicator"] == "EQUITY"]
        parts.append(pd.DataFrame({"period_end": eq["period_end"], "value": eq["value"], "series": name,
                                   "dashed": dashed, "is_synthetic": eq["is_synthetic"], "source": eq["source"]}))
    trajectory = pd.concat(parts, ignore_index=True)
    results = pd.concat([
        pd.DataFrame({"year": list(d), "value": list(d.values()), "series": name,
                      "is_synthetic": [origin[y][0] for y in d], "source": [origin[y][1] for y in d]})
        for d, origin, name in ((_by_year(actual, "NET_RESULT"), _origin_by_year(actual, "NET_RESULT"),
                                 pick(lang, "Réel", "Actual")),
                                (_by_year(plan, "NET_RESULT"), _origin_by_year(plan, "NET_RESULT"), pick(lang, "Plan",
                                                                                                        "Plan")))
    ], ignore_index=True)
    values = {code: _by_year(actual, code) for code in BRIDGE_CODES}
    equity = values["EQUITY"]
    capital = _by_year(actual, "SHARE_CAPITAL")
    quasi = _by_year(actual, "QUASI_EQUITY")
    plan_result = _by_year(plan, "NET_RESULT")
    shown = actual[actual["indicator"].isin(["EQUITY", "NET_RESULT", "QUASI_EQUITY"])]
    return EquityView(
        entity=entity,
        entity_name=entity_name,
        trajectory=trajectory,
        results=results,
        bridge_years=sorted(y for y in equity if y - 1 in equity),
        half_capital=half_share_capital(capital[max(capital)]) if capital else None,
        latest_equity=equity[max(equity)] if equity else None,
        latest_quasi_equity=quasi[max(quasi)] if quasi else None,
        latest_date=max(equity) if equity else None,
        plan_positive_year=first_plan_year_positive(_by_year(plan, "EQUITY")),
        pace_positive_year=year_equity_turns_positive(equity),
        break_even_year=next((y for y in sorted(plan_result) if plan_result[y] >= 0), None),
        is_synthetic=bool(shown["is_synthetic"].any()),
        sources=sources_of(shown["source"]),
        values=values,
    )


def bridge_frame(bridge: Bridge, labels: dict[str, str]) -> pd.DataFrame:
    """The waterfall's rows: step label, signed amount (€), kind (level / up / down)."""
    steps = bridge.steps()
    return pd.DataFrame({
        "step": [labels[code] for code, _a in steps],
        "amount": [a for _c, a in steps],
        "kind": ["level" if code in ("opening", "closing") else ("up" if a >= 0 else "down") for code, a in steps],
    })
