"""Equity trajectory: actual against the plan's path, the bridge of a year, break-even, the pace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import queries
from smartdash.i18n import Bilingual
from smartdash.metrics.equity import (
    Bridge,
    equity_bridge,
    first_plan_year_positive,
    half_share_capital,
    plan_never_negative,
    year_equity_turns_positive,
)
from smartdash.provenance import Provenance
from smartdash.views import Compared, Filters, compared, sources_of
from smartdash.views.overview import last_meeting_as_of

BRIDGE_CODES = [
    "EQUITY",
    "NET_RESULT",
    "CAPITAL_PAID_IN",
    "SHARES_REPAID",
    "OTHER_EQUITY_MOVEMENTS",
    "SHARE_CAPITAL",
    "RESERVES",
    "RETAINED_EARNINGS",
]


@dataclass(frozen=True)
class StatedTarget:
    """A target as the plan version states it (never inferred from its figures)."""

    value: Decimal
    statement: Bilingual  # the plan's own words, in both languages when the store has them
    source: str | None
    is_synthetic: bool

    @property
    def year(self) -> int:
        return int(self.value)


@dataclass(frozen=True)
class EquityView:
    entity: str
    entity_name: str
    country: str
    trajectory: pd.DataFrame  # period_end, value (€), series (actual / plan / original), dashed, is_synthetic, source
    results: pd.DataFrame  # year, value (€), series (actual / plan), is_synthetic, source
    bridge_years: list[int]
    half_capital: Decimal | None  # None for an entity outside French law
    latest_equity: Decimal | None
    latest_quasi_equity: Decimal | None
    latest_date: object
    plan_at_latest: Decimal | None  # the plan's equity for the same year-end as latest_equity
    plan_at_latest_period: object  # that year-end (None without a plan value for it)
    plan_positive_year: int | None
    pace_positive_year: int | None
    break_even: StatedTarget | None  # as the plan version states it
    plan_end_year: int | None  # the plan's horizon
    plan_equity_years: int  # how many year-ends the plan's equity path gives for this entity
    is_synthetic: bool
    sources: list[str]
    values: dict[str, dict[int, Decimal]]
    plan_version: str | None = None  # the version the "plan" series comes from
    original_version: str | None = None  # the plan as first adopted, the "original" series (when another one)
    plan_never_negative: bool = False  # the plan's path is at or above 0 throughout: no year it "turns" positive
    # each single figure's own origin: the value it shows, not the series around it (a ledger gives one year-end)
    latest_origin: Provenance = Provenance()  # latest_equity's
    quasi_origin: Provenance = Provenance()  # latest_quasi_equity's (its accounts, never equity's)
    half_capital_origin: Provenance = Provenance()  # the share capital half_capital is drawn from
    compared: Compared | None = None  # the latest year-end's equity at the sidebar's comparison point (€)

    def bridge(self, year: int) -> Bridge | None:
        return equity_bridge(self.values, year)

    @property
    def actual_origin(self) -> Provenance:
        """Where the actual (booked) figures come from: the equity line, the bridge and the pace rest on them."""
        t = self.trajectory
        return Provenance.of_frame(t[~t["dashed"].astype(bool)]) if not t.empty else Provenance()

    @property
    def has_plan(self) -> bool:
        """Whether the plan version gives this entity an equity path (SmartCoop, not under the plan, has none)."""
        return self.plan_end_year is not None and self.plan_equity_years > 0


def _by_year(frame: pd.DataFrame, code: str) -> dict[int, Decimal]:
    part = frame[frame["indicator"] == code]
    return {d.year: v for d, v in zip(part["period_end"], part["value"], strict=True) if d.month == 12 and d.day == 31}


def _origin_by_year(frame: pd.DataFrame, code: str) -> dict[int, tuple[bool, str | None]]:
    """(is_synthetic, source) of the year-end values of an indicator, by year (as `_by_year` picks them)."""
    part = frame[frame["indicator"] == code]
    return {
        d.year: (bool(f), s)
        for d, f, s in zip(part["period_end"], part["is_synthetic"], part["source"], strict=True)
        if d.month == 12 and d.day == 31
    }


def original_version(*, session: Session) -> str | None:
    """The first plan version (the plan as adopted)."""
    versions = queries.plan_versions(session=session)
    return None if versions.empty else versions.iloc[-1]["code"]


def stated_target(targets: pd.DataFrame, target: str, entity: str | None) -> StatedTarget | None:
    """A target of one plan version for an entity: its own row, else the row for every entity under the plan."""
    rows = targets[targets["target"] == target]
    own, shared = rows[rows["entity"] == entity], rows[rows["entity"].isna()]
    row = own.iloc[0] if not own.empty else shared.iloc[0] if not shared.empty else None
    if row is None:
        return None
    english = row["statement_en"] if isinstance(row["statement_en"], str) else row["statement_fr"]
    return StatedTarget(
        row["value"],
        Bilingual(row["statement_fr"], english),
        row["source"] if isinstance(row["source"], str) else None,
        bool(row["is_synthetic"]),
    )


def plan_end_year(targets: pd.DataFrame, plan: pd.DataFrame) -> int | None:
    """The plan's horizon: the end year the plan states, else the last year it gives values for."""
    stated = stated_target(targets, "PLAN_END_YEAR", None)
    if stated is not None:
        return stated.year
    return max((d.year for d in plan["period_end"]), default=None)


def equity_view(*, session: Session, filters: Filters, entity: str, entity_name: str) -> EquityView:
    """Everything the equity page shows for one entity, up to the as-of date."""
    actual = queries.observations(
        session=session, indicators=BRIDGE_CODES + ["QUASI_EQUITY"], entities=[entity], until=filters.as_of
    )
    plan = (
        queries.observations(
            session=session,
            indicators=["EQUITY", "NET_RESULT"],
            entities=[entity],
            scenario="plan",
            plan_version=filters.plan_version,
        )
        if filters.plan_version
        else actual.iloc[0:0]
    )
    targets = (
        queries.plan_targets(session=session, plan_version=filters.plan_version)
        if filters.plan_version
        else queries.plan_targets(session=session).iloc[0:0]
    )
    original = original_version(session=session)
    first = (
        queries.observations(session=session, indicators=["EQUITY"], entities=[entity], scenario="plan", plan_version=original)
        if original and original != filters.plan_version
        else actual.iloc[0:0]
    )
    parts = []
    for frame, name, dashed in (
        (actual, "actual", False),
        (plan, "plan", True),
        (first, "original", True),
    ):
        eq = frame[frame["indicator"] == "EQUITY"]
        parts.append(
            pd.DataFrame(
                {
                    "period_end": eq["period_end"],
                    "value": eq["value"],
                    "series": name,
                    "dashed": dashed,
                    "is_synthetic": eq["is_synthetic"],
                    "source": eq["source"],
                }
            )
        )
    trajectory = pd.concat(parts, ignore_index=True)
    results = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": list(d),
                    "value": list(d.values()),
                    "series": name,
                    "is_synthetic": [origin[y][0] for y in d],
                    "source": [origin[y][1] for y in d],
                }
            )
            for d, origin, name in (
                (_by_year(actual, "NET_RESULT"), _origin_by_year(actual, "NET_RESULT"), "actual"),
                (_by_year(plan, "NET_RESULT"), _origin_by_year(plan, "NET_RESULT"), "plan"),
            )
        ],
        ignore_index=True,
    )
    values = {code: _by_year(actual, code) for code in BRIDGE_CODES}
    equity = values["EQUITY"]
    capital = values["SHARE_CAPITAL"]
    quasi = _by_year(actual, "QUASI_EQUITY")

    def origin_of(code: str, year: int | None) -> Provenance:
        found = _origin_by_year(actual, code).get(year) if year is not None else None
        return Provenance.of([found[0]], [found[1]]) if found else Provenance()

    plan_equity = _by_year(plan, "EQUITY")
    latest = max(equity) if equity else None
    ents = queries.entities(session=session).set_index("code")
    country = str(ents.loc[entity, "country"]) if entity in ents.index else ""
    shown = actual[actual["indicator"].isin(["EQUITY", "NET_RESULT", "QUASI_EQUITY"])]
    meeting_day = last_meeting_as_of(session=session, as_of=filters.as_of) if filters.compare == "meeting" else None
    year_ends = [(dt.date(y, 12, 31), equity[y]) for y in sorted(equity)]
    return EquityView(
        entity=entity,
        entity_name=entity_name,
        country=country,
        trajectory=trajectory,
        results=results,
        bridge_years=sorted(y for y in equity if y - 1 in equity),
        half_capital=half_share_capital(capital[max(capital)], country=country) if capital else None,
        latest_equity=equity[latest] if equity else None,
        latest_quasi_equity=quasi[max(quasi)] if quasi else None,
        latest_date=latest,
        plan_at_latest=plan_equity.get(latest) if latest else None,
        plan_at_latest_period=dt.date(latest, 12, 31) if latest in plan_equity else None,
        plan_positive_year=first_plan_year_positive(plan_equity),
        plan_never_negative=plan_never_negative(plan_equity),
        pace_positive_year=year_equity_turns_positive(equity),
        break_even=stated_target(targets, "BREAK_EVEN_YEAR", entity),
        plan_end_year=plan_end_year(targets, plan),
        plan_equity_years=len(plan_equity),
        is_synthetic=bool(shown["is_synthetic"].any()),
        sources=sources_of(shown["source"]),
        values=values,
        plan_version=filters.plan_version,
        original_version=original if original != filters.plan_version else None,
        latest_origin=origin_of("EQUITY", latest),
        quasi_origin=origin_of("QUASI_EQUITY", max(quasi, default=None)),
        half_capital_origin=origin_of("SHARE_CAPITAL", max(capital, default=None)),
        compared=compared(
            year_ends,
            dt.date(latest, 12, 31),
            filters.compare,
            meeting_day=meeting_day,
            plan=plan_equity.get(latest),
        )
        if latest
        else None,
    )


STEP_CODES = (
    "opening",
    "net_result",
    "capital_paid_in",
    "shares_repaid",
    "reserves",
    "retained",
    "other",
    "unexplained",
    "closing",
)


def bridge_frame(bridge: Bridge, labels: dict[str, str]) -> pd.DataFrame:
    """The waterfall's rows: step label, signed amount (€), kind (level / up / down). It ends at the booked closing:
    a bridge that does not close by itself shows the difference as its own "unexplained" step."""
    steps = bridge.steps()
    return pd.DataFrame(
        {
            "step": [labels[code] for code, _a in steps],
            "amount": [a for _c, a in steps],
            "kind": ["level" if code in ("opening", "closing") else ("up" if a >= 0 else "down") for code, a in steps],
        }
    )
