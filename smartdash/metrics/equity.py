"""Equity: the bridge from one year-end to the next, and when equity turns positive at the current pace."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Bridge:
    """Equity bridge for one year, in €.

    computed closing = opening + net result + capital paid up − shares repaid + other movements;
    control = booked closing − computed closing, which must be 0 (claim waivers received reach
    equity through the net result, as exceptional income)."""

    year: int
    opening: Decimal
    net_result: Decimal
    capital_paid_in: Decimal
    shares_repaid: Decimal
    other: Decimal
    booked_closing: Decimal | None

    @property
    def computed_closing(self) -> Decimal:
        return self.opening + self.net_result + self.capital_paid_in - self.shares_repaid + self.other

    @property
    def control(self) -> Decimal | None:
        return None if self.booked_closing is None else self.booked_closing - self.computed_closing

    def steps(self) -> list[tuple[str, Decimal]]:
        """The waterfall's steps: (code, signed amount); the first and last are levels."""
        return [
            ("opening", self.opening),
            ("net_result", self.net_result),
            ("capital_paid_in", self.capital_paid_in),
            ("shares_repaid", -self.shares_repaid),
            ("other", self.other),
            ("closing", self.computed_closing),
        ]


def equity_bridge(values: dict[str, dict[int, Decimal]], year: int) -> Bridge | None:
    """The bridge of `year` from yearly values per code (EQUITY, NET_RESULT, CAPITAL_PAID_IN,
    SHARES_REPAID, optional OTHER_EQUITY_MOVEMENTS); None without the opening equity."""
    equity = values.get("EQUITY", {})
    if year - 1 not in equity:
        return None
    return Bridge(
        year=year,
        opening=equity[year - 1],
        net_result=values.get("NET_RESULT", {}).get(year, ZERO),
        capital_paid_in=values.get("CAPITAL_PAID_IN", {}).get(year, ZERO),
        shares_repaid=values.get("SHARES_REPAID", {}).get(year, ZERO),
        other=values.get("OTHER_EQUITY_MOVEMENTS", {}).get(year, ZERO),
        booked_closing=equity.get(year),
    )


def year_equity_turns_positive(equity_by_year: dict[int, Decimal], *, window: int = 3) -> int | None:
    """At the current pace, the first year-end with equity ≥ 0.

    Pace = average yearly change over the last `window` years of actuals; the last value is
    extrapolated linearly. Returns the last year itself when equity is already ≥ 0, and None when
    the pace is zero or negative (equity never turns positive at that pace) or there are too few
    years."""
    years = sorted(equity_by_year)
    if not years:
        return None
    last_year, last = years[-1], equity_by_year[years[-1]]
    if last >= 0:
        return last_year
    if len(years) < 2:
        return None
    first_year = years[max(0, len(years) - 1 - window)]
    pace = (last - equity_by_year[first_year]) / (last_year - first_year)
    if pace <= 0:
        return None
    steps = int((-last / pace).to_integral_value(rounding="ROUND_CEILING"))
    return last_year + steps


def first_plan_year_positive(plan_by_year: dict[int, Decimal]) -> int | None:
    """The first year-end the plan puts equity at or above 0."""
    return next((y for y in sorted(plan_by_year) if plan_by_year[y] >= 0), None)


def half_share_capital(share_capital: Decimal | None) -> Decimal | None:
    """Half of the share capital (L225-248 / L223-42): informative only while under a plan (L626-3)."""
    return None if share_capital is None else share_capital / 2
