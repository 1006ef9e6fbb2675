"""The plan versions in the reader's language: the note on a later version, the drift and milestone tables."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting, provenance
from smartdash.i18n import _, _p
from smartdash.metrics.versions import adopted_after, superseded_by
from smartdash.present.equity import year_label
from smartdash.views.versions import VersionsView


def version_note(versions: pd.DataFrame, code: str | None, as_of, lang: str) -> str:
    """What a reader must know of the version figures of `as_of` are compared with: "adoptée après cette date"
    for a version not yet adopted then, "remplacée par PLAN-… le …" for one a later version had replaced by then
    (empty for the version in force). Input: queries.plan_versions()."""
    if code is None:
        return ""
    if not adopted_after(versions, code, as_of):
        replaced = superseded_by(versions, code, as_of)
        if replaced is None:
            return ""
        return _(lang, "superseded by {code} on {date}", code=replaced[0], date=formatting.date_short(replaced[1]))
    draft = (versions.loc[versions["code"] == code, "status"] == "draft").any()
    return _(lang, "draft, not adopted") if draft else _(lang, "adopted after this date")


def version_label(versions: pd.DataFrame, code: str | None, as_of, lang: str) -> str:
    """`PLAN-2024-06 (adoptée après cette date)`, or the code alone for the version in force at `as_of`."""
    note = version_note(versions, code, as_of, lang)
    return f"{code} ({note})" if note else str(code or "—")


def drift_table(view: VersionsView, lang: str) -> pd.DataFrame:
    d = view.target_drift
    return pd.DataFrame(
        {
            _(lang, "Indicator"): d["label_en" if lang == "en" else "label_fr"],
            _(lang, "Entity"): d["entity_name"],
            _(lang, "Period"): [formatting.date_short(x) for x in d["period_end"]],
            _(lang, "Before"): [
                formatting.value(v, u, lang=lang) if v is not None else "—" for v, u in zip(d["before"], d["unit"], strict=True)
            ],
            _(lang, "Earlier version"): d["before_version"],
            _(lang, "After"): [
                formatting.value(v, u, lang=lang) if v is not None else "—" for v, u in zip(d["after"], d["unit"], strict=True)
            ],
            _(lang, "Changed by"): d["after_version"],
        }
    ).pipe(provenance.with_origin, d["is_synthetic"], d["source"], lang)


def funding_drift_table(view: VersionsView, names: dict[str, str], lang: str) -> pd.DataFrame:
    d = view.funding_drift
    return pd.DataFrame(
        {
            _(lang, "Contribution"): [
                f"{c} → {names.get(b, b)}" for c, b in zip(d["contributor"], d["beneficiary"], strict=True)
            ],
            _(lang, "Before"): [
                f"{formatting.money_compact(a, lang=lang)} ({formatting.date_short(t)})" if a is not None else "—"
                for a, t in zip(d["before_amount"], d["before_date"], strict=True)
            ],
            _(lang, "After"): [
                f"{formatting.money_compact(a, lang=lang)} ({formatting.date_short(t)})" if a is not None else "—"
                for a, t in zip(d["after_amount"], d["after_date"], strict=True)
            ],
            _(lang, "Changed by"): d["after_version"],
        }
    ).pipe(provenance.with_origin, d["is_synthetic"], d["source"], lang)


def _milestone_origin(row, lang: str) -> str:
    """Each column's origin apart: the stated break-even year and the equity path often come from different places."""
    stated = (
        provenance.origin_text(row.stated_synthetic, row.stated_source, lang)
        if row.stated_synthetic is not None
        else _p(lang, "statement", "not stated")
    )
    path = provenance.origin_text(row.path_synthetic, row.path_source, lang)
    return _(lang, "break-even: {stated} · path: {path}", stated=stated, path=path)


def milestones_table(view: VersionsView, lang: str) -> pd.DataFrame:
    d = view.milestones
    return pd.DataFrame(
        {
            _(lang, "Entity"): d["entity"],
            _(lang, "Version"): d["version"],
            _(lang, "Break-even target (as stated)"): [str(y) if y else _(lang, "not stated") for y in d["break_even_year"]],
            _(lang, "Equity ≥ 0 (plan path)"): [
                _(lang, "positive throughout") if always else year_label(y, h, lang, none=None)
                for y, always, h in zip(d["equity_positive_year"], d["equity_never_negative"], d["plan_end_year"], strict=True)
            ],
            provenance.origin_header(lang): [_milestone_origin(r, lang) for r in d.itertuples(index=False)],
        }
    )


def targets_table(view: VersionsView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The targets each version states in words, as stated, with their source."""
    t = view.targets
    return pd.DataFrame(
        {
            _(lang, "Version"): t["plan_version"],
            _(lang, "Entity"): [names.get(e, e) if isinstance(e, str) else _(lang, "all") for e in t["entity"]],
            _(lang, "Target"): [
                _(lang, "{value} from {year}", value=formatting.value(v, u, lang=lang), year=int(y))
                if y is not None and not pd.isna(y)
                else formatting.value(v, u, lang=lang)
                for v, u, y in zip(t["value"], t["unit"], t["from_year"], strict=True)
            ],
            _(lang, "As stated"): [
                en if lang == "en" and isinstance(en, str) else fr
                for fr, en in zip(t["statement_fr"], t["statement_en"], strict=True)
            ],
        }
    ).pipe(provenance.with_origin, t["is_synthetic"], t["source"], lang)
