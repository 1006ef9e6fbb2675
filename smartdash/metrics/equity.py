"""Equity: the bridge from one year-end to the next, and when equity turns positive at the current pace."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Bridge:
    """Equity bridge for one year, in €.

    computed closing = opening + net result + capital paid up − shares repaid + reserves movement
    + retained-earnings movement + other movements; control = booked closing − computed closing, which
    must be 0. When it is not, the waterfall shows it as an "unexplained" step so that it always ends at
    the booked figure. Claim waivers received reach equity through the net result, as exceptional income.

    Where paid-up capital and shares repaid are not reported (an annual report gives capital at each
    year-end), the capital step is the net change of share capital (`capital_net`). Reserves and retained
    earnings move when last year's result is appropriated: that result was already in the opening equity,
    so the retained-earnings step is its change net of last year's result (what was distributed or moved
    elsewhere shows there)."""

    year: int
    opening: Decimal
    net_result: Decimal
    capital_paid_in: Decimal
    shares_repaid: Decimal
    other: Decimal
    booked_closing: Decimal | None
    reserves: Decimal | None = None
    retained: Decimal | None = None
    capital_net: bool = False

    @property
    def computed_closing(self) -> Decimal:
        return (
            self.opening
            + self.net_result
            + self.capital_paid_in
            - self.shares_repaid
            + (self.reserves or ZERO)
            + (self.retained or ZERO)
            + self.other
        )

    @property
    def control(self) -> Decimal | None:
        return None if self.booked_closing is None else self.booked_closing - self.computed_closing

    @property
    def closing(self) -> Decimal:
        """The closing level the waterfall ends at: the booked figure when there is one."""
        return self.computed_closing if self.booked_closing is None else self.booked_closing

    def steps(self) -> list[tuple[str, Decimal]]:
        """The waterfall's steps: (code, signed amount); the first and last are levels. "reserves" and "retained"
        appear when those lines are reported, "other" when there are other movements, "unexplained" when the
        bridge does not close by itself."""
        steps = [("opening", self.opening), ("net_result", self.net_result), ("capital_paid_in", self.capital_paid_in)]
        if not self.capital_net:
            steps.append(("shares_repaid", -self.shares_repaid))
        steps += [
            (code, amount) for code, amount in (("reserves", self.reserves), ("retained", self.retained)) if amount is not None
        ]
        if self.other:
            steps.append(("other", self.other))
        if self.control:
            steps.append(("unexplained", self.control))
        return steps + [("closing", self.closing)]


def _change(series: dict[int, Decimal], year: int) -> Decimal | None:
    return series[year] - series[year - 1] if year in series and year - 1 in series else None


def equity_bridge(values: dict[str, dict[int, Decimal]], year: int) -> Bridge | None:
    """The bridge of `year` from yearly values per code (EQUITY, NET_RESULT, CAPITAL_PAID_IN, SHARES_REPAID,
    optional SHARE_CAPITAL, RESERVES, RETAINED_EARNINGS, OTHER_EQUITY_MOVEMENTS); None without the opening
    equity."""
    equity = values.get("EQUITY", {})
    if year - 1 not in equity:
        return None
    result = values.get("NET_RESULT", {})
    paid_in = values.get("CAPITAL_PAID_IN", {})
    capital_change = _change(values.get("SHARE_CAPITAL", {}), year)
    capital_net = year not in paid_in and capital_change is not None
    retained = _change(values.get("RETAINED_EARNINGS", {}), year)
    if retained is not None:
        retained = retained - result[year - 1] if year - 1 in result else None
    return Bridge(
        year=year,
        opening=equity[year - 1],
        net_result=result.get(year, ZERO),
        capital_paid_in=capital_change if capital_net else paid_in.get(year, ZERO),
        shares_repaid=ZERO if capital_net else values.get("SHARES_REPAID", {}).get(year, ZERO),
        other=values.get("OTHER_EQUITY_MOVEMENTS", {}).get(year, ZERO),
        booked_closing=equity.get(year),
        reserves=_change(values.get("RESERVES", {}), year),
        retained=retained,
        capital_net=capital_net,
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


def plan_never_negative(plan_by_year: dict[int, Decimal]) -> bool:
    """Whether the plan's path keeps equity at or above 0 at every year-end: there is then no year it turns positive
    (its first year is not a "return to positive")."""
    return bool(plan_by_year) and all(v >= 0 for v in plan_by_year.values())


def half_share_capital(share_capital: Decimal | None, *, country: str) -> Decimal | None:
    """Half of the share capital (L225-248 / L223-42): informative only while under a plan (L626-3), and a rule of
    French law only — None for an entity under another country's law."""
    return None if share_capital is None or country.upper() != "FR" else share_capital / 2
