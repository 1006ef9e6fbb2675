"""Funding against the 1+1 rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import formatting, queries
from smartdash.i18n import _
from smartdash.metrics.funding import (
    OnePlusOneDefinition,
    counted,
    cumulative_by_date,
    display_status,
    member_subscriptions,
    one_plus_one_coverage,
    subscriptions_by_due_year,
)
from smartdash.provenance import Provenance, with_origin
from smartdash.views import Filters
from smartdash.views.equity import StatedTarget, stated_target


@dataclass(frozen=True)
class FundingView:
    lines: pd.DataFrame  # contributions with display_status and counts columns added
    coverage_planned: pd.DataFrame  # what the plan puts on or before the as-of date (until = as-of date)
    coverage_actual: pd.DataFrame  # what was received by the as-of date (until = as-of date)
    coverage_plan_end: pd.DataFrame  # the whole plan, to its end (until = its last planned date)
    plan_end_year: int | None
    cumulative: pd.DataFrame  # entity, date, side, cumulative_eur, basis
    subscriptions: dict[str, pd.DataFrame]  # entity → member_subscriptions(), per year the payments are due for
    subscription_rule: StatedTarget | None
    discrepancies: pd.DataFrame  # see discrepancies()
    definition: OnePlusOneDefinition
    names: dict[str, str]
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Discrepancy:
    """Two figures where the plan disagrees with itself, and the funding lines whose planned amounts the coverage
    counts for that figure (so a page can say which of the two values it uses)."""

    a: str  # source figure codes
    b: str
    beneficiary: str
    contributor_class: str


DISCREPANCIES = [
    Discrepancy("PLAN_WAIVER_SFR_GE_TEXT", "PLAN_WAIVER_SFR_GE_TABLE", "GRANDSENSEMBLE", "group"),
    Discrepancy("PLAN_SFR_MEMBERS_TOTAL", "PLAN_SFR_MEMBERS_ROWS", "SMARTFR", "members"),
]
SUBSCRIPTION_RATE = Decimal("0.02")  # the statutory rule, when no plan version states it as a target


def funding_view(*, session: Session, filters: Filters, definition: OnePlusOneDefinition) -> FundingView:
    """Contributions of the plan version chosen, their status at the as-of date, coverage planned to date, achieved
    to date and planned to the plan's end under `definition`, member subscriptions against the 2 % rule per year
    they are due for, and the plan's own inconsistencies with the value the coverage uses."""
    lines = queries.contributions(session=session, plan_version=filters.plan_version) if filters.plan_version else pd.DataFrame()
    ents = queries.entities(session=session)
    names = dict(zip(ents["code"], ents["name"], strict=True))
    if lines.empty:
        empty = pd.DataFrame()
        return FundingView(lines, empty, empty, empty, None, empty, {}, None, empty, definition, names, filters.as_of)
    targets = queries.plan_targets(session=session, plan_version=filters.plan_version)
    found = discrepancies(session=session, lines=lines, definition=definition)
    if filters.entity:
        lines = lines[lines["beneficiary"] == filters.entity].reset_index(drop=True)
    lines = lines.assign(
        display_status=[display_status(s, d, filters.as_of) for s, d in zip(lines["status"], lines["planned_date"], strict=True)],
        counts=counted(lines, definition) if not lines.empty else [],
    )
    # what was received after the as-of date is not yet known at that date
    received = zip(lines["received_amount"], lines["received_date"], strict=True)
    known = lines.assign(received_amount=[a if d is not None and d <= filters.as_of else None for a, d in received])
    cumulative = pd.concat(
        [
            cumulative_by_date(lines, definition, basis="planned").assign(basis="planned"),
            cumulative_by_date(known, definition, basis="actual").assign(basis="actual"),
        ],
        ignore_index=True,
    )
    rule = stated_target(targets, "MEMBER_SUBSCRIPTION_RATE", None, filters.lang)
    subscriptions = {}
    gross = queries.observations(session=session, indicators=["MEMBERS_GROSS_SALARY"], until=filters.as_of)
    for entity in dict.fromkeys(lines["beneficiary"]):
        salary = gross[gross["entity"] == entity]
        if salary.empty:
            continue
        own = known[known["beneficiary"] == entity]
        target = stated_target(targets, "MEMBER_SUBSCRIPTION_RATE", entity, filters.lang)
        from_year = targets[(targets["target"] == "MEMBER_SUBSCRIPTION_RATE")]["from_year"].dropna()
        subscriptions[entity] = member_subscriptions(
            subscriptions_by_due_year(own, as_of=filters.as_of),
            {d.year: v for d, v in zip(salary["period_end"], salary["value"], strict=True)},
            rate=target.value / 100 if target else SUBSCRIPTION_RATE,
            from_year=int(from_year.iloc[0]) if not from_year.empty else None,
            as_of=filters.as_of,
        )
    ends = [d.year for d in lines["planned_date"]]
    horizon = stated_target(targets, "PLAN_END_YEAR", None, filters.lang)
    return FundingView(
        lines=lines,
        coverage_planned=one_plus_one_coverage(lines, definition, basis="planned", as_of=filters.as_of),
        coverage_actual=one_plus_one_coverage(lines, definition, basis="actual", as_of=filters.as_of),
        coverage_plan_end=one_plus_one_coverage(lines, definition, basis="planned"),
        plan_end_year=horizon.year if horizon else max(ends, default=None),
        cumulative=cumulative,
        subscriptions=subscriptions,
        subscription_rule=rule,
        discrepancies=found,
        definition=definition,
        names=names,
        as_of=filters.as_of,
    )


def _text(value) -> str | None:
    """A stored text, or None for a missing one (NaN once in a DataFrame)."""
    return value if isinstance(value, str) and value.strip() else None


def discrepancies(*, session: Session, lines: pd.DataFrame, definition: OnePlusOneDefinition) -> pd.DataFrame:
    """Pairs of figures where the plan disagrees with itself, and the one the coverage uses: the sum of the planned
    amounts of the plan version's lines for that figure. Columns: label_fr, label_en, value_a, location_a,
    value_b, location_b, note (never missing when either figure has one), used_eur (None without such lines),
    contributor_class (of those lines), used ("a", "b" or None when the lines match neither), counted (whether
    those lines count under `definition`)."""
    figures = queries.source_figures(session=session).set_index("code")
    rows = []
    for d in DISCREPANCIES:
        if d.a in figures.index and d.b in figures.index:
            fa, fb = figures.loc[d.a], figures.loc[d.b]
            mine = lines[
                (lines["beneficiary"] == d.beneficiary)
                & (lines["contributor_class"] == d.contributor_class)
                & (lines["status"] != "cancelled")
            ]
            used = sum(mine["planned_amount"], Decimal(0)) if not mine.empty else None
            rows.append(
                {
                    "label_fr": fa["label_fr"],
                    "label_en": fa["label_en"],
                    "value_a": fa["value"],
                    "location_a": fa["location"],
                    "value_b": fb["value"],
                    "location_b": fb["location"],
                    "note": _text(fb["note"]) or _text(fa["note"]) or "",
                    "document": fa["document"],
                    "used_eur": used,
                    "contributor_class": d.contributor_class,
                    "counted": bool(counted(mine, definition).any()) if not mine.empty else False,
                    "used": None if used is None else "a" if used == fa["value"] else "b" if used == fb["value"] else None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "label_fr",
            "label_en",
            "value_a",
            "location_a",
            "value_b",
            "location_b",
            "note",
            "document",
            "used_eur",
            "contributor_class",
            "used",
            "counted",
        ],
    )


def _used_text(row, lang: str) -> str:
    """`3 677 000 € (valeur B)` — what the coverage counts for a figure the plan gives twice."""
    which = {"a": _(lang, "value A"), "b": _(lang, "value B")}.get(row.used, _(lang, "neither A nor B"))
    return f"{formatting.money(row.used_eur, lang=lang)} ({which})"


def coverage_caption(view: FundingView, lang: str) -> str:
    """The dates the ratios are counted to, and which value each coverage figure uses where the plan prints two."""
    parts = []
    for row in view.discrepancies.itertuples():
        if row.used_eur is None:
            continue
        other = row.value_a if row.used == "b" else row.value_b
        label = (row.label_en if lang == "en" else row.label_fr).split(",")[0]  # "…, total annoncé" names one value
        used, also = formatting.money(row.used_eur, lang=lang), formatting.money(other, lang=lang)
        if row.counted:
            parts.append(
                _(lang, "{label}: coverage counts {used} (the plan also prints {also})", label=label, used=used, also=also)
            )
        else:
            parts.append(
                _(
                    lang,
                    "{label}: {used} (the plan also prints {also}), not counted under this definition",
                    label=label,
                    used=used,
                    also=also,
                )
            )
    when = formatting.date_long(view.as_of, lang=lang)
    end = view.plan_end_year or "—"
    head = _(
        lang,
        "Achieved and planned to date: amounts received and amounts planned by {when}, comparable with each "
        "other; end of plan: every amount planned up to {end}.",
        when=when,
        end=end,
    )
    return head + (" " + " ; ".join(parts) + "." if parts else "")


def subscriptions_caption(view: FundingView, lang: str) -> str:
    """How the 2 % rule chart is read: the rule as the plan states it, and payments counted for the year they are for."""
    rule = view.subscription_rule
    stated = _(lang, ' — "{statement}"', statement=rule.statement) if rule else ""
    return _(
        lang,
        "Expected = the statutory rule's rate × gross salary of employee-associates"
        "{stated}; collection rate = paid up ÷ expected. Each payment counts for the year it is due for "
        "(year N's subscriptions arrive in January N+1); a year still running with nothing paid is not "
        "shown yet.",
        stated=stated,
    )


def group_waiver_switch(view: FundingView, lang: str) -> str:
    """The intra-group waiver switch's label, with the amount it counts where the plan prints two."""
    row = next((r for r in view.discrepancies.itertuples() if r.contributor_class == "group" and r.used_eur is not None), None)
    if row is None:
        return _(lang, "Count intra-group claim waivers")
    used = formatting.money_compact(row.used_eur, lang=lang)
    other = formatting.money_compact(row.value_a if row.used == "b" else row.value_b, lang=lang)
    return _(
        lang,
        "Count intra-group claim waivers (SmartFr → GrandsEnsemble: {used} counted, the plan's text says {other})",
        used=used,
        other=other,
    )


STATUS_LABELS = {
    "planned": ("prévu", "planned"),
    "committed": ("engagé", "committed"),
    "received": ("reçu", "received"),
    "cancelled": ("annulé", "cancelled"),
    "late": ("en retard", "late"),
}
CLASS_LABELS = {
    "smartbe": ("SmartBe", "SmartBe"),
    "members": ("sociétaires", "members"),
    "partners": ("partenaires", "partners"),
    "group": ("groupe", "group"),
}


def coverage_series(view: FundingView, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """The coverages a page or slide sets side by side, each labelled with the date it is counted to: planned to
    date and achieved to date (the same date: comparable), then the plan's end, labelled with its horizon."""
    day = formatting.date_short(view.as_of)
    return [
        (_(lang, "planned by {day}", day=day), view.coverage_planned),
        (_(lang, "achieved by {day}", day=day), view.coverage_actual),
        (_(lang, "planned, end of plan ({plan_end_year})", plan_end_year=view.plan_end_year), view.coverage_plan_end),
    ]


def coverage_frame(view: FundingView, names: dict[str, str], lang: str, *, to_date_only: bool = False) -> pd.DataFrame:
    """Coverage ratios for the bar chart. Columns: entity (name), series (planned to date / achieved to date /
    planned to the plan's end — left out with `to_date_only` —, each naming its date), value."""
    rows = []
    for series, frame in coverage_series(view, lang)[: 2 if to_date_only else 3]:
        for row in frame.itertuples():
            if row.coverage is not None:
                origin = lines_origin(view, None if row.entity == "__total__" else row.entity)
                rows.append(
                    {
                        "entity": names[row.entity],
                        "series": series,
                        "value": row.coverage,
                        "is_synthetic": origin.synthetic,
                        "source": origin.source_text,
                    }
                )
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
    side = {"smartbe": "SmartBe", "matched": _(lang, "matched")}
    origin = lines_origin(view, entity)
    return pd.DataFrame(
        {
            "period_end": c["date"],
            "value": c["cumulative_eur"],
            "series": [side[s] for s in c["side"]],
            "dashed": c["basis"] == "planned",
            "is_synthetic": origin.synthetic,
            "source": origin.source_text,
        }
    ).sort_values("series", key=lambda s: s != "SmartBe", kind="stable")


def contributions_table(view: FundingView, lang: str) -> pd.DataFrame:
    """The contributions as the page lists them, French headers first."""
    lines = view.lines
    en = lang == "en"
    return with_origin(
        pd.DataFrame(
            {
                _(lang, "Contributor"): lines["contributor"],
                _(lang, "Instrument"): lines["instrument_en" if en else "instrument_fr"],
                _(lang, "Planned for"): [formatting.date_short(d) for d in lines["planned_date"]],
                _(lang, "Planned amount"): [formatting.money(a, lang=lang) for a in lines["planned_amount"]],
                _(lang, "Status"): [STATUS_LABELS[s][en] for s in lines["display_status"]],
                _(lang, "Received"): [formatting.money(a, lang=lang) if a is not None else "" for a in lines["received_amount"]],
                _(lang, "Counts for 1+1"): [_(lang, "yes") if c else _(lang, "no") for c in lines["counts"]],
            }
        ),
        lines["is_synthetic"],
        lines["source"],
        lang,
    )


def subscriptions_frame(view: FundingView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Collection rate per entity and year (%), for the bar chart."""
    rows = []
    for entity, frame in view.subscriptions.items():
        origin = lines_origin(view, entity)
        for row in frame.itertuples():
            if row.collection_rate is not None:
                rows.append(
                    {
                        "year": row.year,
                        "series": names[entity],
                        "value": row.collection_rate * 100,
                        "is_synthetic": origin.synthetic,
                        "source": origin.source_text,
                    }
                )
    return pd.DataFrame(rows, columns=["year", "series", "value", "is_synthetic", "source"])


def discrepancies_table(view: FundingView, lang: str) -> pd.DataFrame:
    """Where the plan disagrees with itself: both values, the one coverage uses, the remark, where each is printed."""
    d = view.discrepancies
    return with_origin(
        pd.DataFrame(
            {
                _(lang, "Figure"): d["label_en" if lang == "en" else "label_fr"],
                _(lang, "Value A"): [formatting.money(v, lang=lang) for v in d["value_a"]],
                _(lang, "Value B"): [formatting.money(v, lang=lang) for v in d["value_b"]],
                _(lang, "Used by 1+1 coverage"): [_used_text(r, lang) if r.used_eur is not None else "—" for r in d.itertuples()],
                _(lang, "Note"): d["note"],
                _(lang, "Where (A; B)"): [f"{a} ; {b}" for a, b in zip(d["location_a"], d["location_b"], strict=True)],
            }
        ),
        [False] * len(d),
        d["document"],
        lang,
    )
