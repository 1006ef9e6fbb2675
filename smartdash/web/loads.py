"""Data loading on the pages: an upload previewed or loaded, a load undone, the load history, and the books (FEC):
reconciliation, trial balance and the account mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd

from smartdash import actions, formats, formatting, i18n
from smartdash.config import load_settings
from smartdash.db import session_scope
from smartdash.i18n import N_, _, _p, bilingual
from smartdash.web import store
from smartdash.web.session import as_user

LOAD_KINDS = {"fec": N_("Ledger export (FEC)")}


@contextmanager
def progress_bar(lang: str) -> Iterator[Callable[[float, i18n.Text], None]]:
    """A progress bar on the page while a file is previewed or loaded (each step named as it starts), gone after."""
    from smartdash.importing import READING
    from smartdash.inert import st

    bar = st.progress(0.0, text=i18n.render(lang, READING))
    try:
        yield lambda share, step: bar.progress(share, text=i18n.render(lang, step))
    finally:
        bar.empty()


def preview_upload(name: str, data: bytes, kind: str | None, entity: str | None = None, *, lang: str = "fr"):
    """(diff, preview frame) of an uploaded file, or raises FileRefused; writes nothing. A progress bar shows the
    steps meanwhile."""
    from smartdash.importing import preview_file

    settings = load_settings()
    with progress_bar(lang) as progress:
        return preview_file(
            store.engine(),
            name,
            data,
            kind=kind,
            max_file_mb=settings.import_max_file_mb,
            max_rows=settings.import_max_rows,
            entity=entity,
            progress=progress,
        )


def import_upload(
    name: str, data: bytes, kind: str | None, entity: str | None = None, *, allow_large_removal: bool = False, lang: str = "fr"
):
    """Load an uploaded file in one transaction, then make every page read the store again. A file removing more
    than a fifth of a stored snapshot is refused unless `allow_large_removal` (the page's confirmation). A progress
    bar shows the steps meanwhile."""
    settings = load_settings()
    with progress_bar(lang) as progress:
        [result] = as_user(
            actions.import_files,
            [(name, data)],
            kind=kind,
            max_file_mb=settings.import_max_file_mb,
            max_rows=settings.import_max_rows,
            entity=entity,
            allow_large_removal=allow_large_removal,
            progress=progress,
        )
    store.changed()
    return result


def undo(load_id: int) -> int:
    count = as_user(actions.undo_load, load_id)
    store.changed()
    return count


def load_history() -> pd.DataFrame:
    from smartdash.importing import load_history as history

    with session_scope(store.engine()) as s:
        return history(session=s)


def problems_table(problems, lang: str) -> pd.DataFrame:
    """Every problem of a refused file: file, row, column, value, expected."""
    return pd.DataFrame(
        {
            _(lang, "File"): [p.file for p in problems],
            _(lang, "Row"): [p.row if p.row is not None else "" for p in problems],
            _(lang, "Column"): [i18n.render(lang, p.column or "") for p in problems],
            _(lang, "Value read"): [i18n.render(lang, p.value or "") for p in problems],
            _(lang, "Expected"): [i18n.render(lang, p.expected) for p in problems],
        }
    )


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _p(lang, "load number", "No."): history["id"],
            _(lang, "When"): [formatting.date_short(d) + d.strftime(" %H:%M") for d in history["loaded_at"]],
            _(lang, "Who"): history["loaded_by"],
            _(lang, "File"): history["file_name"],
            _(lang, "Kind"): [
                bilingual(lang, formats.DATASETS[k].title_fr, formats.DATASETS[k].title_en)
                if k in formats.DATASETS
                else _(lang, LOAD_KINDS.get(k, k))
                for k in history["kind"]
            ],
            **{
                label: [formatting.number(n, lang=lang) for n in history[column]]
                for label, column in (
                    (_(lang, "New"), "rows_inserted"),
                    (_(lang, "Changed"), "rows_updated"),
                    (_(lang, "Unchanged"), "rows_unchanged"),
                    (_(lang, "Removed"), "rows_deleted"),
                )
            },
            _(lang, "State"): [_(lang, "undone") if s == "undone" else _(lang, "applied") for s in history["status"]],
            "SHA-256": [c[:12] for c in history["checksum"]],
        }
    )


def is_fec(data: bytes) -> bool:
    from smartdash.fec import recognised

    return recognised(data)


def fec_reconciliation_table(lang: str) -> pd.DataFrame:
    """Values an FEC gave that another file also gave: both, their difference and sources, formatted."""
    from smartdash.fec import reconciliation

    with session_scope(store.engine()) as s:
        frame = reconciliation(session=s)

    def shown(values):
        return [formatting.value(v, u, lang=lang) for v, u in zip(values, frame["unit"], strict=True)]

    return pd.DataFrame(
        {
            _(lang, "Indicator"): frame["label_fr" if lang != "en" else "label_en"],
            _(lang, "Entity"): frame["entity"],
            _(lang, "As of"): [formatting.date_short(d) for d in frame["period_end"]],
            _(lang, "From the FEC"): shown(frame["fec_value"]),
            _(lang, "From the other file"): shown(frame["other_value"]),
            _(lang, "Difference (FEC − other)"): shown(frame["difference"]),
            _(lang, "FEC source"): frame["fec_source"],
            _(lang, "Other source"): frame["other_source"],
        }
    )


def fec_ledger_dates() -> pd.DataFrame:
    from smartdash.fec import ledger_dates

    with session_scope(store.engine()) as s:
        return ledger_dates(session=s)


def fec_trial_balance_table(entity: str, as_of: dt.date, lang: str) -> pd.DataFrame:
    """An entity's trial balance read from its FEC, amounts in French format, with its total line."""
    from smartdash.fec import trial_balance

    with session_scope(store.engine()) as s:
        frame = trial_balance(session=s, entity=entity, as_of=as_of)
    total = [_(lang, "Total"), "", sum(frame["debit"]), sum(frame["credit"]), sum(frame["balance"])]
    rows = [*frame.itertuples(index=False, name=None), tuple(total)]
    return pd.DataFrame(
        {
            _(lang, "Account"): [r[0] for r in rows],
            _(lang, "Label"): [r[1] for r in rows],
            _(lang, "Debit"): [formatting.money(r[2], lang=lang, places=2) for r in rows],
            _(lang, "Credit"): [formatting.money(r[3], lang=lang, places=2) for r in rows],
            _(lang, "Balance (debit − credit)"): [formatting.money(r[4], lang=lang, places=2) for r in rows],
        }
    )


def fec_mapping_frame() -> pd.DataFrame:
    from smartdash.fec_mapping import mapping_frame

    with session_scope(store.engine()) as s:
        return mapping_frame(session=s)


def save_fec_mapping(frame: pd.DataFrame) -> int:
    """The admins' edit of the account mapping, guarded and audited in smartdash.fec_mapping."""
    from smartdash.fec_mapping import rules_from_frame, save_mapping

    return as_user(save_mapping, rules_from_frame(frame))
