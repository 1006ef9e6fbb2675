"""The plan-execution view in the reader's language: series labels, the schedule and the legal lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, NP_, _, _p, gettext, render
from smartdash.present import tables
from smartdash.views.execution import ExecutionView

CASH_LABELS = {"own_cash": N_("own cash"), "members_cash": N_("members' activities' money")}


def cash_labelled(view: ExecutionView, lang: str) -> pd.DataFrame:
    """`ExecutionView.cash` with each series' label, in the reader's language, in place of its code."""
    return view.cash.assign(series=view.cash["series"].map(lambda code: _(lang, CASH_LABELS[code])))


def instalment_series_labels(lang: str) -> dict[str, str]:
    """The label of each instalment series in the reader's language."""
    return {"due": _(lang, "due"), "paid": _(lang, "paid")}


def by_year_labelled(by_year: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`ExecutionView.by_year` with each series' label, in the reader's language, in place of its code."""
    return by_year.assign(series=by_year["series"].map(instalment_series_labels(lang)))


def dated(said: str, day: dt.date | None, as_of: dt.date, lang: str) -> str:
    """`said` followed by " · au 31 octobre 2026" for a figure of another date than the as-of date; as it is when they
    agree."""
    if day is None or day == as_of:
        return said
    return _(lang, "{said} · as of {day}", said=said, day=formatting.date_long(day, lang=lang))


def other_date(day: dt.date | None, as_of: dt.date, lang: str) -> str | None:
    """ "au 31 octobre 2026" for a figure of another date than the as-of date; None when they agree."""
    return None if day is None or day == as_of else _(lang, "as of {day}", day=formatting.date_long(day, lang=lang))


def debt_left_text(view: ExecutionView, lang: str) -> str:
    """What is left to repay under the plan's schedule; "no schedule" when none is recorded (never a 0 € that reads
    as "all repaid")."""
    if view.schedule.empty:
        return _(lang, "no schedule")
    return formatting.money_compact(view.debt_left, lang=lang)


def execution_rate_text(view: ExecutionView, lang: str) -> str:
    """The line under the cumulative execution rate: what it divides, in euros, and what is short of what was due (a
    rate never without its gap in euros)."""
    paid, due = (formatting.money(v, lang=lang) for v in (view.paid_to_date, view.due_to_date))
    if view.paid_to_date < view.due_to_date:
        return _(
            lang,
            "paid ÷ due to date: {paid} of {due}, short by {gap}",
            paid=paid,
            due=due,
            gap=formatting.money(view.due_to_date - view.paid_to_date, lang=lang),
        )
    return _(lang, "paid ÷ due to date: {paid} of {due}", paid=paid, due=due)


STATUS_LABELS = {
    "paid": NP_("instalment", "paid"),
    "paid_late": NP_("instalment", "paid late"),
    "late": NP_("instalment", "late"),
    "upcoming": NP_("instalment", "upcoming"),
}


def schedule_table(view: ExecutionView, lang: str) -> pd.DataFrame:
    """The instalments as every output lists them (`tables.SCHEDULE`)."""
    s = view.schedule
    return tables.SCHEDULE.frame(
        {
            "creditor": s["creditor"],
            "seq": s["seq"],
            "due": [formatting.date_short(d) for d in s["due_date"]],
            "pct_of_claim": [formatting.percent(p, lang=lang, places=0) for p in s["pct_of_claim"]],
            "amount_due": [formatting.money(a, lang=lang) for a in s["amount_due"]],
            "paid": [formatting.money(a, lang=lang) for a in s["amount_paid"]],
            "state": [_p(lang, *STATUS_LABELS[x]) for x in s["status"]],
            "days_late": s["days_late"],
            "l626": ["✗" if b else "✓" for b in s["breaks_l626"]],
        },
        lang,
        is_synthetic=s["is_synthetic"],
        sources=s["source"],
    )


def legal_table(view: ExecutionView, lang: str) -> pd.DataFrame:
    """The plan's legal lines as every output lists them (`tables.LEGAL_LINES`), each with its origin."""
    marks = {"green": "✓", "red": "✗", None: "—"}
    return tables.LEGAL_LINES.frame(
        {
            "line": [render(lang, line.label) for line in view.legal],
            "article": [render(lang, line.article) for line in view.legal],
            "binding": [_(lang, "yes") if line.binds else _(lang, "no") for line in view.legal],
            "value": [render(lang, line.value) for line in view.legal],
            "met": [marks[line.status] for line in view.legal],
        },
        lang,
        is_synthetic=[line.origin.synthetic for line in view.legal],
        sources=[" ; ".join(gettext(lang, s) for s in line.origin.sources) or None for line in view.legal],
    )
