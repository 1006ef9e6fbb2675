"""The funding view in the reader's language: captions, switch labels, the coverage series, the tables."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, NP_, _, _p
from smartdash.metrics.funding import GROUP_RULE, ONE_PLUS_ONE_GROUP, CoverageJudgement
from smartdash.metrics.status import AMBER, GREEN, RED
from smartdash.present import tables
from smartdash.provenance import origin_text, parts_origin, provenance_text, with_origin
from smartdash.views.funding import FundingView, planned_origin, received_known, received_origin


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
    if rule:
        return _(
            lang,
            "Expected = the statutory rule's rate × gross salary of employee-associates"
            ' — "{statement}"; collection rate = paid up ÷ expected. Each payment counts for the year it is due for '
            "(year N's subscriptions arrive in January N+1); a year still running with nothing paid is not "
            "shown yet.",
            statement=rule.statement.render(lang),
        )
    return _(
        lang,
        "Expected = the statutory rule's rate × gross salary of employee-associates"
        "; collection rate = paid up ÷ expected. Each payment counts for the year it is due for "
        "(year N's subscriptions arrive in January N+1); a year still running with nothing paid is not "
        "shown yet.",
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
    "conditional": NP_("contribution", "conditional"),
}


def planned_for(day, precision: str, lang: str) -> str:
    """When the plan puts a line: `31/12/2023`, or `en 2023` where the plan gives only the year (due by its end)."""
    if precision == "year":
        return _(lang, "in {year}", year=day.year)
    return formatting.date_short(day)


def status_text(line, lang: str) -> str:
    """A line's status in words; a conditional tranche names its condition."""
    if line.display_status == "conditional":
        return _(lang, "conditional: {condition}", condition=line.condition)
    return _p(lang, *STATUS_LABELS[line.display_status])


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
    for i, (series, frame) in enumerate(coverage_series(view, lang)[: 2 if to_date_only else 3]):
        of = received_origin if i == 1 else planned_origin  # achieved: the receipts; planned: the plan's lines
        for row in frame.itertuples():
            if row.coverage is not None:
                origin = of(view, None if row.entity == "__total__" else row.entity)
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
    origin = {"planned": planned_origin(view, entity), "actual": received_origin(view, entity)}
    return pd.DataFrame(
        {
            "period_end": c["date"],
            "value": c["cumulative_eur"],
            "series": [side[s] for s in c["side"]],
            "dashed": c["basis"] == "planned",
            "is_synthetic": [origin[b].synthetic for b in c["basis"]],
            "source": [origin[b].source_text for b in c["basis"]],
        }
    ).sort_values("series", key=lambda s: s != "SmartBe", kind="stable")


def contribution_origins(view: FundingView, lang: str) -> list[str]:
    """Each line's "Origine": the plan line's, and that of what became of it (its receipt known at the as-of date, or
    its commitment), named by its status, where it comes from elsewhere (a generated receipt of a line the plan
    gives)."""
    planned = _p(lang, *STATUS_LABELS["planned"])
    out = []
    for line in view.lines.itertuples():
        parts = [(planned, origin_text(line.is_synthetic, line.source, lang))]
        known = received_known(line.received_amount, line.received_date, view.as_of)
        if known or line.display_status in ("committed", "cancelled"):
            said = _p(lang, *STATUS_LABELS["received" if known else line.display_status])
            parts.append((said, origin_text(line.received_is_synthetic, line.received_source, lang)))
        out.append(parts_origin(parts, lang))
    return out


def contributions_table(view: FundingView, lang: str) -> pd.DataFrame:
    """The contributions as every output lists them (`tables.CONTRIBUTIONS`), the origin of each part of a line."""
    lines = view.lines
    en = lang == "en"
    return tables.CONTRIBUTIONS.frame(
        {
            "contributor": lines["contributor"],
            "instrument": lines["instrument_en" if en else "instrument_fr"],
            "planned_for": [planned_for(d, p, lang) for d, p in zip(lines["planned_date"], lines["date_precision"], strict=True)],
            "planned_amount": [formatting.money(a, lang=lang) for a in lines["planned_amount"]],
            "status": [status_text(line, lang) for line in lines.itertuples()],
            "received": [formatting.money(a, lang=lang) if a is not None else "" for a in lines["received_amount"]],
            "counts": [_(lang, "yes") if c else _(lang, "no") for c in lines["counts"]],
        },
        lang,
        origins=contribution_origins(view, lang),
    )


def subscriptions_frame(view: FundingView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Collection rate per entity and year (%), for the bar chart."""
    rows = []
    for entity, frame in view.subscriptions.items():
        origin = received_origin(view, entity)  # the rate is what was paid up
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


JUDGEMENTS = {GROUP_RULE: N_("group: 1+1 rule"), "entity_plan": N_("entity: against its plan to date")}
GROUP_VERDICTS = {
    GREEN: N_("rule met"),
    AMBER: N_("rule not yet met"),
    RED: N_("rule not met at the plan's end"),
    None: N_("not judged: SmartBe has brought nothing yet"),
}
ENTITY_VERDICTS = {
    AMBER: N_("slightly behind its plan to date"),
    RED: N_("behind its plan to date"),
    None: N_("not judged: nothing to compare yet"),
}


def total_name(view: FundingView, lang: str) -> str:
    """The coverage "total": the group the rule binds, named with its members when they are all there."""
    present = set(view.coverage_actual["entity"]) if not view.coverage_actual.empty else set()
    if not set(ONE_PLUS_ONE_GROUP) <= present:
        return _(lang, "Total")
    members = " + ".join(view.names.get(e, e) for e in ONE_PLUS_ONE_GROUP)
    return _(lang, "Group ({members})", members=members)


def verdict(j: CoverageJudgement, lang: str) -> str:
    """What the judgement says, in words (never by colour alone)."""
    if j.basis == GROUP_RULE:
        return _(lang, GROUP_VERDICTS[j.status])
    if j.status == GREEN:
        return _(lang, "ahead of its plan to date") if j.achieved >= j.reference else _(lang, "on its plan to date")
    return _(lang, ENTITY_VERDICTS[j.status])


def gap_text(j: CoverageJudgement, lang: str) -> str:
    """The gap in euros: matched € missing to reach the reference, or ahead of it."""
    if j.gap_eur is None:
        return "—"
    if j.gap_eur > 0:
        return _(lang, "short by {money}", money=formatting.money(j.gap_eur, lang=lang))
    return _(lang, "ahead by {money}", money=formatting.money(-j.gap_eur, lang=lang))


def judgement_sentence(j: CoverageJudgement, view: FundingView, lang: str) -> str:
    """`Groupe : règle 1+1 — pas encore atteinte : réalisée 0,21 pour 1 ; il manque 1 970 249 € ; le plan atteint 1,98
    en 2031.` — which judgement, its verdict, the figures and the gap in euros."""
    if j.basis == GROUP_RULE:
        return _(
            lang,
            "{judgement} — {verdict}: achieved {achieved} against 1 ({gap}); the plan reaches {end} by {end_year}.",
            judgement=_(lang, JUDGEMENTS[j.basis]),
            verdict=verdict(j, lang),
            achieved=formatting.ratio(j.achieved, lang=lang),
            gap=gap_text(j, lang),
            end=formatting.ratio(j.plan_end, lang=lang),
            end_year=j.plan_end_year or "—",
        )
    return _(
        lang,
        "{judgement} — {verdict}: achieved {achieved} against {reference} planned by {day} ({gap}).",
        judgement=_(lang, JUDGEMENTS[j.basis]),
        verdict=verdict(j, lang),
        achieved=formatting.ratio(j.achieved, lang=lang),
        reference=formatting.ratio(j.reference, lang=lang),
        day=formatting.date_short(view.as_of),
        gap=gap_text(j, lang),
    )


def judgements_table(view: FundingView, lang: str) -> pd.DataFrame:
    """Each coverage with the judgement it is held to: the group against 1, each entity against its plan to date;
    the gap in euros and the verdict in words."""
    rows = view.judgements
    names = view.names | {"__total__": total_name(view, lang)}
    achieved, planned = _(lang, "achieved"), _(lang, "planned")
    origins = [
        parts_origin(
            [
                (achieved, provenance_text(received_origin(view, scope), lang)),
                (planned, provenance_text(planned_origin(view, scope), lang)),
            ],
            lang,
        )
        for scope in (None if j.entity == "__total__" else j.entity for j in rows)
    ]
    return tables.JUDGED_COVERAGE.frame(
        {
            "scope": [names[j.entity] for j in rows],
            "judged": [_(lang, JUDGEMENTS[j.basis]) for j in rows],
            "achieved": [formatting.ratio(j.achieved, lang=lang) for j in rows],
            "against": [formatting.ratio(j.reference, lang=lang) for j in rows],
            "gap": [gap_text(j, lang) for j in rows],
            "verdict": [verdict(j, lang) for j in rows],
            "plan_end": [f"{formatting.ratio(j.plan_end, lang=lang)} ({j.plan_end_year or '—'})" for j in rows],
        },
        lang,
        origins=origins,
    )
