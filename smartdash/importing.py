"""File → validated rows → one transaction; and back: the store's rows as a file, history, undo.

A file is parsed and checked whole (types, references, units, duplicates, sense) before anything is
written; any problem refuses the whole file. Rows are upserted on their natural key: loading the same
file again changes nothing, a corrected value replaces the stored one and the replaced row is kept in
`load_change` — the history, and what undo restores.

How a dataset's columns map to a table is declared once, with the dataset (smartdash.formats.datasets); `TARGETS`
derives the loader's view of it, which serves import, export and undo.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import json
import operator
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Engine, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartdash import change_log, formats, models, readers
from smartdash.db import session_scope, write_scope
from smartdash.formats import Dataset, FileRefused, ParsedFile, Problem, RefError, StoreCheck
from smartdash.formatting import number
from smartdash.formatting import shown as shown_figure
from smartdash.i18n import N_, NP_, Bilingual, Refusal, Text, _, _p, bilingual, plural, render, text
from smartdash.metrics.receivables import ageing_bucket, days_past_due

if TYPE_CHECKING:  # pandas is imported where a frame is made: a command line's load needs none
    import pandas as pd

CHUNK = 500


# --------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class Field:
    """A file column stored in a model attribute; `ref` when the file holds the code of another table's row, and
    `unknown` what such a code must be."""

    column: str
    attr: str
    ref: type | None = None
    unknown: Text | None = None


@dataclass(frozen=True)
class Target:
    """How a dataset's rows become rows of one table."""

    model: type
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # model attributes
    check: StoreCheck | None = None
    after: Callable[[Session, list[dict]], None] | None = None
    # a file of this dataset is the whole of each snapshot it names: stored rows of those snapshots that the
    # file no longer lists are removed (an invoice paid since is no longer open)
    snapshot: tuple[str, ...] | None = None

    @property
    def has_load_id(self) -> bool:
        return hasattr(self.model, "load_id")

    @classmethod
    def of(cls, dataset: Dataset) -> Target:
        """How a dataset's declaration maps its columns to its table; tables whose writes change a table derived
        from them get their refresh (`AFTER_WRITE`)."""
        fields = tuple(
            Field(c.name, c.attr, c.ref.model if c.ref else None, c.ref.known if c.ref else None) for c in dataset.columns
        )
        return cls(
            dataset.model,
            fields,
            dataset.attrs(dataset.key),
            check=dataset.store_check,
            after=AFTER_WRITE.get(dataset.model),
            snapshot=dataset.attrs(dataset.snapshot) or None,
        )


class Lookups:
    """Code ↔ id maps of the reference tables, read once per load."""

    def __init__(self, session: Session):
        self.session = session
        self._codes: dict[type, dict[str, int]] = {}

    def ids(self, model: type) -> dict[str, int]:
        if model not in self._codes:
            self._codes[model] = dict(self.session.execute(select(model.code, model.id)).all())
        return self._codes[model]

    def codes(self, model: type) -> dict[int, str]:
        return {i: c for c, i in self.ids(model).items()}

    def office_entity(self) -> dict[int, int]:
        if not hasattr(self, "_office_entity"):
            self._office_entity = dict(self.session.execute(select(models.Office.id, models.Office.entity_id)).all())
        return self._office_entity

    def labels(self, model: type) -> dict[int, Bilingual | str]:
        """id → what a reader calls a referenced row: the catalogue's label in both languages, else its name, else
        its code (a preview names an indicator, not `CASH_NET`)."""
        key = ("labels", model)
        if key not in self._codes:
            if hasattr(model, "label_fr"):
                rows = self.session.execute(select(model.id, model.label_fr, model.label_en)).all()
                self._codes[key] = {i: Bilingual(fr, en or fr) for i, fr, en in rows}
            elif hasattr(model, "name"):
                self._codes[key] = dict(self.session.execute(select(model.id, model.name)).all())
            else:
                self._codes[key] = self.codes(model)
        return self._codes[key]

    def indicator_units(self) -> dict[int, str]:
        if not hasattr(self, "_units"):
            self._units = dict(self.session.execute(select(models.Indicator.id, models.Indicator.unit)).all())
        return self._units


def table_rows(target: Target, lookups: Lookups, parsed: ParsedFile) -> tuple[list[dict], list[Problem]]:
    """The file's records as rows of the target table, column by column: each distinct reference code resolved
    once, the target's check run once per distinct combination of what it reads. Problems: codes the store does
    not know, rows failing the check (rows with an unknown code are not checked)."""
    name, lines = parsed.name, parsed.lines
    problems: list[Problem] = []
    unknown_rows: set[int] = set()
    attrs: list[str] = []
    columns: list[list] = []
    for f in target.fields:
        values = parsed.columns[f.column]  # a parsed file holds every column of its format
        if f.ref is not None:
            ids = lookups.ids(f.ref)
            resolved = {code: None if code is None else ids.get(code) for code in set(values)}
            unknown = {code for code, found in resolved.items() if code is not None and found is None}
            for i in (i for i, code in enumerate(values) if code in unknown) if unknown else ():
                raw = parsed.columns.get(f"_raw_{f.column}", values)[i]
                problems.append(Problem(name, lines[i], f.column, str(raw), f.unknown))
                unknown_rows.add(i)
            values = list(map(resolved.__getitem__, values))
        elif f.attr == "is_synthetic":
            values = list(map(bool, values))
        attrs.append(f.attr)
        columns.append(values)
    rows = list(map(dict, map(zip, itertools.repeat(attrs), zip(*columns, strict=True))))
    if target.check is not None and rows:
        problems += _failing_check(target.check, lookups, parsed, dict(zip(attrs, columns, strict=True)), unknown_rows)
    return rows, problems


def _failing_check(
    check: StoreCheck, lookups: Lookups, parsed: ParsedFile, by_attr: dict[str, list], skip: set[int]
) -> list[Problem]:
    def test(combo: tuple) -> RefError | None:
        try:
            check.test(lookups, dict(zip(check.reads, combo, strict=True)))
        except RefError as err:
            return err
        return None

    read = [by_attr[r] if r in by_attr else parsed.columns[r] for r in check.reads]
    problems = []
    for i, err in formats.failing_rows(read, test, skip):
        shown = parsed.columns.get(f"_raw_{err.column}", parsed.columns.get(err.column))
        value = None if shown is None else shown[i]
        problems.append(Problem(parsed.name, parsed.lines[i], err.column, "" if value is None else str(value), err.expected))
    return problems


# --------------------------------------------------------------------------- receivables ageing


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
            acc = buckets[(office_id, ageing_bucket(days_past_due(as_of, due_date)))]
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


# tables derived from another one, refreshed when a load or an undo writes it
AFTER_WRITE: dict[type, Callable[[Session, list[dict]], None]] = {models.ReceivableItem: _after_receivables}

TARGETS: dict[str, Target] = {kind: Target.of(dataset) for kind, dataset in formats.STORED.items()}

# loads that write several tables under one load (one file, one history line, one undo): their parts' datasets
LOAD_PARTS: dict[str, tuple[str, ...]] = {"fec": ("ledger_balances", "observations", "receivables")}


# --------------------------------------------------------------------------- diff and apply


# A load that would remove more than one in LARGE_REMOVAL stored rows of a snapshot needs a confirmation: a file
# cut short (a truncated export) is the whole snapshot as far as the loader knows.
LARGE_REMOVAL = 5


@dataclass(frozen=True)
class Removal:
    """A snapshot a load would shrink: its entity code and date, rows stored and rows the file no longer lists."""

    entity: str
    as_of: dt.date
    stored: int
    removed: int

    def message(self) -> Text:
        return text(
            N_("{removed} of the {stored} items of the {entity} snapshot of {date}"),
            removed=number(self.removed),
            stored=number(self.stored),
            entity=self.entity,
            date=f"{self.as_of:%d/%m/%Y}",
        )

    def line(self, lang: str = "fr") -> str:
        return self.message().render(lang)


CONFIRM_REMOVAL = text(
    N_(
        "a confirmation to remove more than a fifth of a snapshot (an incomplete file?): run "
        "again with --allow-large-removal, or tick “I confirm these items are removed” on the Data "
        "loading page"
    )
)


def check_removals(name: str, diff: Diff) -> None:
    """FileRefused when the load would remove more than a fifth of a stored snapshot."""
    if diff.large_removals:
        raise FileRefused(
            [
                Problem(name, None, None, text(N_("{removal} would be removed"), removal=r.message()), CONFIRM_REMOVAL)
                for r in diff.large_removals
            ]
        )


@dataclass
class Diff:
    """What loading a file would do: rows new, changed (with the stored values), unchanged."""

    dataset: Dataset
    inserts: list[dict] = field(default_factory=list)
    updates: list[tuple[dict, dict]] = field(default_factory=list)  # (stored row incl. id, new row)
    unchanged: int = 0
    new_versions: list[str] = field(default_factory=list)  # plan versions the load creates (as drafts)
    deletes: list[dict] = field(default_factory=list)  # stored rows of the file's snapshots it no longer lists
    large_removals: list[Removal] = field(default_factory=list)  # snapshots losing more than a fifth of their rows
    sheet: str | None = None  # the workbook sheet read

    @property
    def changes_anything(self) -> bool:
        return bool(self.inserts or self.updates or self.new_versions or self.deletes)

    def preview(self, lookups: Lookups, limit: int = 500) -> pd.DataFrame:
        """Rows new, changed and removed, as the reader knows them (codes, not ids). Columns: action (a code of
        PREVIEW_ACTIONS), key, change (codes and stored values, for logs), key_said, change_said (labels and figures,
        rendered in the reader's language); `preview_shown` puts it in the reader's language."""
        target = TARGETS[self.dataset.kind]
        by_attr = {f.attr: f for f in target.fields}

        def shown(attr: str, value: Any) -> str:
            ref = by_attr[attr].ref if attr in by_attr else None
            if ref is not None and value is not None:
                value = lookups.codes(ref).get(value, value)
            if isinstance(value, dt.date):
                return value.strftime("%d/%m/%Y")
            return "" if value is None else str(value)

        def key(row: dict) -> str:
            return " / ".join(shown(a, row[a]) for a in target.key if row.get(a) is not None)

        def said(attr: str, value: Any):
            """The value as the reader reads it: a referenced row's label, a scenario's word, a figure in the reader's
            number format with the decimals it has (`2 979 916,24`, not `2979916.2400`), a date."""
            ref = by_attr[attr].ref if attr in by_attr else None
            if ref is not None and value is not None:
                return lookups.labels(ref).get(value, value)
            if attr == "scenario" and value in SCENARIO_WORDS:
                return text(SCENARIO_WORDS[value])
            if isinstance(value, Decimal) and value.is_finite():
                return shown_figure("number", value, places=max(0, -value.normalize().as_tuple().exponent))
            if isinstance(value, bool):
                return text(N_("yes") if value else N_("no"))
            if value is None or value == "":
                return "—"
            if isinstance(value, int):
                return shown_figure("number", value)
            return shown(attr, value)

        def key_said(row: dict) -> Joined:
            return Joined(" / ", tuple(said(a, row[a]) for a in target.key if row.get(a) is not None))

        rows = [
            {"action": "inserted", "key": key(r), "change": "", "key_said": key_said(r), "change_said": ""}
            for r in self.inserts[:limit]
        ]
        for stored, new in self.updates[:limit]:
            changed = [(a, v) for a, v in new.items() if not _same(stored[a], v)]
            changes = [f"{by_attr[a].column} : {shown(a, stored[a])} → {shown(a, v)}" for a, v in changed]
            changes_said = Joined(
                " ; ",
                tuple(
                    text("{column} : {old} → {new}", column=by_attr[a].column, old=said(a, stored[a]), new=said(a, v))
                    for a, v in changed
                ),
            )
            rows.append(
                {
                    "action": "updated",
                    "key": key(new),
                    "change": " ; ".join(changes),
                    "key_said": key_said(new),
                    "change_said": changes_said,
                }
            )
        rows += [
            {"action": "deleted", "key": key(r), "change": "", "key_said": key_said(r), "change_said": ""}
            for r in self.deletes[:limit]
        ]
        import pandas as pd

        return pd.DataFrame(rows, columns=["action", "key", "change", "key_said", "change_said"])


@dataclass(frozen=True)
class Joined:
    """Parts (texts, figures, labels, plain strings) joined by a separator once each is in the reader's language."""

    separator: str
    parts: tuple

    def render(self, lang: str) -> str:
        return self.separator.join(render(lang, p) for p in self.parts)


SCENARIO_WORDS = {"actual": N_("actual"), "forecast": N_("forecast"), "plan": N_("plan")}


PREVIEW_ACTIONS = {"inserted": NP_("preview", "new"), "updated": NP_("preview", "changed"), "deleted": NP_("preview", "removed")}


def preview_shown(preview: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A preview frame (Diff.preview) in the reader's language: the action named, a removal said to be absent from
    the file."""
    shown = preview[["action", "key", "change"]].copy()
    shown["action"] = [_p(lang, *PREVIEW_ACTIONS[code]) for code in preview["action"]]
    shown["key"] = [render(lang, k) for k in preview["key_said"]]
    absent = _(lang, "absent from the file")
    shown["change"] = [
        absent if code == "deleted" else render(lang, change)
        for code, change in zip(preview["action"], preview["change_said"], strict=True)
    ]
    return shown


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    kind: str
    load_id: int | None
    inserted: int
    updated: int
    unchanged: int
    deleted: int = 0
    sheet: str | None = None

    def what(self, lang: str) -> str:
        """The file (and sheet) and what it held."""
        dataset = formats.DATASETS[self.kind]
        title = bilingual(lang, dataset.title_fr, dataset.title_en).lower()
        if self.sheet:
            return _(lang, "{file}, sheet “{sheet}” ({title})", file=self.file_name, sheet=self.sheet, title=title)
        return _(lang, "{file} ({title})", file=self.file_name, title=title)

    def counts(self, lang: str) -> str:
        line = _(
            lang,
            "{inserted} new rows, {updated} changed, {unchanged} unchanged",
            inserted=number(self.inserted, lang=lang),
            updated=number(self.updated, lang=lang),
            unchanged=number(self.unchanged, lang=lang),
        )
        return line + (_(lang, ", {deleted} removed", deleted=number(self.deleted, lang=lang)) if self.deleted else "")

    def line(self, lang: str = "fr") -> str:
        if self.load_id is None:
            return _(
                lang,
                "{what}: already up to date, nothing changed ({unchanged} identical rows)",
                what=self.what(lang),
                unchanged=number(self.unchanged, lang=lang),
            )
        return _(
            lang,
            "{what}: loaded (no. {load_id}) — {counts}",
            what=self.what(lang),
            load_id=self.load_id,
            counts=self.counts(lang),
        )


def _key_of(row: dict, key: Sequence[str]) -> tuple:
    return tuple(row[k] for k in key)


def _existing(session: Session, target: Target, rows: list[dict]) -> dict[tuple, dict]:
    """Stored rows whose natural key appears in `rows`, keyed by natural key."""
    model = target.model
    attrs = [f.attr for f in target.fields]
    extra = [model.load_id] if target.has_load_id else []  # kept in history: undo restores it
    columns = [model.id, *extra, *(getattr(model, a) for a in attrs)]
    first = target.key[0]
    values = sorted({r[first] for r in rows}, key=str)
    wanted: set[tuple] | None = None  # built only when the store holds rows of these keys
    found: dict[tuple, dict] = {}
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        for rec in session.execute(select(*columns).where(getattr(model, first).in_(chunk))).mappings():
            if wanted is None:
                wanted = {_key_of(r, target.key) for r in rows}
            key = _key_of(rec, target.key)
            if key in wanted:
                found[key] = dict(rec)
    return found


def _absent_from_snapshots(session: Session, target: Target, rows: list[dict]) -> tuple[list[dict], dict[tuple, int]]:
    """Stored rows of the snapshots the file names that the file no longer lists (full stored rows), and the rows
    stored in each of those snapshots."""
    model = target.model
    columns = [model.id, model.load_id, *(getattr(model, f.attr) for f in target.fields)]
    snapshot_of = operator.itemgetter(*target.snapshot)
    snapshots = {snapshot_of(r) for r in rows}
    stored, counts = [], {}
    for snapshot in sorted(snapshots, key=str):
        where = [getattr(model, attr) == value for attr, value in zip(target.snapshot, snapshot, strict=True)]
        found = [dict(rec) for rec in session.execute(select(*columns).where(*where)).mappings()]
        counts[snapshot] = len(found)
        stored += found
    if not stored:  # new snapshots: nothing to compare, no key to build
        return [], counts
    keys = {_key_of(r, target.key) for r in rows}
    return [rec for rec in stored if _key_of(rec, target.key) not in keys], counts


def _large_removals(target: Target, lookups: Lookups, deletes: list[dict], stored: dict[tuple, int]) -> list[Removal]:
    """The snapshots of which the deleted rows are more than one in LARGE_REMOVAL of those stored."""
    removed: dict[tuple, int] = defaultdict(int)
    for row in deletes:
        removed[tuple(row[a] for a in target.snapshot)] += 1
    entities = lookups.codes(models.Entity)
    return [
        Removal(entities.get(entity_id, str(entity_id)), as_of, stored[(entity_id, as_of)], count)
        for (entity_id, as_of), count in sorted(removed.items(), key=str)
        if count * LARGE_REMOVAL > stored[(entity_id, as_of)]
    ]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b


def _new_versions(session: Session, parsed: ParsedFile, lookups: Lookups, *, create: bool) -> list[str]:
    """Plan values name their version: a version code the store does not know yet is a new draft version
    (importing plan values creates or fills a version, never another version's values)."""
    if not any(c.name == "version_plan" for c in parsed.dataset.columns):
        return []
    known = lookups.ids(models.PlanVersion)
    new = sorted({code for code in parsed.columns["version_plan"] if code and code not in known})
    for i, code in enumerate(new, start=1):
        if create:
            version = models.PlanVersion(
                code=code, name=code, status="draft", is_synthetic=False, note=f"Créée par le chargement de {parsed.name}"
            )
            session.add(version)
            session.flush()
            known[code] = version.id
        else:  # a preview writes nothing: a placeholder id stands for the version the load would create
            known[code] = -i
    return new


def compute_diff(
    session: Session, parsed: ParsedFile, *, create_versions: bool = False, allow_large_removal: bool = True
) -> Diff:
    """Resolve references and compare with the store; raises FileRefused with every problem found, and when the
    load would remove more than a fifth of a stored snapshot unless `allow_large_removal` (a preview shows it)."""
    target = TARGETS[parsed.dataset.kind]
    lookups = Lookups(session)
    new_versions = _new_versions(session, parsed, lookups, create=create_versions) if not parsed.problems else []
    rows, problems = table_rows(target, lookups, parsed)
    problems = list(parsed.problems) + problems
    if problems:
        raise FileRefused(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    diff = Diff(parsed.dataset, new_versions=new_versions, sheet=parsed.sheet)
    if target.snapshot and rows:
        diff.deletes, stored = _absent_from_snapshots(session, target, rows)
        diff.large_removals = _large_removals(target, lookups, diff.deletes, stored)
        if not allow_large_removal:
            check_removals(parsed.name, diff)
    existing = _existing(session, target, rows) if rows else {}
    if not existing:  # nothing stored under these keys: every row is new
        diff.inserts = rows
        return diff
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
    """Write a diff in the caller's transaction and record the load with what it inserted and replaced."""
    kind = diff.dataset.kind
    if not diff.changes_anything:
        return LoadResult(file_name, kind, None, 0, 0, diff.unchanged, sheet=diff.sheet)
    load = record_load(session, kind, [diff], file_name=file_name, checksum=checksum, loaded_by=loaded_by)
    write_diff(session, diff, load)
    return LoadResult(
        file_name, kind, load.id, len(diff.inserts), len(diff.updates), diff.unchanged, len(diff.deletes), sheet=diff.sheet
    )


def record_load(
    session: Session, kind: str, diffs: Sequence[Diff], *, file_name: str, checksum: str, loaded_by: str
) -> models.DataLoad:
    """The load's line in the history (file, SHA-256, who, when, rows), for one diff or the parts of one file."""
    load = models.DataLoad(
        kind=kind,
        file_name=file_name[:255],
        checksum=checksum,
        loaded_by=loaded_by,
        loaded_at=dt.datetime.now(dt.UTC),
        rows_inserted=sum(len(d.inserts) for d in diffs),
        rows_updated=sum(len(d.updates) for d in diffs),
        rows_unchanged=sum(d.unchanged for d in diffs),
        rows_deleted=sum(len(d.deletes) for d in diffs),
        status="applied",
    )
    session.add(load)
    session.flush()
    return load


def write_diff(session: Session, diff: Diff, load: models.DataLoad) -> None:
    """Write a diff under a recorded load: rows stamped with it, what they replaced kept in `load_change`."""
    target = TARGETS[diff.dataset.kind]
    stamp = {"load_id": load.id} if target.has_load_id else {}
    table = target.model.__tablename__
    changes = []
    if diff.inserts:
        # Core executemany on the session's connection: no ORM bookkeeping for rows nobody reads back
        bulk_insert(session.connection(), target.model.__table__, diff.inserts, stamp)
        change_log.note(session, table)
        if not target.has_load_id:  # fact rows carry their load_id: undo finds what a load inserted by it
            inserted = _existing(session, target, diff.inserts)
            changes += [
                {"load_id": load.id, "table_name": table, "row_id": r["id"], "action": "insert", "before": None}
                for r in inserted.values()
            ]
    if diff.updates:
        session.execute(update(target.model), [{**row, **stamp, "id": stored["id"]} for stored, row in diff.updates])
        changes += [
            {
                "load_id": load.id,
                "table_name": table,
                "row_id": stored["id"],
                "action": "update",
                "before": json.dumps({k: _json_value(v) for k, v in stored.items()}, ensure_ascii=False),
            }
            for stored, _ in diff.updates
        ]
    if diff.deletes:
        ids = [row["id"] for row in diff.deletes]
        for start in range(0, len(ids), CHUNK):
            session.execute(delete(target.model).where(target.model.id.in_(ids[start : start + CHUNK])))
        changes += [
            {
                "load_id": load.id,
                "table_name": table,
                "row_id": row["id"],
                "action": "delete",
                "before": json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False),
            }
            for row in diff.deletes
        ]
    if changes:
        session.execute(insert(models.LoadChange.__table__), changes)
    if target.after:
        target.after(session, [row for row in diff.inserts] + [row for _, row in diff.updates] + diff.deletes)


def bulk_insert(connection, table, rows: list[dict], constants: dict | None = None) -> None:
    """INSERT many rows of the same columns (plus `constants`, the same for every row): the statement compiled once
    by SQLAlchemy for the dialect, each column's values converted by its type's bind processor in one pass, then the
    driver's executemany. The same bound parameters as `connection.execute(insert(table), rows)`, without its
    per-row bookkeeping (7 times faster on SQLite for 200 000 rows)."""
    if not rows:
        return
    dialect = connection.dialect
    constants = {k: v for k, v in (constants or {}).items() if k not in rows[0]}
    names = [*rows[0], *constants]
    columns = {}
    for name in names:
        values = [constants[name]] * len(rows) if name in constants else list(map(operator.itemgetter(name), rows))
        columns[name] = bind_values(table.c[name].type, dialect, values)
    if dialect.driver == "psycopg":  # PostgreSQL: COPY, the server's bulk path, in the same transaction
        _copy_rows(connection, table, names, list(zip(*columns.values(), strict=True)))
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    if compiled.positional:
        params = list(zip(*(columns[key] for key in compiled.positiontup), strict=True))
    else:
        params = list(map(dict, map(zip, itertools.repeat(names), zip(*columns.values(), strict=True))))
    connection.exec_driver_sql(str(compiled), params)


def _copy_rows(connection, table, names: list[str], rows: list[tuple]) -> None:
    """COPY … FROM STDIN through psycopg, the statement composed by psycopg.sql from the table's own names."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def bind_values(type_, dialect, values: list) -> list:
    """A column's values as its type's bind processor gives them: by the type's own `bind_many` where it has one,
    each distinct value once where values repeat (dates, codes, flags), else value by value."""
    type_ = type_.dialect_impl(dialect)  # the dialect's own type (SQLite's DATE writes its text, not the driver)
    processor = type_.bind_processor(dialect)
    if processor is None:
        return values
    many = getattr(type_, "bind_many", None)
    if many is not None:
        return many(values, dialect)
    try:
        # 1, 1.0 and True are equal keys: the type tells them apart
        typed = list(zip(map(type, values), values, strict=True))
        distinct = set(typed)
    except TypeError:  # an unhashable value
        return list(map(processor, values))
    if len(distinct) * 4 > len(values):
        return list(map(processor, values))
    bound = {key: processor(key[1]) for key in distinct}
    return list(map(bound.__getitem__, typed))


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
                    text(N_("{size} MB"), size=f"{size:.1f}".replace(".", ",")),
                    text(N_("a file of {size} MB at most"), size=max_file_mb),
                )
            ]
        )


def parse_checked(name: str, data: bytes, *, kind: str | None, max_file_mb: int, max_rows: int) -> ParsedFile:
    """Parse a file after the size limits; cell problems stay in `problems`, reported with the references'."""
    check_limits(name, data, max_file_mb=max_file_mb)
    parsed = formats.parse_file(name, data, kind, max_rows=max_rows)
    return parsed


_collector_lock = threading.Lock()
_collector_pauses = {"loads": 0, "was_enabled": False}


@contextmanager
def collector_paused() -> Iterator[None]:
    """A load of a large file allocates millions of objects that all live until it ends: the cyclic garbage
    collector would walk them again and again (a quarter of a 200 000-row import's time) and free none of them.
    It is paused while loads run and resumed after the last one, as it was; reference counting frees memory as
    usual meanwhile."""
    with _collector_lock:
        if _collector_pauses["loads"] == 0:
            _collector_pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _collector_pauses["loads"] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses["loads"] -= 1
            if _collector_pauses["loads"] == 0 and _collector_pauses["was_enabled"]:
                gc.enable()


# the steps of a preview or a load, told to a `Progress` (a page's progress bar) with the share done before each
READING = text(N_("Reading and checking the file…"))
COMPARING = text(N_("Comparing with the store…"))
WRITING = text(N_("Writing to the store…"))
DONE = text(N_("Done."))
Progress = Callable[[float, Text], None]


def _no_progress(_share: float, _step: Text) -> None:
    return None


def preview_file(
    engine: Engine,
    name: str,
    data: bytes,
    *,
    kind: str | None = None,
    max_file_mb: int = 50,
    max_rows: int = 500_000,
    entity: str | None = None,
    progress: Progress = _no_progress,
) -> tuple[Diff, pd.DataFrame]:
    """What loading a file would do, without writing anything (FileRefused lists every problem). A ledger
    export (FEC) is recognised by its header; `entity` names its entity when its file name does not. `progress`
    is told each step as it starts (reading and checking takes most of a large file's time)."""
    progress(0.0, READING)
    if (own := readers.reader_for(name, data, loads_itself=True)) is not None:
        found = own.read(name, data, entity=entity).preview(engine)
        progress(1.0, DONE)
        return found
    with collector_paused(), session_scope(engine) as session:
        parsed = parse_checked(name, data, kind=kind, max_file_mb=max_file_mb, max_rows=max_rows)
        progress(0.6, COMPARING)
        diff = compute_diff(session, parsed)
        found = diff, diff.preview(Lookups(session))
    progress(1.0, DONE)
    return found


def import_files(
    engine: Engine,
    files: Sequence[tuple[str, bytes]],
    *,
    loaded_by: str,
    kind: str | None = None,
    max_file_mb: int = 50,
    max_rows: int = 500_000,
    entity: str | None = None,
    allow_large_removal: bool = False,
    progress: Progress = _no_progress,
) -> list[LoadResult]:
    """Load files in one transaction: all of them or, on any problem, none (FileRefused lists them). A ledger
    export (FEC), recognised by its header, loads the figures derived from it (`entity`: see preview_file). A file
    that would remove more than a fifth of a stored snapshot is refused unless `allow_large_removal`.

    The files are parsed first; then, holding the store's load lock, each one is compared with what the store holds
    now and written. A load or undo running meanwhile is waited for (a bounded wait, then StoreBusy), and this one
    then compares with what it committed: two loads of one snapshot never both apply to the same old rows.

    A file a reader that loads itself recognises (a ledger export) is read as that reader's source, and loads its
    own figures in the same transaction; any other is read as a table and checked against its format."""
    results: list[LoadResult] = []
    progress(0.0, READING)
    with collector_paused():
        parsed = [
            (
                name,
                data,
                own.read(name, data, entity=entity)
                if (own := readers.reader_for(name, data, loads_itself=True)) is not None
                else parse_checked(name, data, kind=kind, max_file_mb=max_file_mb, max_rows=max_rows),
            )
            for name, data in files
        ]
        progress(0.5, COMPARING)
        with write_scope(engine, load_lock=True) as session:
            for name, data, file in parsed:
                if not isinstance(file, ParsedFile):  # a source that loads itself (a ledger export read as a stream)
                    results.append(file.load(session, loaded_by=loaded_by, allow_large_removal=allow_large_removal))
                    continue
                diff = compute_diff(session, file, create_versions=True, allow_large_removal=allow_large_removal)
                progress(0.7, WRITING)
                results.append(apply_diff(session, diff, file_name=name, checksum=checksum_of(data), loaded_by=loaded_by))
                _check_versions_in_force(session, name)
    progress(1.0, DONE)
    return results


def _check_versions_in_force(session: Session, name: str) -> None:
    """Exactly one plan version is in force once any version has been adopted (drafts aside)."""
    statuses = list(session.scalars(select(models.PlanVersion.status)))
    in_force = statuses.count("in_force")
    if in_force > 1 or (in_force == 0 and "superseded" in statuses):
        raise FileRefused(
            [
                Problem(
                    name,
                    None,
                    "statut",
                    plural("{count} version in force", "{count} versions in force", in_force, count=in_force),
                    text(N_("exactly one plan version in force (set the former one to “superseded”)")),
                )
            ]
        )


# --------------------------------------------------------------------------- history and undo


class UndoRefused(Refusal):
    """A load that cannot be undone (already undone, or a later load changed the same rows): a message rendered in
    the reader's language where it is shown."""


@dataclass(frozen=True)
class _LoadNumbers(Text):
    """Load numbers as a message field: « n° 12, n° 14 » / "no. 12, no. 14"."""

    def render(self, lang: str) -> str:
        return ", ".join(_(lang, "no. {number}", number=n) for n in self.params["numbers"])


def load_history(*, session: Session, limit: int = 200) -> pd.DataFrame:
    """Every load, newest first. Columns: id, loaded_at, loaded_by, file_name, kind, checksum, rows_inserted,
    rows_updated, rows_unchanged, rows_deleted, status, undone_at, undone_by."""
    d = models.DataLoad
    rows = session.execute(
        select(
            d.id,
            d.loaded_at,
            d.loaded_by,
            d.file_name,
            d.kind,
            d.checksum,
            d.rows_inserted,
            d.rows_updated,
            d.rows_unchanged,
            d.rows_deleted,
            d.status,
            d.undone_at,
            d.undone_by,
        )
        .order_by(d.id.desc())
        .limit(limit)
    ).all()
    from smartdash import queries

    return queries.frame(
        rows,
        [
            "id",
            "loaded_at",
            "loaded_by",
            "file_name",
            "kind",
            "checksum",
            "rows_inserted",
            "rows_updated",
            "rows_unchanged",
            "rows_deleted",
            "status",
            "undone_at",
            "undone_by",
        ],
    )


def _restore_value(column, value):
    if value is None:
        return None
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, models.Fixed):
        return Decimal(value)
    return value


def undo_load(engine: Engine, load_id: int, *, undone_by: str) -> int:
    """Undo a load in one transaction: rows it inserted are deleted, rows it replaced get their previous
    values back. Refused while a later load that is still applied changed the same rows. Returns the
    number of rows restored or deleted. Runs under the store's load lock, like loads."""
    with write_scope(engine, load_lock=True) as session:
        load = session.get(models.DataLoad, load_id)
        if load is None:
            raise UndoRefused(N_("load no. {load_id} not found"), load_id=load_id)
        if load.status != "applied":
            raise UndoRefused(N_("load no. {load_id} is already undone"), load_id=load_id)
        count = sum(_undo_part(session, load_id, TARGETS[kind]) for kind in LOAD_PARTS.get(load.kind, (load.kind,)))
        load.status, load.undone_at, load.undone_by = "undone", dt.datetime.now(dt.UTC), undone_by
        return count


def _undo_part(session: Session, load_id: int, target: Target) -> int:
    """Undo what a load did to one table (the caller's transaction rolls every part back on refusal)."""
    model, table = target.model, target.model.__tablename__
    mine = session.execute(
        select(models.LoadChange.row_id, models.LoadChange.action, models.LoadChange.before).where(
            models.LoadChange.load_id == load_id, models.LoadChange.table_name == table
        )
    ).all()
    updated = {r for r, action, _b in mine if action in ("update", "delete")}
    if target.has_load_id:
        inserted = [i for i in session.scalars(select(model.id).where(model.load_id == load_id)) if i not in updated]
    else:
        inserted = [r for r, action, _b in mine if action == "insert"]
    mine_ids = updated | set(inserted)
    later_changes = session.execute(
        select(models.DataLoad.id, models.LoadChange.row_id, models.LoadChange.before)
        .join(models.LoadChange, models.LoadChange.load_id == models.DataLoad.id)
        .where(models.DataLoad.id > load_id, models.DataLoad.status == "applied", models.LoadChange.table_name == table)
    ).all()
    later = sorted(
        {
            later_id
            for later_id, row_id, before in later_changes
            if row_id in mine_ids or (before and json.loads(before).get("load_id") == load_id)
        }
    )
    if later:
        raise UndoRefused(N_("later loads changed the same rows: undo {loads} first"), loads=_LoadNumbers("", {"numbers": later}))
    row_ids = sorted(mine_ids)
    touched: list[dict] = []
    if target.after:
        for start in range(0, len(row_ids), CHUNK):
            touched += [
                dict(r)
                for r in session.execute(
                    select(model.entity_id, model.as_of).distinct().where(model.id.in_(row_ids[start : start + CHUNK]))
                ).mappings()
            ]
    try:
        with session.begin_nested():
            for start in range(0, len(inserted), CHUNK):
                session.execute(delete(model).where(model.id.in_(inserted[start : start + CHUNK])))
    except IntegrityError:
        raise UndoRefused(
            N_(
                "rows this load added have been used since (for example in the snapshot of a closed "
                "meeting): they cannot be removed"
            )
        ) from None
    restores, removed = [], []
    for row_id, action, before in mine:
        if action in ("update", "delete"):
            values = json.loads(before)
            row = {k: _restore_value(model.__table__.c[k], v) for k, v in values.items()} | {"id": row_id}
            (restores if action == "update" else removed).append(row)
    if restores:
        session.execute(update(model), restores)
    if removed:
        try:
            with session.begin_nested():
                session.execute(insert(model.__table__), removed)
        except IntegrityError:
            raise UndoRefused(N_("a row this load removed has been loaded again since: undo the later load first")) from None
        touched += [{"entity_id": r["entity_id"], "as_of": r["as_of"]} for r in removed if "as_of" in r]
    if target.after:
        target.after(session, touched)
    return len(inserted) + len(restores) + len(removed)


# --------------------------------------------------------------------------- export


def export_records(*, session: Session, kind: str) -> list[dict]:
    """The stored rows of a dataset as file records (codes, not ids), in natural-key order: what write_csv
    turns into a file that loads back to the same rows."""
    target = TARGETS[kind]
    lookups = Lookups(session)
    codes = {f.ref: lookups.codes(f.ref) for f in target.fields if f.ref is not None}
    model = target.model
    rows = session.execute(select(*(getattr(model, f.attr) for f in target.fields)).order_by(model.id)).all()
    records = []
    for row in rows:
        record = {}
        for f, value in zip(target.fields, row, strict=True):
            record[f.column] = codes[f.ref].get(value) if f.ref is not None and value is not None else value
        records.append(record)
    return records


def export_csv(engine: Engine, kind: str) -> str:
    """A dataset as CSV in the documented format."""
    with session_scope(engine) as session:
        return formats.write_csv(formats.DATASETS[kind], export_records(session=session, kind=kind))


__all__ = [
    "FileRefused",
    "LoadResult",
    "UndoRefused",
    "import_files",
    "preview_file",
    "undo_load",
    "export_csv",
    "compute_diff",
    "apply_diff",
    "load_history",
    "export_records",
]
