"""Receivables: ageing, overdue ratio, DSO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

ZERO = Decimal(0)
BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d90_plus")
LEGAL_MAX_PAYMENT_DAYS = 60  # L441-10: 60 days from invoice (or 45 days end of month)


def days_past_due(as_of: dt.date, due_date: dt.date) -> int:
    """Days past due = as-of date − due date (≤ 0: not yet due)."""
    return (as_of - due_date).days


def ageing_bucket(days: int) -> str:
    """The bucket of an open item `days` past its due date: not yet due (≤ 0), 1–30, 31–60, 61–90, > 90."""
    if days <= 0:
        return "not_due"
    if days <= 30:
        return "d1_30"
    if days <= 60:
        return "d31_60"
    if days <= 90:
        return "d61_90"
    return "d90_plus"


def overdue_ratio(by_bucket: dict[str, Decimal]) -> Decimal | None:
    """Overdue ratio = past-due open amount ÷ total open amount (0–1); None with nothing open."""
    total = sum(by_bucket.values(), ZERO)
    if not total:
        return None
    return (total - by_bucket.get("not_due", ZERO)) / total


def share_over_90(by_bucket: dict[str, Decimal]) -> Decimal | None:
    """Share of the open amount more than 90 days past due (0–1)."""
    total = sum(by_bucket.values(), ZERO)
    return by_bucket.get("d90_plus", ZERO) / total if total else None


def dso(receivables: Decimal, sales_incl_vat: Decimal, days_in_period: int) -> Decimal | None:
    """DSO (days) = trade receivables ÷ invoiced sales of the period × days in the period (both incl. VAT)."""
    if not sales_incl_vat:
        return None
    return receivables / sales_incl_vat * days_in_period
