"""Loading files: import, loads, undo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from smartdash.cli import common
from smartdash.cli.registry import Later, arg, command
from smartdash.i18n import N_, _, _n, text

_FEC_NAME = "{SIREN}FEC{AAAAMMJJ}.txt"  # the file name the LPF gives an FEC (French: the placeholders are French words)


def dataset_kinds(_lang: str = "") -> list[str]:
    """The data types a file can hold (the file formats' registry, which loads the models: asked only when needed)."""
    from smartdash.formats import DATASETS

    return sorted(DATASETS)


def _login() -> str:
    import getpass

    return getpass.getuser()


def _read_files(names: list[str]) -> list[tuple[str, Any]] | None:
    from smartdash import readers

    files = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            print(_(common.language(), "{file}: file not found", file=name), file=sys.stderr)
            return None
        # a file its reader reads as a stream (a ledger export (FEC) may be large) is passed as its path
        found = readers.reader_for(path.name, path)
        files.append((path.name, path if found is not None and found.streams else path.read_bytes()))
    return files


def _print_refusal(refused: Any) -> int:
    lang = common.language()  # the problems in the configured language, French unless set otherwise
    count = len(refused.problems)
    print(
        _n(
            lang,
            "Refused: {count} problem, nothing was written.",
            "Refused: {count} problems, nothing was written.",
            count,
            count=count,
        ),
        file=sys.stderr,
    )
    for problem in refused.problems:
        print(problem.line(lang), file=sys.stderr)
    return 1


@command(
    "import",
    help=N_("loads files (CSV or XLSX) into the store"),
    description=N_(
        "Checks then loads files in a single transaction: all or nothing. The data type is recognised from the "
        "headers (see docs/formats.md)."
    ),
    args=[
        arg("files", nargs="+", metavar=text(N_("FILE")), help=N_(".csv or .xlsx file")),
        arg("--kind", choices=Later(dataset_kinds), help=N_("data type, if it is not recognised")),
        arg("--user", help=N_("name recorded as the author of the load (default: the system user)")),
        arg("--dry-run", action="store_true", help=N_("shows what would change, without writing anything")),
        arg(
            "--entity",
            metavar="CODE",
            help=text(
                N_("FEC (ledger entries): the entity, if the SIREN of the file name {pattern} is not an entity's"),
                pattern=_FEC_NAME,
            ),
        ),
        arg(
            "--allow-large-removal",
            action="store_true",
            help=N_(
                "confirms the removal of more than a fifth of the receivables of a situation already recorded (without "
                "it, such a load is refused: an incomplete file would remove the receivables it lacks)"
            ),
        ),
    ],
)
def cmd_import(args: argparse.Namespace) -> int:
    from smartdash.config import load_settings
    from smartdash.formats import FileRefused
    from smartdash.formatting import number
    from smartdash.importing import import_files, preview_file, preview_shown
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), common.language()
    engine = common.engine()
    ensure_schema(engine)
    files = _read_files(args.files)
    if files is None:
        return 2
    limits = {
        "kind": args.kind,
        "max_file_mb": settings.import_max_file_mb,
        "max_rows": settings.import_max_rows,
        "entity": args.entity,
    }
    try:
        if args.dry_run:
            for name, data in files:
                diff, preview = preview_file(engine, name, data, **limits)
                if hasattr(diff, "summary"):  # a ledger export (FEC): what it holds and gives
                    print(_(lang, "{file}: {summary}", file=name, summary=diff.summary.line(lang)))
                counts = {
                    "inserted": number(len(diff.inserts), lang=lang),
                    "updated": number(len(diff.updates), lang=lang),
                    "unchanged": number(diff.unchanged, lang=lang),
                    "deleted": number(len(diff.deletes), lang=lang),
                }
                if diff.sheet:
                    what = _(lang, "{file}, sheet “{sheet}” ({title})", file=name, sheet=diff.sheet, title=diff.dataset.kind)
                else:
                    what = _(lang, "{file} ({title})", file=name, title=diff.dataset.kind)
                print(
                    _(
                        lang,
                        "{what}: {inserted} new rows, {updated} changed, {unchanged} identical, {deleted} removed — "
                        "nothing was written (--dry-run)",
                        what=what,
                        **counts,
                    )
                )
                for removal in diff.large_removals:
                    said = _(
                        lang,
                        "warning: {removal} would be removed (more than a fifth): the load will ask for --allow-large-removal",
                        removal=removal.line(lang),
                    )
                    print(f"  {said}")
                for row in preview_shown(preview, lang).itertuples():
                    if row.change:
                        said = _(lang, "{action}: {key} — {change}", action=row.action, key=row.key, change=row.change)
                    else:
                        said = _(lang, "{action}: {key}", action=row.action, key=row.key)
                    print(f"  {said}")
            return 0
        results = import_files(
            engine, files, loaded_by=args.user or _login(), allow_large_removal=args.allow_large_removal, **limits
        )
    except FileRefused as refused:
        return _print_refusal(refused)
    for result in results:
        print(result.line(lang))
    return 0


@command(
    "loads",
    help=N_("lists the loads (history)"),
    description=N_(
        "Lists the loads, newest first: who, when, which file, SHA-256 fingerprint, new / changed / identical rows, state."
    ),
    args=[arg("--limit", type=int, default=50, help=N_("number of loads shown (50 by default)"))],
)
def cmd_loads(args: argparse.Namespace) -> int:
    from smartdash.db import session_scope
    from smartdash.importing import load_history

    lang = common.language()
    with session_scope(common.existing_engine()) as session:
        history = load_history(session=session, limit=args.limit)
    for row in history.itertuples():
        load = _(lang, "no. {number}", number=row.id)
        state = _(lang, "undone") if row.status == "undone" else _(lang, "applied")
        print(
            f"{load}\t{row.loaded_at:%d/%m/%Y %H:%M}\t{row.loaded_by}\t{row.kind}\t{row.file_name}\t"
            f"+{row.rows_inserted} ~{row.rows_updated} ={row.rows_unchanged} -{row.rows_deleted}\t{state}\t"
            f"{row.checksum[:12]}"
        )
    return 0


@command(
    "undo",
    help=N_("undoes a load"),
    description=N_(
        "Undoes a load in one transaction: the rows added are removed, the values replaced come back. Refused if "
        "a newer load changed the same rows."
    ),
    args=[
        arg("load_id", type=int, metavar="N", help=N_("number of the load (see “loads”)")),
        arg("--user", help=N_("name recorded as the author of the undo")),
    ],
)
def cmd_undo(args: argparse.Namespace) -> int:
    from smartdash.formatting import number
    from smartdash.importing import UndoRefused, undo_load

    lang = common.language()
    try:
        count = undo_load(common.existing_engine(), args.load_id, undone_by=args.user or _login())
    except UndoRefused as refused:
        print(_(lang, "Undo refused: {reason}", reason=refused.render(lang)), file=sys.stderr)
        return 1
    print(
        _(
            lang,
            "Load no. {load_id} undone: {count} rows restored or removed.",
            load_id=args.load_id,
            count=number(count, lang=lang),
        )
    )
    return 0
