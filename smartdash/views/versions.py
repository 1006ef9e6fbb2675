"""Plan versions: what each version targets, and how the targets moved from one version to the next."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartdash import formatting, queries
from smartdash import models as m
from smartdash.metrics.equity import first_plan_year_positive
from smartdash.views import pick


@dataclass(frozen=True)
class VersionsView:
    versions: pd.DataFrame  # code, name, status, adopted_on, adopted_by, note, is_synthetic — oldest first
    milestones: pd.DataFrame  # entity, version, break_even_year, equity_positive_year
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
    """Per entity and version: the break-even year (first planned net result ≥ 0) and the first year-end
    with planned equity ≥ 0."""
    rows = []
    for version in versions:
        values = _plan_values(session, version)
        for entity, part in values.groupby("entity_name", sort=False):
            def by_year(code: str, part=part) -> dict:
                sel = part[part["indicator"] == code]
                return {d.year: v for d, v in zip(sel["period_end"], sel["value"], strict=True)}

            if not ({"NET_RESULT", "EQUITY"} & set(part["indicator"])):
                continue
            rows.append({"entity": entity, "version": version,
                         "break_even_year": first_plan_year_positive(by_year("NET_RESULT")),
                         "equity_positive_year": first_plan_year_positive(by_year("EQUITY"))})
    return pd.DataFrame(rows, columns=["entity", "version", "break_even_year", "equity_positive_year"])


def versions_view(*, session: Session) -> VersionsView:
    versions = ordered_versions(session=session)
    codes = list(versions["code"])
    return VersionsView(versions, milestones(session=session, versions=codes),
                        target_drift(session=session, versions=codes), funding_drift(session=session, versions=codes))


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
        pick(lang, "Équilibre (résultat ≥ 0)", "Break-even (result ≥ 0)"): [str(y) if y else "—"
                                                                             for y in d["break_even_year"]],
        pick(lang, "Capitaux propres ≥ 0", "Equity ≥ 0"): [str(y) if y else pick(lang, "au-delà du plan", "beyond the plan")
                                                           for y in d["equity_positive_year"]],
    })
