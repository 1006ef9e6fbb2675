"""The funding view in the reader's language: captions, switch labels, the coverage series, the tables."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting
from smartdash.i18n import NP_, _, _p
from smartdash.present import tables
from smartdash.provenance import with_origin
from smartdash.views.funding import FundingView, lines_origin


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
    stated = _(lang, ' — "{statement}"', statement=rule.statement.render(lang)) if rule else ""
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
    "planned": NP_("contribution", "planned"),
    "committed": NP_("contribution", "committed"),
    "received": NP_("contribution", "received"),
    "cancelled": NP_("contribution", "cancelled"),
    "late": NP_("contribution", "late"),
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
    """The contributions as every output lists them (`tables.CONTRIBUTIONS`), each with its origin."""
    lines = view.lines
    en = lang == "en"
    return tables.CONTRIBUTIONS.frame(
        {
            "contributor": lines["contributor"],
            "instrument": lines["instrument_en" if en else "instrument_fr"],
            "planned_for": [formatting.date_short(d) for d in lines["planned_date"]],
            "planned_amount": [formatting.money(a, lang=lang) for a in lines["planned_amount"]],
            "status": [_p(lang, *STATUS_LABELS[s]) for s in lines["display_status"]],
            "received": [formatting.money(a, lang=lang) if a is not None else "" for a in lines["received_amount"]],
            "counts": [_(lang, "yes") if c else _(lang, "no") for c in lines["counts"]],
        },
        lang,
        is_synthetic=lines["is_synthetic"],
        sources=lines["source"],
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
