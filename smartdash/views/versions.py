"""Plan versions: what each version targets, and how the targets moved from one version to the next."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartdash import formatting, queries
from smartdash import models as m
from smartdash.metrics.equity import first_plan_year_positive
from smartdash.metrics.versions import adopted_after
from smartdash.views import pick
from smartdash.views.equity import stated_target, year_label


@dataclass(frozen=True)
class VersionsView:
    versions: pd.DataFrame  # code, name, status, adopted_on, adopted_by, note, is_synthetic — oldest first
    milestones: pd.DataFrame  # entity, version, break_even_year (as stated), equity_positive_year, plan_end_year
    targets: pd.DataFrame  # queries.plan_targets(): what each version states in words
    target_drift: pd.DataFrame  # indicator, entity, period_end, unit, before_version, before, after_version, after
    funding_drift: pd.DataFrame  # code, contributor, beneficiary, before_version, before_amount, before_date, ...


def ordered_versions(*, session: Session) -> pd.DataFrame:
    """Versions oldest first: the plan as adopted, then its revisions (drafts last)."""
    v = m.PlanVersion
    rows = session.execute(select(v.code, v.name, v.status, v.adopted_on, v.adopted_by, v.note, v.is_synthetic)
                           .order_by((v.status == "draft"), v.adopted_on.is_not(None), v.adopted_on, v.id)).all()
    return queries.frame(rows, ["code", "name", "status", "adopted_on", "adopted_by", "note", "is_synthetic"])


def _plan_values(session: Session, version: str) -> pd.DataFrame:
    o, i, e = m.Observation, m.Indicator, m.Entity
    rows = session.execute(
        select(i.code, i.label_fr, i.label_en, i.unit, e.code, e.name, o.period_end, o.value)
        .join(i, i.id == o.indicator_id).join(e, e.id == o.entity_id)
        .join(m.PlanVersion, m.PlanVersion.id == o.plan_version_id)
        .where(m.PlanVersion.code == version, o.office_id.is_(None))
    ).all()
    return queries.frame(rows, ["indicator", "label_fr", "label_en", "unit", "entity", "entity_name", "period_end",
                                "value"])


def target_drift(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Every plan value that changed between consecutive versions (or appeared, or was dropped), with the
    version that changed it. Columns: indicator, label_fr, label_en, unit, entity_name, period_end,
    before_version, before, after_version, after."""
    rows = []
    key = ["indicator", "label_fr", "label_en", "unit", "entity", "entity_name", "period_end"]
    for before, after in zip(versions, versions[1:], strict=False):
        a, b = _plan_values(session, before), _plan_values(session, after)
        both = a.merge(b, on=key, how="outer", suffixes=("_before", "_after"))
        for r in both.itertuples(index=False):
            vb = None if pd.isna(r.value_before) else r.value_before
            va = None if pd.isna(r.value_after) else r.value_after
            if vb != va:
                rows.append({"indicator": r.indicator, "label_fr": r.label_fr, "label_en": r.label_en, "unit": r.unit,
                             "entity_name": r.entity_name, "period_end": r.period_end, "before_version": before,
                             "before": vb, "after_version": after, "after": va})
    frame = pd.DataFrame(rows, columns=["indicator", "label_fr", "label_en", "unit", "entity_name", "period_end",
                                        "before_version", "before", "after_version", "after"])
    return frame.sort_values(["after_version", "indicator", "entity_name", "period_end"], ignore_index=True)


def funding_drift(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Funding lines whose planned amount or date changed between consecutive versions.
    Columns: code, contributor, beneficiary, before_version, before_amount, before_date, after_version,
    after_amount, after_date."""
    rows = []
    for before, after in zip(versions, versions[1:], strict=False):
        a = queries.contributions(session=session, plan_version=before).set_index("code")
        b = queries.contributions(session=session, plan_version=after).set_index("code")
        for code in sorted(set(a.index) | set(b.index)):
            ra, rb = (a.loc[code] if code in a.index else None), (b.loc[code] if code in b.index else None)
            amounts = (None if ra is None else ra["planned_amount"], None if rb is None else rb["planned_amount"])
            dates = (None if ra is None else ra["planned_date"], None if rb is None else rb["planned_date"])
            if amounts[0] != amounts[1] or dates[0] != dates[1]:
                line = rb if rb is not None else ra
                rows.append({"code": code, "contributor": line["contributor"], "beneficiary": line["beneficiary"],
                             "before_version": before, "before_amount": amounts[0], "before_date": dates[0],
                             "after_version": after, "after_amount": amounts[1], "after_date": dates[1]})
    return pd.DataFrame(rows, columns=["code", "contributor", "beneficiary", "before_version", "before_amount",
                                       "before_date", "after_version", "after_amount", "after_date"])


def milestones(*, session: Session, versions: list[str]) -> pd.DataFrame:
    """Per entity and version: the break-even year as the version states it (None when it states none: never
    read off the planned results, which can turn positive for another reason, such as a waiver), the first
    year-end with planned equity ≥ 0 on the version's path, and the version's horizon."""
    rows = []
    for version in versions:
        values = _plan_values(session, version)
        targets = queries.plan_targets(session=session, plan_version=version)
        horizon = stated_target(targets, "PLAN_END_YEAR", None, "fr")
        for entity, part in values.groupby("entity", sort=False):
            if "EQUITY" not in set(part["indicator"]):
                continue
            sel = part[part["indicator"] == "EQUITY"]
            stated = stated_target(targets, "BREAK_EVEN_YEAR", entity, "fr")
            rows.append({"entity": part["entity_name"].iloc[0], "version": version,
                         "break_even_year": stated.year if stated else None,
                         "equity_positive_year": first_plan_year_positive(
                             {d.year: v for d, v in zip(sel["period_end"], sel["value"], strict=True)}),
                         "plan_end_year": horizon.year if horizon else max(d.year for d in part["period_end"])})
    return pd.DataFrame(rows, columns=["entity", "version", "break_even_year", "equity_positive_year", "plan_end_year"])


def versions_view(*, session: Session) -> VersionsView:
    versions = ordered_versions(session=session)
    codes = list(versions["code"])
    return VersionsView(versions, milestones(session=session, versions=codes), queries.plan_targets(session=session),
                        target_drift(session=session, versions=codes), funding_drift(session=session, versions=codes))


def version_note(versions: pd.DataFrame, code: str | None, as_of, lang: str) -> str:
    """What a reader must know of the version figures of `as_of` are compared with: "adoptée après cette date"
    for a version not yet adopted then (empty otherwise). Input: queries.plan_versions()."""
    if code is None or not adopted_after(versions, code, as_of):
        return ""
    draft = (versions.loc[versions["code"] == code, "status"] == "draft").any()
    return pick(lang, "brouillon, non adoptée", "draft, not adopted") if draft else pick(
        lang, "adoptée après cette date", "adopted after this date")


def version_label(versions: pd.DataFrame, code: str | None, as_of, lang: str) -> str:
    """`PLAN-2024-06 (adoptée après cette date)`, or the code alone for the version in force at `as_of`."""
    note = version_note(versions, code, as_of, lang)
    return f"{code} ({note})" if note else str(code or "—")


def drift_table(view: VersionsView, lang: str) -> pd.DataFrame:
    d = view.target_drift
    return pd.DataFrame({
        pick(lang, "Indicateur", "Indicator"): d["label_en" if lang == "en" else "label_fr"],
        pick(lang, "Entité", "Entity"): d["entity_name"],
        pick(lang, "Période", "Period"): [formatting.date_short(x) for x in d["period_end"]],
        pick(lang, "Avant", "Before"): [formatting.value(v, u, lang=lang) if v is not None else "—"
                                        for v, u in zip(d["before"], d["unit"], strict=True)],
        pick(lang, "Version d'avant", "Earlier version"): d["before_version"],
        pick(lang, "Après", "After"): [formatting.value(v, u, lang=lang) if v is not None else "—"
                                       for v, u in zip(d["after"], d["unit"], strict=True)],
        pick(lang, "Modifié par", "Changed by"): d["after_version"],
    })


def funding_drift_table(view: VersionsView, names: dict[str, str], lang: str) -> pd.DataFrame:
    d = view.funding_drift
    return pd.DataFrame({
        pick(lang, "Apport", "Contribution"): [f"{c} → {names.get(b, b)}" for c, b in zip(d["contributor"],
                                                                                      d["beneficiary"], strict=True)],
        pick(lang, "Avant", "Before"): [f"{formatting.money_compact(a, lang=lang)} ({formatting.date_short(t)})"
                                        if a is not None else "—" for a, t in zip(d["before_amount"], d["before_date"],
                                                                                  strict=True)],
        pick(lang, "Après", "After"): [f"{formatting.money_compact(a, lang=lang)} ({formatting.date_short(t)})"
                                       if a is not None else "—" for a, t in zip(d["after_amount"], d["after_date"],
                                                                                 strict=True)],
        pick(lang, "Modifié par", "Changed by"): d["after_version"],
    })


def milestones_table(view: VersionsView, lang: str) -> pd.DataFrame:
    d = view.milestones
    return pd.DataFrame({
        pick(lang, "Entité", "Entity"): d["entity"],
        pick(lang, "Version", "Version"): d["version"],
        pick(lang, "Équilibre visé (énoncé par le plan)", "Break-even target (as stated)"): [
            str(y) if y else pick(lang, "non précisé", "not stated") for y in d["break_even_year"]],
        pick(lang, "Capitaux propres ≥ 0 (trajectoire du plan)", "Equity ≥ 0 (plan path)"): [
            year_label(y, h, lang, none=None) for y, h in zip(d["equity_positive_year"], d["plan_end_year"],
                                                              strict=True)],
    })


def targets_table(view: VersionsView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The targets each version states in words, as stated, with their source."""
    t = view.targets
    return pd.DataFrame({
        pick(lang, "Version", "Version"): t["plan_version"],
        pick(lang, "Entité", "Entity"): [names.get(e, e) if isinstance(e, str) else pick(lang, "toutes", "all")
                                         for e in t["entity"]],
        pick(lang, "Cible", "Target"): [formatting.value(v, u, lang=lang) + (
            pick(lang, f" à partir de {y:.0f}", f" from {y:.0f}") if y is not None and not pd.isna(y) else "")
            for v, u, y in zip(t["value"], t["unit"], t["from_year"], strict=True)],
        pick(lang, "Énoncé", "As stated"): [en if lang == "en" and isinstance(en, str) else fr
                                            for fr, en in zip(t["statement_fr"], t["statement_en"], strict=True)],
        pick(lang, "Source", "Source"): [s if isinstance(s, str) else "—" for s in t["source"]],
    })
