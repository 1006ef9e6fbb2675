"""The receivables view in the reader's language: bucket labels, the published figures, the largest clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, _, bilingual, ngettext
from smartdash.metrics.receivables import BUCKETS, days_past_due
from smartdash.present import tables
from smartdash.provenance import with_origin
from smartdash.views.receivables import ReceivablesView

BUCKET_NAMES = {
    "not_due": N_("Not yet due"),
    "d1_30": N_("1–30 d"),
    "d31_60": N_("31–60 d"),
    "d61_90": N_("61–90 d"),
    "d90_plus": N_("> 90 d"),
}


def bucket_labels(lang: str) -> dict[str, str]:
    """Each ageing bucket's label in the reader's language, in the buckets' order."""
    return {b: _(lang, BUCKET_NAMES[b]) for b in BUCKETS}


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A frame of the view that has a `bucket` code column, with each bucket's label (`label`) beside it."""
    return frame.assign(label=frame["bucket"].map(bucket_labels(lang)))


REFERENCE_LABELS = {
    "TRADE_RECEIVABLES": N_("Trade receivables on the balance sheet"),
    "OVERDUE_REMINDED": N_(
        "Outstanding under reminder: unpaid invoices the year's reminders were about (not a past-due balance at a date)"
    ),
    "REMINDERS_SENT": N_("Unpaid-invoice reminders sent in the year"),
}


def references_table(view: ReceivablesView, lang: str) -> pd.DataFrame:
    """The figures published for the snapshot's year, each dated by its own period and with its origin."""
    r = view.references
    units = {"REMINDERS_SENT": "count"}
    return with_origin(
        pd.DataFrame(
            {
                _(lang, "Figure"): [_(lang, REFERENCE_LABELS[c]) for c in r["code"]],
                _(lang, "Value"): [
                    formatting.value(v, units.get(c, "EUR"), lang=lang) for c, v in zip(r["code"], r["value"], strict=True)
                ],
                _(lang, "Period"): [
                    _(lang, "at {day}", day=formatting.date_short(d))
                    if c == "TRADE_RECEIVABLES"
                    else _(lang, "in {year}", year=d.year)
                    for c, d in zip(r["code"], r["period_end"], strict=True)
                ],
            }
        ),
        r["is_synthetic"],
        r["source"],
        lang,
    )


def ageing_frame(view: ReceivablesView, lang: str) -> pd.DataFrame:
    """The snapshot's open amount per bucket for the ageing chart: bucket (its label in the reader's language),
    value (€), is_synthetic."""
    b = view.buckets
    labels = bucket_labels(lang)
    return pd.DataFrame(
        {"bucket": [labels[c] for c in b["bucket"]], "value": list(b["amount"]), "is_synthetic": list(b["is_synthetic"])}
    )


def dso_lines(view: ReceivablesView, lang: str) -> pd.DataFrame:
    """The DSO per snapshot as a trajectory series (days), with its origin."""
    t = view.dso_trend
    return pd.DataFrame(
        {
            "period_end": t["period_end"],
            "value": list(t["value"]),
            "series": "DSO",
            "dashed": False,
            "is_synthetic": list(t["is_synthetic"]),
        }
    )


def dso_rules(view: ReceivablesView, lang: str) -> list[tuple[Decimal, str, str]]:
    """The legal payment terms of the entity's country as (days, label, colour) reference lines."""
    colours = ("#7B5EA7", "#C62828")
    return [
        (Decimal(t.days), bilingual(lang, t.label_fr, t.label_en), colours[i % 2])
        for i, t in enumerate(view.rule.terms if view.rule else ())
    ]


def clients_table(frame: pd.DataFrame, as_of: dt.date, lang: str) -> pd.DataFrame:
    """The largest overdue clients as every output lists them (`tables.OVERDUE_CLIENTS`), each with its origin."""
    return tables.OVERDUE_CLIENTS.frame(
        {
            "client": frame["client"],
            "invoices": frame["invoices"],
            "overdue": [formatting.money(v, lang=lang, places=2) for v in frame["overdue"]],
            "oldest_due_date": [formatting.date_long(d, lang=lang) for d in frame["oldest_due_date"]],
            "days_past_due": [days_past_due(as_of, d) for d in frame["oldest_due_date"]],
        },
        lang,
        is_synthetic=frame["is_synthetic"],
        sources=frame["source"],
    )


def credits_note(view: ReceivablesView, lang: str) -> str | None:
    """What the open amount nets: the unmatched payments and credit notes (negative items), none of them a past-due
    invoice; None when there are none."""
    count, total = view.credits
    if not count:
        return None
    return ngettext(
        lang,
        "The open amount nets {count} unmatched payment or credit note ({amount}), counted at its own date in the ages; "
        "it is a credit, not a past-due invoice, and the clients' list leaves it out.",
        "The open amount nets {count} unmatched payments or credit notes ({amount} in all), each counted at its own "
        "date in the ages; they are credits, not past-due invoices, and the clients' list leaves them out.",
        count,
    ).format(count=count, amount=formatting.money(total, lang=lang, places=2))


def over_90_share(view: ReceivablesView, lang: str) -> str:
    """The amount more than 90 days past due as a share of the open amount."""
    if view.share_over_90 is None:
        return _(lang, "nothing open")
    return _(lang, "{share} of the open amount", share=formatting.percent(view.share_over_90 * 100, lang=lang))


def days_change(v: Decimal | None, lang: str) -> str:
    """A change of DSO, signed, to a tenth of a day: `+1,4 j`, `−0,6 d`."""
    if v is None:
        return ""
    return formatting.change(v, "FTE", lang=lang) + formatting.NBSP + ("j" if lang == "fr" else "d")


def dso_changes(view: ReceivablesView, lang: str) -> str:
    """The DSO's change since the previous quarter end and over a year, each with the date it is measured from —
    short enough for a tile's line: `+1,4 j depuis le 30/09/2026 · +0,5 j sur un an (30/09/2025)`."""
    parts = []
    if view.dso_previous is not None:
        parts.append(
            _(
                lang,
                "{change} since {day}",
                change=days_change(view.dso_change_previous, lang),
                day=formatting.date_short(view.dso_previous[0]),
            )
        )
    if view.dso_year_ago is not None:
        parts.append(
            _(
                lang,
                "{change} over a year ({day})",
                change=days_change(view.dso_change_year, lang),
                day=formatting.date_short(view.dso_year_ago[0]),
            )
        )
    return " · ".join(parts) or _(lang, "no earlier DSO to compare with")


def dso_delta(view: ReceivablesView, compare: str, lang: str) -> str | None:
    """The DSO tile's change: over a year when the sidebar compares with the same period last year, since the last
    meeting's figures when with the last meeting, else since the previous quarter end (the DSO has no plan, which
    `dso_tile_note` says)."""
    change = {"year": view.dso_change_year, "meeting": view.dso_change_meeting}.get(compare, view.dso_change_previous)
    return days_change(change, lang) or None


def dso_tile_note(view: ReceivablesView, compare: str, lang: str) -> str:
    """The line beside the DSO tile's change (`dso_delta`), short enough for half a tablet's width: the date that
    change is measured from, then the previous quarter's or a year's figure (`depuis le 30/09/2026 · +0,5 j sur un
    an`); the dates of both are in `dso_changes`, the tile's help."""
    previous = view.dso_previous is not None and _(lang, "since {day}", day=formatting.date_short(view.dso_previous[0]))
    over_a_year = _(lang, "over a year")
    year = view.dso_year_ago is not None and f"{days_change(view.dso_change_year, lang)} {over_a_year}"
    if compare == "year":
        first = view.dso_year_ago is not None and over_a_year
        other = previous and f"{days_change(view.dso_change_previous, lang)} {previous}"
    elif compare == "meeting":
        if view.meeting_day is None:
            first = _(lang, "no meeting held by this date")
        elif view.dso_meeting is None:
            first = _(lang, "no DSO at the last meeting's figures date")
        else:
            first = _(lang, "since the last meeting (DSO of {day})", day=formatting.date_short(view.dso_meeting[0]))
        other = year
    elif compare == "plan":  # the plan sets no DSO: said, and the change is the previous quarter's
        first = previous and _(lang, "no plan for the DSO: since {day}", day=formatting.date_short(view.dso_previous[0]))
        other = year
    else:
        first, other = previous, year
    return " · ".join(p for p in (first, other) if p) or _(lang, "no earlier DSO to compare with")
