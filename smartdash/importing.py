"""File → validated rows → one transaction.

A file is parsed and checked whole (types, references, duplicates, sense) before anything is
written; any problem refuses the whole file. Rows are upserted on their natural key: loading the
same file again changes nothing, a corrected value replaces the stored one and the replaced row
is kept in `load_change` (history, and what undo restores).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from smartdash import formats, models
from smartdash.db import session_scope
from smartdash.formats import Dataset, FileRefused, ParsedFile, Problem

CHUNK = 500


# --------------------------------------------------------------------------- references


class Lookups:
    """Code → id maps of the reference tables, read once per load."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[str, dict[str, Any]] = {}

    def _map(self, model) -> dict[str, Any]:
        name = model.__tablename__
        if name not in self._cache:
            if model is models.Office:
                rows = self.session.execute(select(model.code, model.id, model.entity_id)).all()
                self._cache[name] = {code: (oid, eid) for code, oid, eid in rows}
            else:
                rows = self.session.execute(select(model.code, model.id)).all()
                self._cache[name] = dict(rows)
        return self._cache[name]

    def forget(self, model) -> None:
        self._cache.pop(model.__tablename__, None)

    def entity(self, code):
        return self._map(models.Entity).get(code)  # noqa: E704

    def office(self, code):
        return self._map(models.Office).get(code)  # noqa: E704

    def indicator(self, code):
        return self._map(models.Indicator).get(code)  # noqa: E704

    def plan_version(self, code):
        return self._map(models.PlanVersion).get(code)  # noqa: E704

    def instrument(self, code):
        return self._map(models.FundingInstrument).get(code)  # noqa: E704


class RefError(Exception):
    def __init__(self, column: str, expected: str):
        super().__init__(expected)
        self.column = column
        self.expected = expected


def _require(value, column: str, what: str):
    if value is None:
        raise RefError(column, what)
    return value


def _office_of(lk: Lookups, row: dict, entity_id: int | None = None) -> int | None:
    code = row.get("bureau")
    if not code:
        return None
    office = _require(lk.office(code), "bureau", "le code d'un bureau connu")
    if entity_id is not None and office[1] != entity_id:
        raise RefError("bureau", "un bureau de l'entité indiquée")
    return office[0]


def _version_of(lk: Lookups, row: dict) -> int | None:
    code = row.get("version_plan")
    return _require(lk.plan_version(code), "version_plan", "le code d'une version du plan connue") if code else None


def _entity_of(lk: Lookups, row: dict, column: str = "entite") -> int:
    return _require(lk.entity(row[column]), column, "le code d'une entité connue")


def _provenance(row: dict) -> dict:
    return {"source": row.get("source"), "is_synthetic": bool(row.get("synthetique"))}


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """How a dataset's rows become rows of one table."""

    model: type
    key: tuple[str, ...]
    to_row: Callable[[Lookups, dict], dict]
    has_load_id: bool = True
    after: Callable[[Session, list[dict]], None] | None = None


def _entity_row(lk, r):
    return {
        "code": r["code"],
        "name": r["nom"],
        "country": r["pays"],
        "legal_form": r["forme_juridique"],
        "under_plan": r["sous_plan"],
        "sort_order": r["ordre"],
    }


def _office_row(lk, r):
    return {
        "code": r["code"],
        "name": r["nom"],
        "region": r["region"],
        "entity_id": _entity_of(lk, r),
        "sort_order": r["ordre"],
    }


def _indicator_row(lk, r):
    return {
        "code": r["code"],
        "label_fr": r["libelle_fr"],
        "label_en": r["libelle_en"],
        "unit": r["unite"],
        "direction": r["sens"],
        "frequency": r["frequence"],
        "owner": r["responsable"],
        "threshold_mode": r["mode_seuils"],
        "amber_threshold": r["seuil_orange"],
        "red_threshold": r["seuil_rouge"],
        "is_key": r["cle"],
        "active": r["actif"],
        "sort_order": r["ordre"],
        "description": r["description"],
    }


def _plan_version_row(lk, r):
    return {
        "code": r["code"],
        "name": r["nom"],
        "adopted_on": r["adopte_le"],
        "adopted_by": r["adopte_par"],
        "status": r["statut"],
        "note": r["note"],
        "is_synthetic": r["synthetique"],
    }


def _observation_row(lk, r):
    entity_id = _entity_of(lk, r)
    return {
        "indicator_id": _require(lk.indicator(r["indicateur"]), "indicateur", "le code d'un indicateur du catalogue"),
        "entity_id": entity_id,
        "office_id": _office_of(lk, r, entity_id),
        "period_end": r["fin_periode"],
        "scenario": r["scenario"],
        "plan_version_id": _version_of(lk, r),
        "value": r["valeur"],
        **_provenance(r),
    }


def _instrument_row(lk, r):
    return {
        "code": r["code"],
        "label_fr": r["libelle_fr"],
        "label_en": r["libelle_en"],
        "equity_class": r["classe"],
        "counts_one_plus_one": r["compte_1plus1"],
    }


def _funding_row(lk, r):
    return {
        "code": r["code"],
        "plan_version_id": _version_of(lk, r),
        "contributor": r["apporteur"],
        "contributor_class": r["categorie_apporteur"],
        "beneficiary_id": _entity_of(lk, r, "beneficiaire"),
        "instrument_id": _require(lk.instrument(r["instrument"]), "instrument", "le code d'un instrument connu"),
        "period_label": r["periode"],
        "planned_date": r["date_prevue"],
        "planned_amount": r["montant_prevu"],
        "status": r["statut"],
        "received_date": r["date_reception"],
        "received_amount": r["montant_recu"],
        "condition": r["condition"],
        "condition_status": r["etat_condition"],
        "note": r["note"],
        **_provenance(r),
    }


def _headcount_row(lk, r):
    return {
        "entity_id": _entity_of(lk, r),
        "period_end": r["fin_periode"],
        "population": r["population"],
        "scenario": r["scenario"],
        "plan_version_id": _version_of(lk, r),
        "headcount": r["effectif"],
        "fte": r["etp"],
        "hours_paid": r["heures_payees"],
        "entries": r["entrees"],
        "exits": r["sorties"],
        "pse_departures": r["departs_pse"],
        **_provenance(r),
    }


def _membership_row(lk, r):
    return {
        "office_id": _office_of(lk, r),
        "period_end": r["fin_periode"],
        "members": r["membres"],
        "societaires": r["societaires"],
        "advisers": r["conseillers"],
        **_provenance(r),
    }


def _receivable_row(lk, r):
    entity_id = _entity_of(lk, r)
    return {
        "as_of": r["date_situation"],
        "entity_id": entity_id,
        "office_id": _office_of(lk, r, entity_id),
        "client": r["client"],
        "invoice_no": r["facture"],
        "invoice_date": r["date_facture"],
        "due_date": r["date_echeance"],
        "amount_open": r["montant_du"],
        **_provenance(r),
    }


def _meeting_row(lk, r):
    return {
        "held_on": r["date"],
        "as_of": r["date_situation"],
        "title": r["titre"],
        "status": r["statut"],
        "attendees": r["participants"],
        "is_synthetic": r["synthetique"],
    }


def _source_figure_row(lk, r):
    return {
        "code": r["code"],
        "document": r["document"],
        "location": r["emplacement"],
        "label_fr": r["libelle_fr"],
        "label_en": r["libelle_en"],
        "value": r["valeur"],
        "unit": r["unite"],
        "note": r["note"],
    }


def ageing_bucket(days_past_due: int) -> str:
    """The ageing bucket of an open item `days_past_due` days after its due date (≤ 0: not yet due)."""
    if days_past_due <= 0:
        return "not_due"
    if days_past_due <= 30:
        return "d1_30"
    if days_past_due <= 60:
        return "d31_60"
    if days_past_due <= 90:
        return "d61_90"
    return "d90_plus"


def refresh_ageing(session: Session, snapshots: Iterable[tuple[int, dt.date]]) -> None:
    """Recompute the pre-aggregated ageing of the given (entity, as-of) receivables snapshots."""
    item = models.ReceivableItem
    for entity_id, as_of in sorted(set(snapshots)):
        session.execute(
            delete(models.ReceivableAgeing).where(
                models.ReceivableAgeing.entity_id == entity_id, models.ReceivableAgeing.as_of == as_of
            )
        )
        grouped = session.execute(
            select(
                item.office_id,
                item.due_date,
                func.count(),
                func.sum(item.amount_open),
                func.max(case((item.is_synthetic, 1), else_=0)),
            )
            .where(item.entity_id == entity_id, item.as_of == as_of)
            .group_by(item.office_id, item.due_date)
        ).all()
        buckets: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), False])
        for office_id, due_date, count, amount, synthetic in grouped:
            acc = buckets[(office_id, ageing_bucket((as_of - due_date).days))]
            acc[0] += count
            acc[1] += amount
            acc[2] = acc[2] or bool(synthetic)
        if buckets:
            session.execute(
                insert(models.ReceivableAgeing),
                [
                    {
                        "entity_id": entity_id,
                        "as_of": as_of,
                        "office_id": office_id,
                        "bucket": bucket,
                        "items": n,
                        "amount": amount,
                        "is_synthetic": synthetic,
                    }
                    for (office_id, bucket), (n, amount, synthetic) in buckets.items()
                ],
            )


def _after_receivables(session: Session, rows: list[dict]) -> None:
    refresh_ageing(session, ((r["entity_id"], r["as_of"]) for r in rows))


TARGETS: dict[str, Target] = {
    "entities": Target(models.Entity, ("code",), _entity_row, has_load_id=False),
    "offices": Target(models.Office, ("code",), _office_row, has_load_id=False),
    "indicators": Target(models.Indicator, ("code",), _indicator_row, has_load_id=False),
    "plan_versions": Target(models.PlanVersion, ("code",), _plan_version_row, has_load_id=False),
    "instruments": Target(models.FundingInstrument, ("code",), _instrument_row, has_load_id=False),
    "source_figures": Target(models.SourceFigure, ("code",), _source_figure_row),
    "observations": Target(
        models.Observation,
        ("indicator_id", "entity_id", "office_id", "period_end", "scenario", "plan_version_id"),
        _observation_row,
    ),
    "funding": Target(models.FundingContribution, ("code", "plan_version_id"), _funding_row),
    "headcount": Target(
        models.Headcount,
        ("entity_id", "period_end", "population", "scenario", "plan_version_id"),
        _headcount_row,
    ),
    "membership": Target(models.Membership, ("office_id", "period_end"), _membership_row),
    "receivables": Target(
        models.ReceivableItem, ("as_of", "entity_id", "invoice_no"), _receivable_row, after=_after_receivables
    ),
    "meetings": Target(models.Meeting, ("held_on",), _meeting_row, has_load_id=False),
}


# --------------------------------------------------------------------------- diff and apply


@dataclass
class Diff:
    """What loading a file would do: rows new, changed (with the stored values), unchanged."""

    dataset: Dataset
    inserts: list[dict] = field(default_factory=list)
    updates: list[tuple[dict, dict]] = field(default_factory=list)  # (stored row incl. id, new row)
    unchanged: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.inserts or self.updates)


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    kind: str
    load_id: int | None
    inserted: int
    updated: int
    unchanged: int

    def line(self) -> str:
        if self.load_id is None:
            return f"{self.file_name} ({self.kind}) : déjà à jour, rien n'a changé ({self.unchanged} lignes identiques)"
        return (
            f"{self.file_name} ({self.kind}) : chargé (n° {self.load_id}) — {self.inserted} nouvelles lignes, "
            f"{self.updated} modifiées, {self.unchanged} identiques"
        )


def _key_of(row: dict, key: Sequence[str]) -> tuple:
    return tuple(row[k] for k in key)


def _existing(session: Session, target: Target, rows: list[dict]) -> dict[tuple, dict]:
    """Stored rows whose natural key appears in `rows`, keyed by natural key."""
    model = target.model
    compare = list(rows[0].keys()) if rows else []
    extra = [model.load_id] if target.has_load_id else []  # kept in history: undo restores it
    columns = [model.id, *extra, *(getattr(model, c) for c in compare)]
    first = target.key[0]
    values = sorted({r[first] for r in rows}, key=str)
    found: dict[tuple, dict] = {}
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        for rec in session.execute(select(*columns).where(getattr(model, first).in_(chunk))).mappings():
            rec = dict(rec)
            found[_key_of(rec, target.key)] = rec
    return found


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b


def compute_diff(session: Session, parsed: ParsedFile) -> Diff:
    """Resolve references and compare with the store; raises FileRefused with every problem found."""
    target = TARGETS[parsed.dataset.kind]
    lookups = Lookups(session)
    problems = list(parsed.problems)
    rows: list[dict] = []
    for record, line in zip(parsed.rows, parsed.lines, strict=True):
        try:
            rows.append(target.to_row(lookups, record))
        except RefError as err:
            problems.append(Problem(parsed.name, line, err.column, str(record.get(err.column) or ""), err.expected))
    if problems:
        raise FileRefused(problems)
    diff = Diff(parsed.dataset)
    existing = _existing(session, target, rows)
    for row in rows:
        stored = existing.get(_key_of(row, target.key))
        if stored is None:
            diff.inserts.append(row)
        elif all(_same(stored[c], v) for c, v in row.items()):
            diff.unchanged += 1
        else:
            diff.updates.append((stored, row))
    return diff


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def apply_diff(session: Session, diff: Diff, *, file_name: str, checksum: str, loaded_by: str) -> LoadResult:
    """Write a diff in the caller's transaction and record the load."""
    kind = diff.dataset.kind
    if not diff.changes_anything:
        return LoadResult(file_name, kind, None, 0, 0, diff.unchanged)
    target = TARGETS[kind]
    load = models.DataLoad(
        kind=kind,
        file_name=file_name[:255],
        checksum=checksum,
        loaded_by=loaded_by,
        loaded_at=dt.datetime.now(dt.UTC),
        rows_inserted=len(diff.inserts),
        rows_updated=len(diff.updates),
        rows_unchanged=diff.unchanged,
        status="applied",
    )
    session.add(load)
    session.flush()
    stamp = {"load_id": load.id} if target.has_load_id else {}
    if diff.inserts:
        session.execute(insert(target.model), [{**row, **stamp} for row in diff.inserts])
    if diff.updates:
        session.execute(update(target.model), [{**row, **stamp, "id": stored["id"]} for stored, row in diff.updates])
        session.execute(
            insert(models.LoadChange),
            [
                {
                    "load_id": load.id,
                    "table_name": target.model.__tablename__,
                    "row_id": stored["id"],
                    "action": "update",
                    "before": json.dumps({k: _json_value(v) for k, v in stored.items()}, ensure_ascii=False),
                }
                for stored, _ in diff.updates
            ],
        )
    if target.after:
        target.after(session, [row for row in diff.inserts] + [row for _, row in diff.updates])
    return LoadResult(file_name, kind, load.id, len(diff.inserts), len(diff.updates), diff.unchanged)


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_limits(name: str, data: bytes, *, max_file_mb: int) -> None:
    if len(data) > max_file_mb * 1024 * 1024:
        size = len(data) / 1024 / 1024
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"{size:.1f} Mo".replace(".", ","),
                    f"un fichier de {max_file_mb} Mo au plus",
                )
            ]
        )


def parse_checked(name: str, data: bytes, *, kind: str | None, max_file_mb: int, max_rows: int) -> ParsedFile:
    """Parse a file after the size limits; cell problems stay in `problems`, reported with the references'."""
    check_limits(name, data, max_file_mb=max_file_mb)
    parsed = formats.parse_file(name, data, kind)
    if len(parsed.rows) + len({p.row for p in parsed.problems}) > max_rows:
        raise FileRefused([Problem(name, None, None, None, f"un fichier de {max_rows} lignes au plus")])
    return parsed


def import_files(
    engine: Engine,
    files: Sequence[tuple[str, bytes]],
    *,
    loaded_by: str,
    kind: str | None = None,
    max_file_mb: int = 50,
    max_rows: int = 500_000,
) -> list[LoadResult]:
    """Load files in one transaction: all of them or, on any problem, none (FileRefused lists them)."""
    results: list[LoadResult] = []
    with session_scope(engine) as session:
        for name, data in files:
            parsed = parse_checked(name, data, kind=kind, max_file_mb=max_file_mb, max_rows=max_rows)
            diff = compute_diff(session, parsed)
            results.append(apply_diff(session, diff, file_name=name, checksum=checksum_of(data), loaded_by=loaded_by))
    return results


__all__ = ["FileRefused", "LoadResult", "import_files", "compute_diff", "apply_diff", "ageing_bucket"]
