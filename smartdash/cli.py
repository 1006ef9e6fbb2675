"""`python -m smartdash …`: set up the store, load files, regenerate the demo data set."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import traceback
from pathlib import Path

from smartdash import formats
from smartdash.config import load_settings
from smartdash.db import engine_for
from smartdash.formats import FileRefused
from smartdash.formatting import date_short, number
from smartdash.i18n import _, _n

log = logging.getLogger(__name__)


def _engine():
    return engine_for(load_settings().database_url)


def _existing_engine():
    """For the commands that only read the store or change its data: a store never initialised is not created."""
    from smartdash.db import existing_engine

    return existing_engine(load_settings().database_url)


def cmd_init_db(args: argparse.Namespace) -> int:
    from smartdash.db import forget_missing_store, sqlite_path
    from smartdash.store import init_store

    lang, url = _language(), load_settings().database_url
    if args.new:
        if not forget_missing_store(url):
            path = sqlite_path(url)
            if path and path.exists():
                print(_(lang, "--new only recreates a SQLite store that has vanished; {path} exists", path=path), file=sys.stderr)
            else:
                print(_(lang, "--new only recreates a SQLite store that has vanished"), file=sys.stderr)
            return 1
        print(_(lang, "The vanished store ({path}) is forgotten: a new store is created.", path=sqlite_path(url)))
    report = init_store(_engine(), demo=args.demo)
    print(report.line(lang))
    return 0


def cmd_revision(args: argparse.Namespace) -> int:
    from smartdash.schema import new_revision

    path = new_revision(args.message)
    print(
        _(
            _language(),
            "Migration written: {path}. Read it before committing it: autogenerate does not see renames or data.",
            path=path,
        )
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from smartdash.backup import backup

    lang = _language()
    saved = backup(_existing_engine(), Path(args.out))
    print(
        _n(
            lang,
            "Backup written: {path} ({size}, schema {revision}, {loads} load, store {store})",
            "Backup written: {path} ({size}, schema {revision}, {loads} loads, store {store})",
            saved.loads,
            path=saved.path,
            size=_size(saved.size, lang),
            revision=saved.revision,
            loads=number(saved.loads, lang=lang),
            store=saved.store_id[:8],
        )
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from smartdash.backup import check_backup, restore
    from smartdash.db import make_engine, sqlite_path
    from smartdash.store import ensure_schema

    lang, url = _language(), load_settings().database_url
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


def _size(size: int, lang: str) -> str:
    return _(lang, "{size} MB", size=number(size / 1024 / 1024, lang=lang, places=1))


def _read_files(names: list[str]) -> list[tuple[str, bytes | Path]] | None:
    from smartdash.fec import recognised as recognised_ledger

    files = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            print(_(_language(), "{file}: file not found", file=name), file=sys.stderr)
            return None
        # a ledger export (FEC) may be large: it is read from its file, as a stream
        files.append((path.name, path if recognised_ledger(path) else path.read_bytes()))
    return files


def _print_refusal(refused: FileRefused) -> int:
    lang = _language()  # the problems in the configured language, French unless set otherwise
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


def cmd_import(args: argparse.Namespace) -> int:
    from smartdash.importing import import_files, preview_file, preview_shown
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), _language()
    engine = _engine()
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
            engine, files, loaded_by=args.user or getpass.getuser(), allow_large_removal=args.allow_large_removal, **limits
        )
    except FileRefused as refused:
        return _print_refusal(refused)
    for result in results:
        print(result.line(lang))
    return 0


def cmd_loads(args: argparse.Namespace) -> int:
    from smartdash.db import session_scope
    from smartdash.importing import load_history

    lang = _language()
    with session_scope(_existing_engine()) as session:
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


def cmd_undo(args: argparse.Namespace) -> int:
    from smartdash.importing import UndoRefused, undo_load

    lang = _language()
    try:
        count = undo_load(_existing_engine(), args.load_id, undone_by=args.user or getpass.getuser())
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


def cmd_export(args: argparse.Namespace) -> int:
    if args.kind == "slides":
        return _export_slides(args)
    if args.kind == "pdf":
        from smartdash.export.pdf import export_pdf_command

        return export_pdf_command(_existing_engine(), args, load_settings().language)
    from smartdash.importing import export_csv

    text = export_csv(_existing_engine(), args.kind)
    Path(args.out).write_text(text, encoding="utf-8")
    lang = _language()
    rows = number(text.count(chr(10)) - 1, lang=lang)
    print(_(lang, "{file}: {count} rows ({kind})", file=args.out, count=rows, kind=args.kind))
    return 0


def _export_slides(args: argparse.Namespace) -> int:
    import datetime as dt

    from smartdash.db import session_scope
    from smartdash.export.slides import build_deck
    from smartdash.queries import latest_data_date, version_in_force
    from smartdash.views import Filters

    settings = load_settings()
    engine = _existing_engine()
    with session_scope(engine) as session:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else latest_data_date(session=session)
        # by default the version in force on the as-of date: a revision adopted later is not what it was measured by
        version = args.plan_version or (version_in_force(session=session, on=as_of) if as_of else None)
    said = _language()  # the command's own lines; the deck is in --lang
    if as_of is None:
        print(_(said, "The store holds no data: nothing to present."), file=sys.stderr)
        return 1
    lang = args.lang or settings.language
    data, info = build_deck(
        engine, filters=Filters(args.entity, as_of, "meeting", version, lang), role=args.role, template=settings.export_template
    )
    Path(args.out).write_bytes(data)
    fields = {"file": args.out, "count": number(len(info.titles), lang=said), "date": date_short(as_of)}
    if info.synthetic:
        print(_(said, "{file}: {count} slides, figures as of {date} (contains demo data)", **fields))
    else:
        print(_(said, "{file}: {count} slides, figures as of {date}", **fields))
    return 0


def _stdin_password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    from smartdash import auth
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    lang, engine = _language(), _engine()
    ensure_schema(engine)
    by = _system_user()
    try:
        if args.users_command in ("add", "set-password"):
            password = _stdin_password(args)
            if password is None:
                print(_(lang, "Password expected on standard input: --password-stdin"), file=sys.stderr)
                return 2
            if args.users_command == "add":
                auth.add_user(engine, args.login, args.role, password, by=by)
                print(_(lang, "Account “{login}” created ({role}).", login=args.login, role=args.role))
            else:
                auth.set_password(engine, args.login, password, by=by)
                print(_(lang, "Password of “{login}” changed.", login=args.login))
        elif args.users_command == "set-role":
            auth.set_role(engine, args.login, args.role, by=by)
            print(_(lang, "“{login}”: role {role}.", login=args.login, role=args.role))
        elif args.users_command == "disable":
            auth.disable_user(engine, args.login, by=by)
            print(_(lang, "Account “{login}” disabled.", login=args.login))
        else:
            with session_scope(engine) as session:
                users = auth.list_users(session=session)
            for row in users.itertuples():
                state = _(lang, "active") if row.active else _(lang, "disabled")
                print(f"{row.login}\t{row.role}\t{state}")
    except auth.AccountError as err:
        print(_(lang, "Refused, expected: {expected}", expected=err.render(lang)), file=sys.stderr)
        return 1
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    dataset = formats.DATASETS[args.kind]
    data = formats.template_xlsx(dataset) if args.out.lower().endswith(".xlsx") else formats.template_csv(dataset)
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0


def cmd_fec_mapping(args: argparse.Namespace) -> int:
    from smartdash import fec_mapping
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    lang, engine = _language(), _engine()
    ensure_schema(engine)
    with session_scope(engine) as session:
        current = fec_mapping.rules(session=session)
    if args.mapping_command == "list":
        for r in current:
            print(f"{r.indicator}\t{r.prefix}\t{r.side}\t{r.rule}\t{r.measure}")
        return 0
    if args.mapping_command == "reset":
        new = list(fec_mapping.PCG_DEFAULT)
    else:
        new = [r for r in current if (r.indicator, r.prefix) != (args.indicator.upper(), args.prefix)]
        if args.mapping_command == "set":
            new.append(fec_mapping.Rule(args.indicator.upper(), args.prefix, args.side, args.rule, args.measure))
        elif len(new) == len(current):
            said = _(lang, "No rule {indicator} / {prefix}: nothing changed.", indicator=args.indicator, prefix=args.prefix)
            print(said, file=sys.stderr)
            return 1
    try:
        count = fec_mapping.replace_rules(engine, new, by=_system_user())
    except fec_mapping.MappingError as err:
        print(_(lang, "Refused, expected:"), file=sys.stderr)
        print(err.render(lang), file=sys.stderr)
        return 1
    print(_(lang, "Account mapping saved: {count} rules.", count=number(count, lang=lang)))
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from smartdash.demo import write_demo

    for path in write_demo(Path(args.out)):
        print(path)
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    from smartdash.docs import formats_markdown

    print(formats_markdown(), end="")
    return 0


def _system_user() -> str:
    """Who the audit log records for a command: data kept in the store, the same whatever the language."""
    return f"{getpass.getuser()} (ligne de commande)"


def _as_of(text: str | None):
    import datetime as dt

    return dt.date.fromisoformat(text) if text else dt.date.today()


def cmd_subscriptions(args: argparse.Namespace) -> int:
    from smartdash import subscriptions
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    lang, engine = _language(), _engine()
    ensure_schema(engine)
    try:
        if args.subscriptions_command == "add":
            subscriptions.subscribe(
                engine,
                args.login,
                what=args.what,
                entities=args.entity or [],
                lang=args.lang or load_settings().language,
                email=args.email,
                by=_system_user(),
            )
            print(_(lang, "Subscription of “{login}” saved ({what}).", login=args.login, what=args.what))
        elif args.subscriptions_command == "remove":
            if subscriptions.unsubscribe(engine, args.login, by=_system_user()):
                print(_(lang, "Subscription of “{login}” removed.", login=args.login))
            else:
                print(_(lang, "Subscription of “{login}” absent: nothing to remove.", login=args.login))
        else:
            with session_scope(engine) as session:
                subs = subscriptions.subscribers(session=session)
            for s in subs:
                what = "both" if s.digest and s.alerts else "digest" if s.digest else "alerts"
                columns = [
                    s.login,
                    s.email or _(lang, "(no address)"),
                    s.role,
                    what,
                    s.lang,
                    ",".join(s.entities) or _(lang, "entities under plan"),
                ]
                if not s.active:
                    columns.append(_(lang, "account disabled"))
                print("\t".join(columns))
    except subscriptions.SubscriptionError as err:
        print(_(lang, "Refused, expected: {expected}", expected=err.render(lang)), file=sys.stderr)
        return 1
    return 0


def _mail_settings_or_refuse(settings) -> bool:
    from smartdash.mail import MailNotConfigured

    if settings.mail is None:
        print(MailNotConfigured().render(_language()), file=sys.stderr)
        return False
    return True


def cmd_digest(args: argparse.Namespace) -> int:
    from smartdash import digest
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), _language()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = _engine()
    ensure_schema(engine)
    as_of = _as_of(args.as_of)
    if args.out:
        written = digest.write_digests(engine, as_of=as_of, settings=settings, out=Path(args.out), login=args.login)
        for path, login in written:
            if login == "aperçu":  # digest.py's stand-in subscriber when nobody is subscribed
                said = _(
                    lang,
                    "{file}: digest as of {date} for “{login}” (nobody is subscribed: the view of a committee member, "
                    "entities under plan)",
                    file=path,
                    date=date_short(as_of),
                    login=_(lang, "preview"),
                )
            else:
                said = _(lang, "{file}: digest as of {date} for “{login}”", file=path, date=date_short(as_of), login=login)
            print(said)
        if not written:
            said = _(lang, "“{login}” is not subscribed to the digest: nothing was written.", login=args.login)
            print(said, file=sys.stderr)
        return 0 if written else 1
    report = digest.send_digests(engine, as_of=as_of, settings=settings, by=_system_user(), login=args.login)
    if not (report.sent or report.skipped or report.failed):
        print(_(lang, "Nobody is subscribed to the digest: nothing was sent."))
    for login in report.sent:
        print(_(lang, "{login}: digest sent (week {week})", login=login, week=digest.week_of(as_of)))
    for login, reason in report.skipped:
        print(_(lang, "{login}: not sent — {reason}", login=login, reason=reason.render(lang)))
    _print_failures(report.failed, lang)
    return 1 if report.failed else 0


def _print_failures(failed: list[tuple[str, str]], lang: str) -> None:
    for login, error in failed:
        said = _(lang, "{login}: sending failed — {error} (tried again at the next run)", login=login, error=error)
        print(said, file=sys.stderr)


def cmd_alerts(args: argparse.Namespace) -> int:
    from smartdash import alerts
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), _language()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = _engine()
    ensure_schema(engine)
    report = alerts.run_alerts(engine, as_of=_as_of(args.as_of), settings=settings, by=_system_user(), send=args.send)
    if report.baseline and args.send:
        print(_(lang, "First run: the states found are recorded as the starting point; no alert is raised."))
    elif report.baseline:
        print(
            _(
                lang,
                "First run: the states found are recorded as the starting point (at the first run with --send); "
                "no alert is raised.",
            )
        )
    for c in report.raised:
        if args.send:
            print(_(lang, "Alert: {alert}", alert=c.text.render(lang)))
        else:
            print(_(lang, "Alert (to raise): {alert}", alert=c.text.render(lang)))
    if not report.baseline and not report.raised:
        print(_(lang, "Nothing new since the last run."))
    if not args.send:
        pending = number(report.pending, lang=lang)
        print(
            _n(
                lang,
                "Preview: nothing was recorded or sent ({pending} sending pending). Add --send.",
                "Preview: nothing was recorded or sent ({pending} sendings pending). Add --send.",
                report.pending,
                pending=pending,
            )
        )
    for login, count in report.sent:
        shown = number(count, lang=lang)
        print(_n(lang, "{login}: {count} alert sent", "{login}: {count} alerts sent", count, login=login, count=shown))
    _print_failures(report.failed, lang)
    return 1 if report.failed else 0


_FEC_NAME = "{SIREN}FEC{AAAAMMJJ}.txt"  # the file name the LPF gives an FEC (French: the placeholders are French words)


def _add_mail_commands(sub, lang: str) -> None:
    """subscriptions, digest, alerts: the e-mail side, meant for cron or a systemd timer."""
    p = sub.add_parser(
        "subscriptions",
        help=_(lang, "manages e-mail subscriptions (digest, alerts)"),
        description=_(
            lang,
            "An account's subscriptions to the weekly digest and to the alerts, by entity and by language. An account "
            "needs an e-mail address (--email).",
        ),
    )
    subs = p.add_subparsers(dest="subscriptions_command", required=True, metavar="ACTION")
    a = subs.add_parser(
        "add",
        help=_(lang, "creates or replaces an account's subscription"),
        description=_(lang, "Creates or replaces an account's subscription."),
    )
    a.add_argument("login")
    a.add_argument("--email", help=_(lang, "the account's e-mail address (saved on the account)"))
    a.add_argument(
        "--what",
        choices=["digest", "alerts", "both"],
        default="both",
        help=_(lang, "digest, alerts or both (default: both)"),
    )
    a.add_argument(
        "--entity",
        action="append",
        metavar="CODE",
        help=_(lang, "code of an entity followed (repeatable; default: every entity under the plan)"),
    )
    a.add_argument("--lang", choices=["fr", "en"], help=_(lang, "language of the e-mails (default: config.toml's)"))
    subs.add_parser("list", help=_(lang, "lists the subscriptions"), description=_(lang, "Lists the subscriptions."))
    r = subs.add_parser(
        "remove", help=_(lang, "removes an account's subscription"), description=_(lang, "Removes a subscription.")
    )
    r.add_argument("login")
    p.set_defaults(func=cmd_subscriptions)

    p = sub.add_parser(
        "digest",
        help=_(lang, "weekly digest: sends it (--send) or writes it (--out)"),
        description=_(
            lang,
            "The week's digest, one per subscriber: key indicators and status, change over one week and since the "
            "last committee, points of attention, open actions, latest loads. --send sends it (once per subscriber "
            "and per week; a failed sending is tried again at the next run); --out writes it to a file (.html, or "
            ".txt for the text alone), one per subscriber.",
        ),
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--send", action="store_true", help=_(lang, "sends by e-mail ([mail] section of config.toml)"))
    what.add_argument("--out", metavar=_(lang, "FILE"), help=_(lang, "writes the digest to this file, without sending anything"))
    p.add_argument("--as-of", help=_(lang, "date of the figures YYYY-MM-DD (default: today)"))
    p.add_argument("--login", help=_(lang, "only this account's subscriber"))
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser(
        "alerts",
        help=_(lang, "alerts: what has worsened since the last run"),
        description=_(
            lang,
            "Looks for what has worsened since the last run (an indicator crossing its threshold, a plan instalment "
            "late, a 1+1 contribution late, the cessation-of-payments test below 1) and sends it once only to the "
            "subscribers. Without --send: a preview, nothing is recorded.",
        ),
    )
    p.add_argument("--send", action="store_true", help=_(lang, "records and sends ([mail] section of config.toml)"))
    p.add_argument("--as-of", help=_(lang, "date of the situation YYYY-MM-DD (default: today)"))
    p.set_defaults(func=cmd_alerts)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line, its texts in `lang` (by default the configured language)."""
    lang = lang or _language()
    parser = argparse.ArgumentParser(
        prog="python -m smartdash",
        description=_(lang, "smartdash — dashboard of the continuation plan's monitoring committee."),
    )
    parser.add_argument("--debug", action="store_true", help=_(lang, "on an error, also shows the technical detail"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=_(lang, "COMMAND"))

    p = sub.add_parser(
        "init-db",
        help=_(lang, "creates or upgrades the schema of the configured store"),
        description=_(
            lang,
            "Creates or upgrades the schema (Alembic migrations) of the configured store (config.toml, or "
            "SMARTDASH_DATABASE_URL). Running it again changes nothing.",
        ),
    )
    p.add_argument("--demo", action="store_true", help=_(lang, "also loads the demo data set"))
    p.add_argument(
        "--new",
        action="store_true",
        help=_(
            lang,
            "creates a new store where a SQLite store has vanished (without it, smartdash refuses to recreate it "
            "empty: restore a backup instead)",
        ),
    )
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser(
        "revision",
        help=_(lang, "writes the next migration from the models (developers)"),
        description=_(
            lang,
            "Writes the next schema migration: the difference between smartdash/models.py and a temporary store "
            "upgraded to the newest migration, in the file numbered after it in smartdash/migrations/versions.",
        ),
    )
    p.add_argument("message", help=_(lang, "what the migration does, in a few words"))
    p.set_defaults(func=cmd_revision)

    p = sub.add_parser(
        "backup",
        help=_(lang, "backs up the store (SQLite) while it runs"),
        description=_(
            lang,
            "Copies the whole SQLite store to a file, at once and consistently, while the server runs (a load under "
            "way is not half in it). For PostgreSQL, the command gives the pg_dump / pg_restore lines.",
        ),
    )
    p.add_argument("--out", required=True, help=_(lang, "backup file to write"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help=_(lang, "puts a backup back in place (after checks)"),
        description=_(
            lang,
            "Checks the backup (SQLite store, smartdash store, known schema, PRAGMA integrity_check), keeps the "
            "current store beside it (…avant-restauration-DATE.db), then replaces it. Asks for --yes.",
        ),
    )
    p.add_argument("file", metavar=_(lang, "FILE"), help=_(lang, "backup file (written by “backup”)"))
    p.add_argument("--yes", action="store_true", help=_(lang, "confirms replacing the current store"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "import",
        help=_(lang, "loads files (CSV or XLSX) into the store"),
        description=_(
            lang,
            "Checks then loads files in a single transaction: all or nothing. The data type is recognised from the "
            "headers (see docs/formats.md).",
        ),
    )
    p.add_argument("files", nargs="+", metavar=_(lang, "FILE"), help=_(lang, ".csv or .xlsx file"))
    p.add_argument("--kind", choices=sorted(formats.DATASETS), help=_(lang, "data type, if it is not recognised"))
    p.add_argument("--user", help=_(lang, "name recorded as the author of the load (default: the system user)"))
    p.add_argument("--dry-run", action="store_true", help=_(lang, "shows what would change, without writing anything"))
    p.add_argument(
        "--entity",
        metavar="CODE",
        help=_(
            lang,
            "FEC (ledger entries): the entity, if the SIREN of the file name {pattern} is not an entity's",
            pattern=_FEC_NAME,
        ),
    )
    p.add_argument(
        "--allow-large-removal",
        action="store_true",
        help=_(
            lang,
            "confirms the removal of more than a fifth of the receivables of a situation already recorded (without "
            "it, such a load is refused: an incomplete file would remove the receivables it lacks)",
        ),
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "loads",
        help=_(lang, "lists the loads (history)"),
        description=_(
            lang,
            "Lists the loads, newest first: who, when, which file, SHA-256 fingerprint, new / changed / identical rows, state.",
        ),
    )
    p.add_argument("--limit", type=int, default=50, help=_(lang, "number of loads shown (50 by default)"))
    p.set_defaults(func=cmd_loads)

    p = sub.add_parser(
        "undo",
        help=_(lang, "undoes a load"),
        description=_(
            lang,
            "Undoes a load in one transaction: the rows added are removed, the values replaced come back. Refused if "
            "a newer load changed the same rows.",
        ),
    )
    p.add_argument("load_id", type=int, metavar="N", help=_(lang, "number of the load (see “loads”)"))
    p.add_argument("--user", help=_(lang, "name recorded as the author of the undo"))
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser(
        "export",
        help=_(lang, "exports the committee pack (slides) or a data set"),
        description=_(
            lang,
            "“export slides --out pack.pptx” writes the committee pack (PowerPoint, native charts); “export pdf --out "
            "pack.pdf” prints it on A4 (PDF/A); “export TYPE --out file.csv” writes the rows of a data set in the "
            "import format (loading it again changes nothing).",
        ),
    )
    p.add_argument(
        "kind",
        choices=["slides", "pdf", *sorted(formats.DATASETS)],
        metavar="slides|pdf|TYPE",
        help=_(lang, "slides, pdf (A4 pack), or a data type: {types}", types=", ".join(sorted(formats.DATASETS))),
    )
    p.add_argument("--out", required=True, help=_(lang, "file to write (.pptx for slides, .pdf for pdf, .csv otherwise)"))
    p.add_argument("--as-of", help=_(lang, "slides, pdf: date of the figures YYYY-MM-DD (default: the latest)"))
    p.add_argument("--lang", choices=["fr", "en"], help=_(lang, "slides, pdf: language (default: config.toml's)"))
    p.add_argument("--entity", help=_(lang, "slides, pdf: code of an entity (default: every entity under the plan)"))
    p.add_argument(
        "--plan-version", help=_(lang, "slides, pdf: version of the plan (default: the one in force on the --as-of date)")
    )
    p.add_argument("--meeting", type=int, help=_(lang, "pdf: number of a meeting (its figures; frozen if it is closed)"))
    p.add_argument(
        "--role",
        choices=["viewer", "editor", "admin"],
        default="viewer",
        help=_(lang, "slides, pdf: the role the pack is for (default: viewer, without client names)"),
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "template",
        help=_(lang, "writes an empty file template (CSV or XLSX)"),
        description=_(
            lang,
            "Writes an empty template of a format: CSV (headers) or XLSX (headers and help sheet), depending on the "
            "extension of --out.",
        ),
    )
    p.add_argument("kind", choices=sorted(formats.DATASETS), metavar="TYPE", help=_(lang, "data type"))
    p.add_argument("--out", required=True, help=_(lang, ".csv or .xlsx file to write"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "users",
        help=_(lang, "manages the accounts (add, list, role, password, disable)"),
        description=_(
            lang,
            "Local accounts. Passwords are read on standard input (--password-stdin), never as an argument, never shown.",
        ),
    )
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    u = users.add_parser("add", help=_(lang, "creates an account"), description=_(lang, "Creates a local account."))
    u.add_argument("login")
    u.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    u.add_argument("--password-stdin", action="store_true", help=_(lang, "reads the password on standard input"))
    users.add_parser(
        "list", help=_(lang, "lists the accounts"), description=_(lang, "Lists the accounts, their role and their state.")
    )
    u = users.add_parser("disable", help=_(lang, "disables an account"), description=_(lang, "Disables an account (it is kept)."))
    u.add_argument("login")
    u = users.add_parser("set-password", help=_(lang, "changes a password"), description=_(lang, "Changes the password."))
    u.add_argument("login")
    u.add_argument("--password-stdin", action="store_true", help=_(lang, "reads the password on standard input"))
    u = users.add_parser("set-role", help=_(lang, "changes an account's role"), description=_(lang, "Changes an account's role."))
    u.add_argument("login")
    u.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    p.set_defaults(func=cmd_users)

    p = sub.add_parser(
        "fec-mapping",
        help=_(lang, "mapping of the accounts (FEC) → indicators: lists, changes"),
        description=_(
            lang,
            "The accounts that make each indicator derived from an FEC (French general chart of accounts by "
            "default). An account counts under the longest prefix of the indicator that covers it.",
        ),
    )
    mapping = p.add_subparsers(dest="mapping_command", required=True, metavar="ACTION")
    mapping.add_parser("list", help=_(lang, "shows the mapping"), description=_(lang, "Shows the mapping in force."))
    u = mapping.add_parser(
        "set",
        help=_(lang, "adds or replaces a rule"),
        description=_(lang, "Adds or replaces an indicator's rule for a prefix of accounts."),
    )
    u.add_argument("indicator", metavar=_(lang, "INDICATOR"))
    u.add_argument("prefix", metavar=_(lang, "PREFIX"), help=_(lang, "start of the account numbers, e.g. 411"))
    u.add_argument(
        "--side",
        choices=["credit", "debit"],
        default="credit",
        help=_(lang, "side counted positive (credit: credit − debit); default credit"),
    )
    u.add_argument(
        "--rule",
        choices=["net", "side", "exclude"],
        default="net",
        help=_(
            lang,
            "net: balances added up; side: only the accounts whose balance is on this side; exclude: accounts left out",
        ),
    )
    u.add_argument(
        "--measure",
        choices=["balance", "monthly"],
        default="balance",
        help=_(lang, "balance: balance on the date; monthly: each month's movements"),
    )
    u = mapping.add_parser(
        "remove",
        help=_(lang, "removes a rule"),
        description=_(lang, "Removes an indicator's rule for a prefix of accounts."),
    )
    u.add_argument("indicator", metavar=_(lang, "INDICATOR"))
    u.add_argument("prefix", metavar=_(lang, "PREFIX"))
    mapping.add_parser(
        "reset",
        help=_(lang, "goes back to the default French general chart of accounts"),
        description=_(lang, "Replaces the mapping with that of the French general chart of accounts (default)."),
    )
    p.set_defaults(func=cmd_fec_mapping)

    p = sub.add_parser(
        "demo-data",
        help=_(lang, "writes the complete files of the demo data set"),
        description=_(
            lang,
            "Writes the complete files of the demo data set: the figures of the documents (data/demo) and the "
            "synthetic history generated around them (fixed seed: the result is always the same).",
        ),
    )
    p.add_argument("--out", required=True, help=_(lang, "output folder"))
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser(
        "formats",
        help=_(lang, "shows the documentation of the file formats"),
        description=_(lang, "Shows, in Markdown, the columns of each importable file format."),
    )
    p.set_defaults(func=cmd_formats)
    _add_mail_commands(sub, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line
    args = build_parser().parse_args([a for a in argv if a != "--debug"])
    args.debug = debug
    try:
        return args.func(args)
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a user reads one sentence, never a traceback, SQL or values (--debug shows them)
        print(_(_language(), "Error: {error}", error=_error_line(exc)), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        else:
            log.debug("command failed", exc_info=exc)
        return 3


def _error_line(error: Exception) -> str:
    from smartdash.backup import BackupRefused
    from smartdash.db import store_error

    lang = _language()
    told = store_error(error)
    if told is not None:
        return told.message(lang)
    if isinstance(error, BackupRefused):
        return error.render(lang)
    if isinstance(error, OSError) and error.strerror:
        if error.filename:
            return _(lang, "{file}: {reason}", file=error.filename, reason=error.strerror)
        return error.strerror
    return _(
        lang,
        "unexpected error ({error}): nothing was written. Run again with --debug to see the detail.",
        error=type(error).__name__,
    )


def _language() -> str:
    try:
        return load_settings().language
    except Exception:  # an unreadable config.toml: French
        return "fr"
