"""Headcount and membership in the reader's language: population and series labels, the age bands, the offices."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, _, _p
from smartdash.present import tables
from smartdash.views.people import AGE_BANDS, HeadcountView, MembershipView

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
