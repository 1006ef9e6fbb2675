"""Funding against the 1+1 rule."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import formatting, queries
from smartdash.metrics.funding import (
    OnePlusOneDefinition,
    counted,
    cumulative_by_date,
    display_status,
    member_subscriptions,
    one_plus_one_coverage,
)
from smartdash.provenance import Provenance, with_origin
from smartdash.views import Filters, pick


@dataclass(frozen=True)
class FundingView:
    lines: pd.DataFrame  # contributions with display_status and counts columns added
    coverage_planned: pd.DataFrame
    coverage_actual: pd.DataFrame
    cumulative: pd.DataFrame  # entity, date, side, cumulative_eur, basis
    subscriptions: dict[str, pd.DataFrame]  # entity → member_subscriptions()
    discrepancies: pd.DataFrame  # label, value_a, value_b, location_a, location_b
    definition: OnePlusOneDefinition
    names: dict[str, str]


DISCREPANCIES = [
    ("PLAN_WAIVER_SFR_GE_TEXT", "PLAN_WAIVER_SFR_GE_TABLE"),
    ("PLAN_SFR_MEMBERS_TOTAL", "PLAN_SFR_MEMBERS_ROWS"),
]


def funding_view(*, session: Session, filters: Filters, definition: OnePlusOneDefinition) -> FundingView:
    """Contributions of the plan version chosen, their status at the as-of date, coverage planned and actual
    under `definition`, member subscriptions against the 2 % rule, and the plan's own inconsistencies."""
    lines = queries.contributions(session=session, plan_version=filters.plan_version) if filters.plan_version \
        else pd.DataFrame()
    ents = queries.entities(session=session)
    names = dict(zip(ents["code"], ents["name"], strict=True))
    if lines.empty:
        empty = pd.DataFrame()
        return FundingView(lines, empty, empty, empty, {}, empty, definition, names)
    if filters.entity:
        lines = lines[lines["beneficiary"] == filters.entity].reset_index(drop=True)
    lines = lines.assign(
        display_status=[display_status(s, d, filters.as_of) for s, d in zip(lines["status"], lines["planned_date"],
                                                                              strict=True)],
        counts=counted(lines, definition) if not lines.empty else [],
    )
    # what was received after the as-of date is not yet known at that date
    received = zip(lines["received_amount"], lines["received_date"], strict=True)
    known = lines.assign(received_amount=[a if d is not None and d <= filters.as_of else None for a, d in received])
    cumulative = pd.concat([
        cumulative_by_date(lines, definition, basis="planned").assign(basis="planned"),
        cumulative_by_date(known, definition, basis="actual").assign(basis="actual"),
    ], ignore_index=True)
    subscriptions = {}
    gross = queries.observations(session=session, indicators=["MEMBERS_GROSS_SALARY"], until=filters.as_of)
    for entity in dict.fromkeys(lines["beneficiary"]):
        salary = gross[gross["entity"] == entity]
        if salary.empty:
            continue
        paid = known[(known["beneficiary"] == entity) & (known["contributor_class"] == "members")
                     & known["received_amount"].notna()]
        received = {}
        for day, amount in zip(paid["received_date"], paid["received_amount"], strict=True):
            received[day.year] = received.get(day.year, 0) + amount
        subscriptions[entity] = member_subscriptions(
            received, {d.year: v for d, v in zip(salary["period_end"], salary["value"], strict=True)})
    return FundingView(
        lines=lines,
        coverage_planned=one_plus_one_coverage(lines, definition, basis="planned"),
        coverage_actual=one_plus_one_coverage(lines, definition, basis="actual", as_of=filters.as_of),
        cumulative=cumulative,
        subscriptions=subscriptions,
        discrepancies=discrepancies(session=session),
        definition=definition,
        names=names,
    )


def discrepancies(*, session: Session) -> pd.DataFrame:
    """Pairs of figures where the plan disagrees with itself. Columns: label_fr, label_en, value_a, location_a,
    value_b, location_b, note."""
    figures = queries.source_figures(session=session).set_index("code")
    rows = []
    for a, b in DISCREPANCIES:
        if a in figures.index and b in figures.index:
            fa, fb = figures.loc[a], figures.loc[b]
            rows.append({"label_fr": fa["label_fr"], "label_en": fa["label_en"], "value_a": fa["value"],
                         "location_a": fa["location"], "value_b": fb["value"], "location_b": fb["location"],
                         "note": fb["note"] or fa["note"], "document": fa["document"]})
    return pd.DataFrame(rows, columns=["label_fr", "label_en", "value_a", "location_a", "value_b", "location_b",
                                       "note", "document"])


STATUS_LABELS = {
    "planned": ("prévu", "planned"), "committed": ("engagé", "committed"), "received": ("reçu", "received"),
    "cancelled": ("annulé", "cancelled"), "late": ("en retard", "late"),
}
CLASS_LABELS = {
    "smartbe": ("SmartBe", "SmartBe"), "members": ("sociétaires", "members"),
    "partners": ("partenaires", "partners"), "group": ("groupe", "group"),
}


def coverage_frame(view: FundingView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Coverage ratios for the bar chart. Columns: entity (name), series (planned / achieved), value."""
    rows = []
    for frame, series in ((view.coverage_planned, pick(lang, "prévue", "planned")),
                          (view.coverage_actual, pick(lang, "réalisée", "achieved"))):
        for row in frame.itertuples():
            if row.coverage is not None:
                origin = lines_origin(view, None if row.entity == "__total__" else row.entity)
                rows.append({"entity": names[row.entity], "series": series, "value": row.coverage,
                             "is_synthetic": origin.synthetic, "source": origin.source_text})
    return pd.DataFrame(rows, columns=["entity", "series", "value", "is_synthetic", "source"])


def lines_origin(view: FundingView, entity: str | None = None) -> Provenance:
    """Where the contributions behind a beneficiary's figures (every beneficiary's with None) come from."""
    lines = view.lines if entity is None or view.lines.empty else view.lines[view.lines["beneficiary"] == entity]
    return Provenance.of_frame(lines)


def cumulative_frame(view: FundingView, entity: str, lang: str) -> pd.DataFrame:
    """One beneficiary's cumulative SmartBe and matched euros: colour by side, planned dashed, achieved solid."""
    c = view.cumulative
    c = c[c["entity"] == entity] if not c.empty else c
    if c.empty:
        return pd.DataFrame(columns=["period_end", "value", "series", "dashed"])
    side = {"smartbe": "SmartBe", "matched": pick(lang, "égalés", "matched")}
    origin = lines_origin(view, entity)
    return pd.DataFrame({
        "period_end": c["date"],
        "value": c["cumulative_eur"],
        "series": [side[s] for s in c["side"]],
        "dashed": c["basis"] == "planned",
        "is_synthetic": origin.synthetic,
        "source": origin.source_text,
    }).sort_values("series", key=lambda s: s != "SmartBe", kind="stable")


def contributions_table(view: FundingView, lang: str) -> pd.DataFrame:
    """The contributions as the page lists them, French headers first."""
    lines = view.lines
    en = lang == "en"
    return with_origin(pd.DataFrame({
        pick(lang, "Apporteur", "Contributor"): lines["contributor"],
        pick(lang, "Instrument", "Instrument"): lines["instrument_en" if en else "instrument_fr"],
        pick(lang, "Prévu le", "Planned for"): [formatting.date_short(d) for d in lines["planned_date"]],
        pick(lang, "Montant prévu", "Planned amount"): [formatting.money(a, lang=lang) for a in lines["planned_amount"]],
        pick(lang, "Statut", "Status"): [STATUS_LABELS[s][en] for s in lines["display_status"]],
        pick(lang, "Reçu", "Received"): [formatting.money(a, lang=lang) if a is not None else "" for a in
                                         lines["received_amount"]],
        pick(lang, "Compte pour 1+1", "Counts for 1+1"): [pick(lang, "oui", "yes") if c else pick(lang, "non", "no")
                                                           for c in lines["counts"]],
    }), lines["is_synthetic"], lines["source"], lang)


def subscriptions_frame(view: FundingView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Collection rate per entity and year (%), for the bar chart."""
    rows = []
    for entity, frame in view.subscriptions.items():
        origin = lines_origin(view, entity)
        for row in frame.itertuples():
            if row.collection_rate is not None:
                rows.append({"year": row.year, "series": names[entity], "value": row.collection_rate * 100,
                             "is_synthetic": origin.synthetic, "source": origin.source_text})
    return pd.DataFrame(rows, columns=["year", "series", "value", "is_synthetic", "source"])


def discrepancies_table(view: FundingView, lang: str) -> pd.DataFrame:
    """Where the plan disagrees with itself: both values with where each is printed."""
    d = view.discrepancies
    return with_origin(pd.DataFrame({
        pick(lang, "Chiffre", "Figure"): d["label_en" if lang == "en" else "label_fr"],
        pick(lang, "Valeur A", "Value A"): [formatting.money(v, lang=lang) for v in d["value_a"]],
        pick(lang, "Où", "Where"): d["location_a"],
        pick(lang, "Valeur B", "Value B"): [formatting.money(v, lang=lang) for v in d["value_b"]],
        pick(lang, "Où ", "Where "): d["location_b"],
        pick(lang, "Remarque", "Note"): d["note"],
    }), [False] * len(d), d["document"], lang)
