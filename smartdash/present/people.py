"""Headcount and membership in the reader's language: population and series labels, the age bands, the offices."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, _, _p
from smartdash.present import tables
from smartdash.views.people import AGE_BANDS, HeadcountView, MembershipView, OfficesChange, offices_losing

AGE_LABELS = {"MEMBERS_AGE_U25": N_("< 25"), "MEMBERS_AGE_26_45": N_("26–45"), "MEMBERS_AGE_46P": N_("> 46")}


def ages_labelled(view: MembershipView, lang: str) -> pd.DataFrame:
    """`MembershipView.ages` with each band's label in place of its code."""
    labels = {code: _(lang, AGE_LABELS[code]) for code in AGE_BANDS}
    return view.ages.assign(band=view.ages["band"].map(labels)) if not view.ages.empty else view.ages


def population_labels(lang: str) -> dict[str, str]:
    return {"staff": _(lang, "Permanent staff"), "members": _(lang, "Salaried members")}


def headcount_lines(view: HeadcountView, population: str, lang: str) -> pd.DataFrame:
    """Headcount (solid) and FTE (dashed) of one population as trajectory series."""
    part = view.series[view.series["population"] == population]
    origin = {"is_synthetic": list(part["is_synthetic"]), "source": list(part["source"])}
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "period_end": part["period_end"],
                    "value": [Decimal(int(v)) for v in part["headcount"]],
                    "series": _p(lang, "chart series", "Headcount"),
                    "dashed": False,
                    **origin,
                }
            ),
            pd.DataFrame(
                {"period_end": part["period_end"], "value": list(part["fte"]), "series": _(lang, "FTE"), "dashed": True, **origin}
            ),
        ],
        ignore_index=True,
    )


def flows_frame(view: HeadcountView, lang: str) -> pd.DataFrame:
    """Entries and exits per year and population. Columns: year, population, series, value."""
    flows = view.flows.melt(
        id_vars=["year", "population", "is_synthetic", "source"], value_vars=["entries", "exits"], var_name="flow"
    )
    words = {"entries": _(lang, "entries"), "exits": _(lang, "exits")}
    return pd.DataFrame(
        {
            "year": flows["year"],
            "population": flows["population"],
            "series": [words[fl] for fl in flows["flow"]],
            "value": [Decimal(int(v)) for v in flows["value"]],
            "is_synthetic": list(flows["is_synthetic"]),
            "source": list(flows["source"]),
        }
    )


def pse_frame(view: HeadcountView, lang: str) -> pd.DataFrame:
    """Job-protection-plan departures per month, actual and plan. Columns: month, series, value."""
    return pd.DataFrame(
        {
            "month": [d.strftime("%m/%Y") for d in view.pse["period_end"]],
            "series": [_(lang, "actual") if s == "actual" else "plan" for s in view.pse["series"]],
            "value": [Decimal(int(v)) for v in view.pse["value"]],
            "is_synthetic": list(view.pse["is_synthetic"]),
            "source": list(view.pse["source"]),
        }
    )


def offices_table(view: MembershipView, lang: str) -> pd.DataFrame:
    """The offices as every output lists them (`tables.OFFICES`)."""
    o = view.offices
    return tables.OFFICES.frame(
        {
            "office": o["office_name"],
            "region": o["region"],
            "members": [formatting.number(v, lang=lang) for v in o["members"]],
            "advisers": [formatting.number(v, lang=lang) if v is not None else "—" for v in o["advisers"]],
            "per_adviser": [formatting.number(v, lang=lang) if v is not None else "—" for v in o["per_adviser"]],
            "stands_out": ["⚠" if s else "" for s in o["stands_out"]],
        },
        lang,
        is_synthetic=o["is_synthetic"],
        sources=o["source"],
    )


def _signed_number(v, lang: str, places: int = 0) -> str:
    """A signed change, whole or to a tenth ("FTE" is the unit formatted with one decimal)."""
    return "—" if v is None else formatting.change(v, "FTE" if places else "count", lang=lang)


def offices_change_table(change: OfficesChange, lang: str) -> pd.DataFrame:
    """Each office then and now — members, advisers, members per adviser and their changes — losses first
    (`tables.OFFICES_CHANGE`; the dates are in `offices_change_title`)."""
    o = change.offices

    def count(values) -> list[str]:
        return [formatting.number(v, lang=lang) if v is not None else "—" for v in values]

    def ratio(values) -> list[str]:
        return [formatting.number(v, lang=lang, places=1) if v is not None else "—" for v in values]

    return tables.OFFICES_CHANGE.frame(
        {
            "office": o["office_name"],
            "members_then": count(o["members_then"]),
            "members_now": count(o["members_now"]),
            "members_change": [_signed_number(v, lang) for v in o["members_change"]],
            "advisers_then": count(o["advisers_then"]),
            "advisers_now": count(o["advisers_now"]),
            "advisers_change": [_signed_number(v, lang) for v in o["advisers_change"]],
            "per_adviser_then": ratio(o["per_adviser_then"]),
            "per_adviser_now": ratio(o["per_adviser_now"]),
            "per_adviser_change": [_signed_number(v, lang, 1) for v in o["per_adviser_change"]],
        },
        lang,
        is_synthetic=o["is_synthetic"],
        sources=o["source"],
    )


def offices_change_title(change: OfficesChange, lang: str) -> str:
    """What the then-and-now table compares, in words."""
    words = {
        "year": N_("Offices, {then} → {now}: the same period a year earlier"),
        "previous": N_("Offices, {then} → {now}: the previous period"),
        "meeting": N_("Offices, {then} → {now}: the figures known at the last meeting"),
    }
    return _(lang, words[change.basis], then=formatting.date_short(change.then), now=formatting.date_short(change.now))


def offices_losing_text(change: OfficesChange, lang: str) -> str:
    """One sentence naming the offices that lost members, with how many, or saying none did."""
    lost = offices_losing(change)
    if change.then is None:
        return _(lang, "No earlier membership figures to compare with.")
    if lost.empty:
        return _(lang, "No office lost members since {then}.", then=formatting.date_short(change.then))
    return _(
        lang,
        "Offices that lost members since {then}: {offices}.",
        then=formatting.date_short(change.then),
        offices=", ".join(
            f"{name} ({formatting.change(v, 'count', lang=lang)})"
            for name, v in zip(lost["office_name"], lost["members_change"], strict=True)
        ),
    )


def since_text(change: OfficesChange, lang: str) -> str:
    """What the members' change is measured from (empty without a comparison)."""
    if change.then is None:
        return ""
    return _(lang, "since {day}", day=formatting.date_short(change.then))
