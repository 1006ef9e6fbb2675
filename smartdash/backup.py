"""Backups of a SQLite store while it runs, and restores after checks.

A backup is SQLite's online backup API copying the whole store in one step: it reads one snapshot (WAL: loads and
pages go on meanwhile), so a backup taken during a load holds the store as it was before that load, never half of it.
A restore checks the file first (a SQLite file, a smartdash store, a schema this code knows, `PRAGMA integrity_check`),
keeps the replaced store aside, then copies the backup INTO the store's file with the same API: running servers keep
their connections and read the restored store at their next page (a backup of another store makes them refuse writes
until restarted). A PostgreSQL store is backed up with pg_dump / pg_restore (see README).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from smartdash import schema
from smartdash.db import marker_path, sqlite_path
from smartdash.i18n import N_, Refusal, text

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupRefused(Refusal):
    """A backup or restore that cannot be done: a message saying why and what to do, rendered in the reader's
    language where it is shown (`str()` reads English)."""


@dataclass(frozen=True)
class StoreFile:
    """What a checked backup file holds."""

    path: Path
    store_id: str
    revision: str
    loads: int
    size: int


def pg_commands(url: str) -> tuple[str, str]:
    """The pg_dump and pg_restore lines for a PostgreSQL store (its password never shown)."""
    target = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    return (
        f"pg_dump --format=custom --file=smartdash.dump '{target}'",
        f"pg_restore --clean --if-exists --single-transaction --dbname='{target}' smartdash.dump",
    )


def _store_path(engine: Engine) -> Path:
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        dump, restore = pg_commands(engine.url.render_as_string(hide_password=False))
        raise BackupRefused(
            N_(
                "the store is on PostgreSQL: back it up with pg_dump and restore it with pg_restore, for example:"
                "\n  {dump}\n  {restore}"
            ),
            dump=dump,
            restore=restore,
        )
    return path


def backup(engine: Engine, out: Path) -> StoreFile:
    """Copy the whole store to `out` in one consistent step (written beside it, then renamed into place)."""
    path = _store_path(engine)
    out = Path(out)
    if out.resolve() == path.resolve() or out.resolve() == marker_path(path).resolve():
        raise BackupRefused(N_("the backup file cannot be the store itself"))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partiel")
    partial.unlink(missing_ok=True)
    source = engine.raw_connection()  # through the engine: a vanished or replaced store is refused
    try:
        target = sqlite3.connect(partial)
        try:
            source.driver_connection.backup(target)  # all pages in one step: one snapshot of the store
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal or -shm beside it
        finally:
            target.close()
    finally:
        source.close()
    checked = check_backup(partial)
    os.replace(partial, out)
    return StoreFile(out, checked.store_id, checked.revision, checked.loads, out.stat().st_size)


def check_backup(path: Path) -> StoreFile:
    """The backup's identity, if it is a sound smartdash store this code can open; BackupRefused otherwise."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(N_("{file}: file not found"), file=str(path))
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupRefused(N_("{file} is not a SQLite database"), file=str(path))
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        try:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            found = integrity[0][:80]
        except sqlite3.DatabaseError:
            integrity, found = None, text(N_("unreadable"))
        if integrity != ["ok"]:
            raise BackupRefused(N_("{file} is damaged (PRAGMA integrity_check: {found})"), file=str(path), found=found)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"alembic_version", "store_info", "data_load"} <= tables:
            raise BackupRefused(
                N_("{file} is not a smartdash store (or comes from a version too old to be restored)"), file=str(path)
            )
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        store_id = connection.execute("SELECT store_id FROM store_info").fetchone()
        loads = connection.execute("SELECT count(*) FROM data_load").fetchone()[0]
    finally:
        connection.close()
    if revision is None:
        raise BackupRefused(
            N_("{file} comes from a newer version of smartdash (unknown schema): update smartdash before restoring it"),
            file=str(path),
        )
    if revision[0] not in schema.known_revisions():
        raise BackupRefused(
            N_("{file} comes from a newer version of smartdash (schema {revision}): update smartdash before restoring it"),
            file=str(path),
            revision=revision[0],
        )
    if store_id is None:
        raise BackupRefused(N_("{file} has no store identifier: it is not a smartdash backup"), file=str(path))
    return StoreFile(path, store_id[0], revision[0], loads, path.stat().st_size)


@dataclass(frozen=True)
class RestoreReport:
    restored: StoreFile
    kept_aside: Path | None  # the store that was replaced
    same_store: bool  # the backup is of the store it replaced


def restore(engine: Engine, backup_file: Path, *, now: dt.datetime | None = None) -> RestoreReport:
    """Put a checked backup in place of the store; the replaced store is first copied aside, next to it."""
    path = _store_path(engine)
    checked = check_backup(backup_file)
    if Path(backup_file).resolve() == path.resolve():
        raise BackupRefused(N_("the backup is the store itself: nothing to restore"))
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside, previous_id = None, None
    if path.exists():
        aside = path.with_name(f"{path.stem}.avant-restauration-{stamp}{path.suffix}")
        previous_id = backup(engine, aside).store_id
        live = sqlite3.connect(path, timeout=getattr(engine, "smartdash_lock_wait", 30.0))
        source = sqlite3.connect(f"file:{quote(str(Path(backup_file).resolve()))}?mode=ro", uri=True)
        try:
            source.backup(live)  # into the live file: its inode, its WAL and other processes' connections stay valid
        finally:
            source.close()
            live.close()
    else:  # the store vanished: the backup becomes its file
        partial = path.with_name(path.name + ".partiel")
        source = sqlite3.connect(f"file:{quote(str(Path(backup_file).resolve()))}?mode=ro", uri=True)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            source.close()
            target.close()
        os.replace(partial, path)
    marker_path(path).write_text(checked.store_id + "\n", encoding="utf-8")
    return RestoreReport(checked, aside, previous_id == checked.store_id)
