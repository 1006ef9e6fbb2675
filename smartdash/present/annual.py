"""An entity's annual report figures in the reader's language: one row per figure, one column per year, its origin."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting
from smartdash.i18n import _, bilingual
from smartdash.present import tables
from smartdash.views.annual import AnnualFigures


def annual_title(figures: AnnualFigures, lang: str) -> str:
    """The table's title, with its two years: the columns are declared once as "year before" and "latest year"."""
    previous, latest = figures.years
    return _(
        lang,
        "{entity_name}: annual report figures, {previous} and {latest}",
        entity_name=figures.entity_name,
        previous=previous,
        latest=latest,
    )


def annual_table(figures: AnnualFigures, lang: str) -> pd.DataFrame:
    """`tables.ANNUAL_FIGURES`: figure, year before, latest year, origin (of the latest year's value); "—" where
    a year gives none."""
    f = figures.figures

    def shown(year: int) -> list[str]:
        return [
            formatting.value(v, u, lang=lang) if v is not None and not pd.isna(v) else "—"
            for v, u in zip(f[str(year)], f["unit"], strict=True)
        ]

    previous, latest = figures.years
    return tables.ANNUAL_FIGURES.frame(
        {
            "figure": [bilingual(lang, fr, en) for fr, en in zip(f["label_fr"], f["label_en"], strict=True)],
            "previous": shown(previous),
            "latest": shown(latest),
        },
        lang,
        is_synthetic=f["is_synthetic"],
        sources=f["source"],
    )
