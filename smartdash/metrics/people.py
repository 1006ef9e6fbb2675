"""People: FTE, attrition, turnover; members per adviser."""

from __future__ import annotations

from decimal import Decimal

FULL_TIME_MONTH_HOURS = Decimal("151.67")


def fte(hours_paid: Decimal, months: int = 1) -> Decimal:
    """FTE = hours paid ÷ (151,67 h × months), the French full-time reference."""
    return hours_paid / (FULL_TIME_MONTH_HOURS * months)


def attrition(leavers: int, headcount_at_start: int) -> Decimal | None:
    """Attrition = leavers ÷ headcount at start (0–1)."""
    return Decimal(leavers) / headcount_at_start if headcount_at_start else None


def turnover(leavers: int, joiners: int, headcount_at_start: int) -> Decimal | None:
    """Turnover = ((leavers + joiners) ÷ 2) ÷ headcount at start (0–1)."""
    return Decimal(leavers + joiners) / 2 / headcount_at_start if headcount_at_start else None


def members_per_adviser(members: int, advisers: int | None) -> Decimal | None:
    """Members ÷ advisers; None for an office without advisers."""
    return Decimal(members) / advisers if advisers else None


def stands_out(ratio: Decimal | None, median: Decimal | None, factor: Decimal = Decimal(2)) -> bool:
    """An office whose members per adviser is at least `factor` × the median of the offices."""
    return ratio is not None and median is not None and ratio >= median * factor
