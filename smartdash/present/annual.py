"""An entity's annual report figures in the reader's language: one row per figure, one column per year, its origin."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting
from smartdash.i18n import _, bilingual
from smartdash.provenance import with_origin
from smartdash.views.annual import AnnualFigures


def annual_title(figures: AnnualFigures, lang: str) -> str:
    return _(lang, "{entity_name}: annual report figures", entity_name=figures.entity_name)


def annual_table(figures: AnnualFigures, lang: str) -> pd.DataFrame:
    """Figure | year before | year | Origin (of the latest year's value); "—" where a year gives none."""
    f = figures.figures
    years = {
        str(y): [
            formatting.value(v, u, lang=lang) if v is not None and not pd.isna(v) else "—"
            for v, u in zip(f[str(y)], f["unit"], strict=True)
        ]
        for y in figures.years
    }
    return with_origin(
        pd.DataFrame(
            {
                _(lang, "Figure"): [bilingual(lang, fr, en) for fr, en in zip(f["label_fr"], f["label_en"], strict=True)],
                **{_(lang, "Year {year}", year=y): years[y] for y in years},
            }
        ),
        f["is_synthetic"],
        f["source"],
        lang,
    )
