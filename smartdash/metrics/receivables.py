"""Receivables: ageing, overdue ratio, DSO."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smartdash import codes

ZERO = Decimal(0)
BUCKETS = codes.AGEING_BUCKETS
BELGIAN_2021_AMENDMENT_IN_FORCE = dt.date(2022, 2, 1)


@dataclass(frozen=True)
class PaymentTerm:
    """A legal payment term between businesses, drawn as a reference line for DSO."""

    days: int
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class PaymentRule:
    """The payment-term law of a country at a date: its lines and the sentence that states it."""

    country: str
    terms: tuple[PaymentTerm, ...]
    text_fr: str
    text_en: str
    short_fr: str = "—"
    short_en: str = "—"


def payment_rule(country: str, on: dt.date) -> PaymentRule:
    """The legal payment terms of an entity's country at a date (shared/reference/domain.md): France L441-10 (60 days
    from invoice or 45 days end of month); Belgium, Act of 2 August 2002 as amended in 2021 (in force 1 February
    2022): 30 days by default, 60 days at most when agreed. No line for another country."""
    code = (country or "").lower()
    if code == "fr":
        return PaymentRule(
            code,
            (PaymentTerm(60, "60 j : délai légal maximal (L441-10)", "60 d: legal maximum (L441-10)"),),
            "France, Code de commerce L441-10 : entre professionnels, 60 jours à compter de la facture "
            "(ou 45 jours fin de mois) au plus.",
            "France, Commercial Code L441-10: between businesses, at most 60 days from the invoice (or 45 days end of month).",
            "60 j (L441-10)",
            "60 d (L441-10)",
        )
    if code == "be":
        default = PaymentTerm(
            30, "30 j : délai légal par défaut (loi belge du 2 août 2002)", "30 d: legal default (Belgian Act of 2 August 2002)"
        )
        if on < BELGIAN_2021_AMENDMENT_IN_FORCE:
            return PaymentRule(
                code,
                (default,),
                "Belgique, loi du 2 août 2002 concernant la lutte contre le retard de paiement : 30 "
                "jours par défaut ; avant le 1er février 2022, le plafond de 60 jours ne valait que "
                "pour une PME créancière face à une grande entreprise.",
                "Belgium, Act of 2 August 2002 on combating late payment: 30 days by default; before "
                "1 February 2022 the 60-day cap applied only to an SME creditor facing a large company.",
                "30 j par défaut (loi belge du 2 août 2002)",
                "30 d by default (Belgian Act of 2002)",
            )
        return PaymentRule(
            code,
            (
                default,
                PaymentTerm(
                    60,
                    "60 j : délai convenu maximal (loi belge, modifiée en 2021)",
                    "60 d: agreed maximum (Belgian Act, amended 2021)",
                ),
            ),
            "Belgique, loi du 2 août 2002 concernant la lutte contre le retard de paiement, modifiée "
            "en 2021 (en vigueur le 1er février 2022) : 30 jours par défaut, 60 jours au plus s'ils "
            "sont convenus.",
            "Belgium, Act of 2 August 2002 on combating late payment, as amended in 2021 (in force 1 "
            "February 2022): 30 days by default, at most 60 days when agreed.",
            "30 j par défaut, 60 j au plus (loi belge)",
            "30 d by default, 60 d at most (Belgian law)",
        )
    return PaymentRule(
        code, (), "Aucun délai légal de paiement enregistré pour ce pays.", "No legal payment term recorded for this country."
    )


def trailing_sales(day: dt.date, monthly: list[tuple[dt.date, Decimal]]) -> tuple[dt.date, dt.date, Decimal] | None:
    """(first day, last month end, total €) of the 12 monthly sales figures up to `day`, or None with fewer than
    12 months: the sales DSO is measured against."""
    start = dt.date(day.year - 1, day.month, 1) if day.month != 12 else dt.date(day.year, 1, 1)
    window = [(d, v) for d, v in monthly if start <= d <= day][-12:]
    if len(window) < 12:
        return None
    first = window[0][0]
    return dt.date(first.year, first.month, 1), window[-1][0], sum((v for _d, v in window), ZERO)


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


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last quarter end strictly before `day`'s quarter: the period a DSO is compared with (31/03, 30/06, 30/09,
    31/12 — the rhythm of the snapshots kept over the years)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def point_on_or_before(points: list[tuple[dt.date, Decimal]], day: dt.date) -> tuple[dt.date, Decimal] | None:
    """The newest (date, value) of a dated series on or before `day`; None when there is none."""
    before = [p for p in points if p[0] <= day]
    return max(before) if before else None
