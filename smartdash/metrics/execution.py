"""Plan execution: creditors' instalments (Code de commerce L626-18), the cessation-des-paiements test
(L631-1), the cooperative's own cash and runway, and the legal reference lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
PLAN_MAX_YEARS = 10  # L626-12


@dataclass(frozen=True)
class InstalmentState:
    """Where one instalment stands at a date: paid / paid_late / late / due_soon / upcoming, and days late."""

    status: str
    days_late: int


def instalment_state(
    *, due_date: dt.date, amount_due: Decimal, amount_paid: Decimal, paid_on: dt.date | None, as_of: dt.date
) -> InstalmentState:
    """An instalment is late when, at `as_of`, its due date has passed and it is not paid in full (days late =
    as-of − due date); paid late when paid in full after its due date (days late = paid on − due date)."""
    if amount_paid >= amount_due and paid_on is not None and paid_on <= as_of:
        late = max(0, (paid_on - due_date).days)
        return InstalmentState("paid_late" if late else "paid", late)
    if due_date < as_of:
        return InstalmentState("late", (as_of - due_date).days)
    return InstalmentState("upcoming", 0)


def execution_rate(amount_due: list[Decimal], amount_paid: list[Decimal]) -> Decimal | None:
    """Cumulative execution rate = paid ÷ due, over the instalments due by the as-of date (0–1)."""
    due = sum(amount_due, ZERO)
    return sum(amount_paid, ZERO) / due if due else None


def l626_18_minimum(seq: int) -> Decimal:
    """The smallest share (% of the admitted claim) an instalment may be under uniform delays: from the 3rd
    instalment 5 %, from the 6th 10 % (L626-18); no minimum for the first two."""
    return Decimal(10) if seq >= 6 else Decimal(5) if seq >= 3 else ZERO


def breaks_l626_18(seq: int, pct_of_claim: Decimal) -> bool:
    return pct_of_claim < l626_18_minimum(seq)


def own_cash(net_cash: Decimal, members_cash: Decimal) -> Decimal:
    """The cooperative's own cash = net cash − money that belongs to members' activities."""
    return net_cash - members_cash


def cessation_ratio(available_assets: Decimal, credit_lines: Decimal, debts_due: Decimal) -> Decimal | None:
    """(Available assets + agreed credit lines) ÷ debts due, excluding debts frozen by the plan (L631-1).
    Below 1, debts due cannot be met: a cessation des paiements."""
    return (available_assets + credit_lines) / debts_due if debts_due else None


def runway_months(cash_now: Decimal, cash_three_months_ago: Decimal) -> Decimal | None:
    """Months of own cash left at the last three months' average burn; None when cash did not fall."""
    burn = (cash_three_months_ago - cash_now) / 3
    if burn <= 0:
        return None
    return max(cash_now, ZERO) / burn


def capital_floor(capital_history: list[Decimal]) -> Decimal | None:
    """A cooperative's variable capital may not fall below ¼ of the highest capital ever reached
    (law of 10 September 1947, art. 13)."""
    return max(capital_history) / 4 if capital_history else None


def plan_end(adopted_on: dt.date) -> dt.date:
    """The latest end of a plan: 10 years after its adoption (L626-12)."""
    try:
        return adopted_on.replace(year=adopted_on.year + PLAN_MAX_YEARS)
    except ValueError:  # 29 February
        return adopted_on.replace(year=adopted_on.year + PLAN_MAX_YEARS, day=28)
