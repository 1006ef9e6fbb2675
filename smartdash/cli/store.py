"""The store: init-db, revision, backup, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartdash.cli import common
from smartdash.cli.registry import arg, command
from smartdash.config import load_settings
from smartdash.i18n import N_, _, _n, text


@command(
    "init-db",
    help=N_("creates or upgrades the schema of the configured store"),
    description=N_(
        "Creates or upgrades the schema (Alembic migrations) of the configured store (config.toml, or "
        "SMARTDASH_DATABASE_URL). Running it again changes nothing."
    ),
    args=[
        arg("--demo", action="store_true", help=N_("also loads the demo data set")),
        arg(
            "--new",
            action="store_true",
            help=N_(
                "creates a new store where a SQLite store has vanished (without it, smartdash refuses to recreate it "
                "empty: restore a backup instead)"
            ),
        ),
    ],
)
def cmd_init_db(args: argparse.Namespace) -> int:
    from smartdash.db import forget_missing_store, sqlite_path
    from smartdash.store import init_store

    lang, url = common.language(), load_settings().database_url
    if args.new:
        if not forget_missing_store(url):
            path = sqlite_path(url)
            if path and path.exists():
                print(_(lang, "--new only recreates a SQLite store that has vanished; {path} exists", path=path), file=sys.stderr)
            else:
                print(_(lang, "--new only recreates a SQLite store that has vanished"), file=sys.stderr)
            return 1
        print(_(lang, "The vanished store ({path}) is forgotten: a new store is created.", path=sqlite_path(url)))
    report = init_store(common.engine(), demo=args.demo)
    print(report.line(lang))
    return 0


@command(
    "revision",
    help=N_("writes the next migration from the models (developers)"),
    description=N_(
        "Writes the next schema migration: the difference between smartdash/models.py and a temporary store "
        "upgraded to the newest migration, in the file numbered after it in smartdash/migrations/versions."
    ),
    args=[arg("message", help=N_("what the migration does, in a few words"))],
)
def cmd_revision(args: argparse.Namespace) -> int:
    from smartdash.schema import new_revision

    path = new_revision(args.message)
    print(
        _(
            common.language(),
            "Migration written: {path}. Read it before committing it: autogenerate does not see renames or data.",
            path=path,
        )
    )
    return 0


@command(
    "backup",
    help=N_("backs up the store (SQLite) while it runs"),
    description=N_(
        "Copies the whole SQLite store to a file, at once and consistently, while the server runs (a load under "
        "way is not half in it). For PostgreSQL, the command gives the pg_dump / pg_restore lines."
    ),
    args=[arg("--out", required=True, help=N_("backup file to write"))],
)
def cmd_backup(args: argparse.Namespace) -> int:
    from smartdash.backup import backup
    from smartdash.formatting import number

    lang = common.language()
    saved = backup(common.existing_engine(), Path(args.out))
    print(
        _n(
            lang,
            "Backup written: {path} ({size}, schema {revision}, {loads} load, store {store})",
            "Backup written: {path} ({size}, schema {revision}, {loads} loads, store {store})",
            saved.loads,
            path=saved.path,
            size=_(lang, "{size} MB", size=number(saved.size / 1024 / 1024, lang=lang, places=1)),
            revision=saved.revision,
            loads=number(saved.loads, lang=lang),
            store=saved.store_id[:8],
        )
    )
    return 0


@command(
    "restore",
    help=N_("puts a backup back in place (after checks)"),
    description=N_(
        "Checks the backup (SQLite store, smartdash store, known schema, PRAGMA integrity_check), keeps the "
        "current store beside it (…avant-restauration-DATE.db), then replaces it. Asks for --yes."
    ),
    args=[
        arg("file", metavar=text(N_("FILE")), help=N_("backup file (written by “backup”)")),
        arg("--yes", action="store_true", help=N_("confirms replacing the current store")),
    ],
)
def cmd_restore(args: argparse.Namespace) -> int:
    from smartdash.backup import check_backup, restore
    from smartdash.db import make_engine, sqlite_path
    from smartdash.formatting import number
    from smartdash.store import ensure_schema

    lang, url = common.language(), load_settings().database_url
    checked = check_backup(Path(args.file))
    print(
        _n(
            lang,
            "{path}: smartdash store {store}, schema {revision}, {loads} load, integrity checked.",
            "{path}: smartdash store {store}, schema {revision}, {loads} loads, integrity checked.",
            checked.loads,
            path=checked.path,
            store=checked.store_id[:8],
            revision=checked.revision,
            loads=number(checked.loads, lang=lang),
        )
    )
    if not args.yes:
        print(
            _(
                lang,
                "Nothing was done. To replace the store {path} with this backup (the current one is kept beside it), "
                "run again with --yes.",
                path=sqlite_path(url) or "",
            ),
            file=sys.stderr,
        )
        return 1
    engine = make_engine(url, lock_wait=load_settings().lock_wait_seconds)
    report = restore(engine, Path(args.file))
    engine.dispose()
    engine = make_engine(url, lock_wait=load_settings().lock_wait_seconds)
    migrated = ensure_schema(engine)
    engine.dispose()
    said = [_(lang, "Store restored and upgraded to the newest schema.") if migrated else _(lang, "Store restored.")]
    if report.kept_aside:
        said.append(_(lang, "The former store is kept in {path}.", path=report.kept_aside))
    print(" ".join(said))
    if report.kept_aside and not report.same_store:
        print(
            _(
                lang,
                "The backup comes from another store: restart the smartdash servers that are running (they refuse to "
                "write to a replaced store).",
            )
        )
    return 0
