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
from smartdash.i18n import _

log = logging.getLogger(__name__)


def _engine():
    return engine_for(load_settings().database_url)


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


def cmd_backup(args: argparse.Namespace) -> int:
    from smartdash.backup import backup

    lang = _language()
    saved = backup(_engine(), Path(args.out))
    print(
        _(
            lang,
            "Backup written: {path} ({size}, schema {revision}, {loads} load(s), store {store})",
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
        _(
            lang,
            "{path}: smartdash store {store}, schema {revision}, {loads} load(s), integrity checked.",
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
    print(_(lang, "Refused: {count} problem(s), nothing was written.", count=count), file=sys.stderr)
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
    with session_scope(_engine()) as session:
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
        count = undo_load(_engine(), args.load_id, undone_by=args.user or getpass.getuser())
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

        return export_pdf_command(_engine(), args, load_settings().language)
    from smartdash.importing import export_csv

    text = export_csv(_engine(), args.kind)
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
    engine = _engine()
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
        engine, filters=Filters(args.entity, as_of, "meeting", version, lang), template=settings.export_template
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
        print(_(lang, "Preview: nothing was recorded or sent ({pending} sending(s) pending). Add --send.", pending=pending))
    for login, count in report.sent:
        print(_(lang, "{login}: {count} alert(s) sent", login=login, count=number(count, lang=lang)))
    _print_failures(report.failed, lang)
    return 1 if report.failed else 0


def _add_mail_commands(sub) -> None:
    """subscriptions, digest, alerts: the e-mail side, meant for cron or a systemd timer."""
    p = sub.add_parser(
        "subscriptions",
        help="gère les abonnements par courriel (récapitulatif, alertes)",
        description="Abonnements d'un compte au récapitulatif hebdomadaire et aux alertes, par entité "
        "et par langue. Un compte a besoin d'une adresse électronique (--email).",
    )
    subs = p.add_subparsers(dest="subscriptions_command", required=True, metavar="ACTION")
    a = subs.add_parser(
        "add", help="crée ou remplace l'abonnement d'un compte", description="Crée ou remplace l'abonnement d'un compte."
    )
    a.add_argument("login")
    a.add_argument("--email", help="adresse électronique du compte (enregistrée sur le compte)")
    a.add_argument(
        "--what",
        choices=["digest", "alerts", "both"],
        default="both",
        help="récapitulatif, alertes ou les deux (par défaut : both)",
    )
    a.add_argument(
        "--entity",
        action="append",
        metavar="CODE",
        help="code d'une entité suivie (répétable ; par défaut : toutes celles sous plan)",
    )
    a.add_argument("--lang", choices=["fr", "en"], help="langue des courriels (par défaut : celle de config.toml)")
    subs.add_parser("list", help="liste les abonnements", description="Liste les abonnements.")
    r = subs.add_parser("remove", help="retire l'abonnement d'un compte", description="Retire un abonnement.")
    r.add_argument("login")
    p.set_defaults(func=cmd_subscriptions)

    p = sub.add_parser(
        "digest",
        help="récapitulatif hebdomadaire : l'envoie (--send) ou l'écrit (--out)",
        description="Le récapitulatif de la semaine, un par abonné : indicateurs clés et statut, "
        "évolution sur une semaine et depuis le dernier comité, points d'attention, actions "
        "ouvertes, derniers chargements. --send l'envoie (une fois par abonné et par "
        "semaine ; un envoi échoué est retenté au passage suivant) ; --out l'écrit dans un "
        "fichier (.html, ou .txt pour le texte seul), un par abonné.",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--send", action="store_true", help="envoie par courriel (section [mail] de config.toml)")
    what.add_argument("--out", metavar="FICHIER", help="écrit le récapitulatif dans ce fichier, sans rien envoyer")
    p.add_argument("--as-of", help="date des chiffres AAAA-MM-JJ (par défaut : aujourd'hui)")
    p.add_argument("--login", help="seulement l'abonné de ce compte")
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser(
        "alerts",
        help="alertes : ce qui s'est dégradé depuis le dernier passage",
        description="Cherche ce qui s'est dégradé depuis le dernier passage (indicateur qui franchit "
        "son seuil, échéance du plan en retard, apport 1+1 en retard, test de cessation des "
        "paiements sous 1) et l'envoie une seule fois aux abonnés. Sans --send : aperçu, "
        "rien n'est enregistré.",
    )
    p.add_argument("--send", action="store_true", help="enregistre et envoie (section [mail] de config.toml)")
    p.add_argument("--as-of", help="date de la situation AAAA-MM-JJ (par défaut : aujourd'hui)")
    p.set_defaults(func=cmd_alerts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m smartdash",
        description="smartdash — tableau de bord du comité de suivi du plan de continuation.",
    )
    parser.add_argument("--debug", action="store_true", help="en cas d'erreur, affiche aussi le détail technique")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    p = sub.add_parser(
        "init-db",
        help="crée ou met à jour le schéma de la base configurée",
        description="Crée ou met à jour le schéma (migrations Alembic) de la base configurée "
        "(config.toml, ou SMARTDASH_DATABASE_URL). Relancer ne change rien.",
    )
    p.add_argument("--demo", action="store_true", help="charge aussi le jeu de données de démonstration")
    p.add_argument(
        "--new",
        action="store_true",
        help="crée une base neuve là où une base SQLite a disparu (sans cela, smartdash refuse de la "
        "recréer vide : restaurez plutôt une sauvegarde)",
    )
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser(
        "backup",
        help="sauvegarde la base (SQLite) pendant qu'elle tourne",
        description="Copie toute la base SQLite dans un fichier, en une fois et de façon cohérente, pendant que le "
        "serveur tourne (un chargement en cours n'y figure pas à moitié). Pour PostgreSQL, la commande "
        "donne les lignes pg_dump / pg_restore.",
    )
    p.add_argument("--out", required=True, help="fichier de sauvegarde à écrire")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="remet une sauvegarde en place (après vérifications)",
        description="Vérifie la sauvegarde (base SQLite, base smartdash, schéma connu, PRAGMA integrity_check), garde "
        "la base actuelle à côté (…avant-restauration-DATE.db), puis la remplace. Demande --yes.",
    )
    p.add_argument("file", metavar="FICHIER", help="fichier de sauvegarde (écrit par « backup »)")
    p.add_argument("--yes", action="store_true", help="confirme le remplacement de la base actuelle")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "import",
        help="charge des fichiers (CSV ou XLSX) dans la base",
        description="Valide puis charge des fichiers dans une seule transaction : tout ou rien. "
        "Le type de données est reconnu d'après les en-têtes (voir docs/formats.md).",
    )
    p.add_argument("files", nargs="+", metavar="FICHIER", help="fichier .csv ou .xlsx")
    p.add_argument("--kind", choices=sorted(formats.DATASETS), help="type de données, s'il n'est pas reconnu")
    p.add_argument("--user", help="nom enregistré comme auteur du chargement (par défaut : l'utilisateur système)")
    p.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans rien écrire")
    p.add_argument(
        "--entity",
        metavar="CODE",
        help="FEC (écritures comptables) : l'entité, si le SIREN du nom de "
        "fichier {SIREN}FEC{AAAAMMJJ}.txt n'est pas celui d'une entité",
    )
    p.add_argument(
        "--allow-large-removal",
        action="store_true",
        help="confirme le retrait de plus d'un cinquième des créances d'une situation déjà enregistrée "
        "(sans cela, un tel chargement est refusé : un fichier incomplet retirerait les créances "
        "manquantes)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "loads",
        help="liste les chargements (historique)",
        description="Liste les chargements, du plus récent au plus ancien : qui, quand, quel fichier, "
        "empreinte SHA-256, lignes nouvelles / modifiées / identiques, état.",
    )
    p.add_argument("--limit", type=int, default=50, help="nombre de chargements affichés (50 par défaut)")
    p.set_defaults(func=cmd_loads)

    p = sub.add_parser(
        "undo",
        help="annule un chargement",
        description="Annule un chargement en une transaction : les lignes ajoutées sont retirées, "
        "les valeurs remplacées reviennent. Refusé si un chargement plus récent a modifié "
        "les mêmes lignes.",
    )
    p.add_argument("load_id", type=int, metavar="N", help="numéro du chargement (voir « loads »)")
    p.add_argument("--user", help="nom enregistré comme auteur de l'annulation")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser(
        "export",
        help="exporte le dossier du comité (slides) ou un jeu de données",
        description="« export slides --out dossier.pptx » écrit le dossier du comité (PowerPoint, "
        "graphiques natifs) ; « export pdf --out dossier.pdf » l'imprime en A4 (PDF/A) ; "
        "« export TYPE --out fichier.csv » écrit les lignes d'un jeu de "
        "données au format d'import (le recharger ne change rien).",
    )
    p.add_argument(
        "kind",
        choices=["slides", "pdf", *sorted(formats.DATASETS)],
        metavar="slides|pdf|TYPE",
        help="slides, pdf (dossier A4), ou un type de données : " + ", ".join(sorted(formats.DATASETS)),
    )
    p.add_argument("--out", required=True, help="fichier à écrire (.pptx pour slides, .pdf pour pdf, .csv sinon)")
    p.add_argument("--as-of", help="slides, pdf : date des chiffres AAAA-MM-JJ (par défaut : la plus récente)")
    p.add_argument("--lang", choices=["fr", "en"], help="slides, pdf : langue (par défaut : celle de config.toml)")
    p.add_argument("--entity", help="slides, pdf : code d'une entité (par défaut : toutes celles sous plan)")
    p.add_argument("--plan-version", help="slides, pdf : version du plan (par défaut : celle en vigueur à la date --as-of)")
    p.add_argument("--meeting", type=int, help="pdf : numéro d'une réunion (ses chiffres ; figés si elle est close)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "template",
        help="écrit un modèle de fichier vide (CSV ou XLSX)",
        description="Écrit un modèle vide d'un format : CSV (en-têtes) ou XLSX (en-têtes et feuille "
        "d'aide), selon l'extension de --out.",
    )
    p.add_argument("kind", choices=sorted(formats.DATASETS), metavar="TYPE", help="type de données")
    p.add_argument("--out", required=True, help="fichier .csv ou .xlsx à écrire")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "users",
        help="gère les comptes (ajout, liste, rôle, mot de passe, désactivation)",
        description="Comptes locaux. Les mots de passe sont lus sur l'entrée standard "
        "(--password-stdin), jamais en argument, jamais affichés.",
    )
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    u = users.add_parser("add", help="crée un compte", description="Crée un compte local.")
    u.add_argument("login")
    u.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    u.add_argument("--password-stdin", action="store_true", help="lit le mot de passe sur l'entrée standard")
    users.add_parser("list", help="liste les comptes", description="Liste les comptes, leur rôle et leur état.")
    u = users.add_parser("disable", help="désactive un compte", description="Désactive un compte (il est conservé).")
    u.add_argument("login")
    u = users.add_parser("set-password", help="change un mot de passe", description="Change le mot de passe.")
    u.add_argument("login")
    u.add_argument("--password-stdin", action="store_true", help="lit le mot de passe sur l'entrée standard")
    u = users.add_parser("set-role", help="change le rôle d'un compte", description="Change le rôle d'un compte.")
    u.add_argument("login")
    u.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    p.set_defaults(func=cmd_users)

    p = sub.add_parser(
        "fec-mapping",
        help="correspondance des comptes (FEC) → indicateurs : liste, modifie",
        description="Les comptes qui font chaque indicateur dérivé d'un FEC (plan comptable général par "
        "défaut). Un compte compte sous le plus long préfixe de l'indicateur qui le couvre.",
    )
    mapping = p.add_subparsers(dest="mapping_command", required=True, metavar="ACTION")
    mapping.add_parser("list", help="affiche la correspondance", description="Affiche la correspondance en vigueur.")
    u = mapping.add_parser(
        "set",
        help="ajoute ou remplace une règle",
        description="Ajoute ou remplace la règle d'un indicateur pour un préfixe de comptes.",
    )
    u.add_argument("indicator", metavar="INDICATEUR")
    u.add_argument("prefix", metavar="PREFIXE", help="début des numéros de compte, ex. 411")
    u.add_argument(
        "--side",
        choices=["credit", "debit"],
        default="credit",
        help="sens compté positif (credit : crédit − débit) ; par défaut credit",
    )
    u.add_argument(
        "--rule",
        choices=["net", "side", "exclude"],
        default="net",
        help="net : soldes additionnés ; side : comptes dont le solde est de ce sens seulement ; exclude : comptes exclus",
    )
    u.add_argument(
        "--measure",
        choices=["balance", "monthly"],
        default="balance",
        help="balance : solde à la date ; monthly : mouvements de chaque mois",
    )
    u = mapping.add_parser(
        "remove", help="retire une règle", description="Retire la règle d'un indicateur pour un préfixe de comptes."
    )
    u.add_argument("indicator", metavar="INDICATEUR")
    u.add_argument("prefix", metavar="PREFIXE")
    mapping.add_parser(
        "reset",
        help="revient au plan comptable général par défaut",
        description="Remplace la correspondance par celle du plan comptable général (défaut).",
    )
    p.set_defaults(func=cmd_fec_mapping)

    p = sub.add_parser(
        "demo-data",
        help="écrit les fichiers complets du jeu de démonstration",
        description="Écrit les fichiers complets du jeu de démonstration : les chiffres des documents (data/demo) et "
        "l'historique synthétique généré autour (graine fixe : le résultat est toujours le même).",
    )
    p.add_argument("--out", required=True, help="dossier de sortie")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser(
        "formats",
        help="affiche la documentation des formats de fichiers",
        description="Affiche, en Markdown, les colonnes de chaque format de fichier importable.",
    )
    p.set_defaults(func=cmd_formats)
    _add_mail_commands(sub)
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
