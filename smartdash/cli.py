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
from smartdash.i18n import _

log = logging.getLogger(__name__)


def _engine():
    return engine_for(load_settings().database_url)


def cmd_init_db(args: argparse.Namespace) -> int:
    from smartdash.db import forget_missing_store, sqlite_path
    from smartdash.store import init_store

    url = load_settings().database_url
    if args.new:
        if not forget_missing_store(url):
            path = sqlite_path(url)
            print(
                "--new ne sert qu'à recréer une base SQLite disparue" + (f" ; {path} existe" if path and path.exists() else ""),
                file=sys.stderr,
            )
            return 1
        print(f"La base disparue ({sqlite_path(url)}) est oubliée : une base neuve est créée.")
    report = init_store(_engine(), demo=args.demo)
    print(report.line())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from smartdash.backup import backup

    saved = backup(_engine(), Path(args.out))
    print(
        f"Sauvegarde écrite : {saved.path} ({_size(saved.size)}, schéma {saved.revision}, {saved.loads} "
        f"chargement(s), base {saved.store_id[:8]})"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from smartdash.backup import check_backup, restore
    from smartdash.db import make_engine, sqlite_path
    from smartdash.store import ensure_schema

    url = load_settings().database_url
    checked = check_backup(Path(args.file))
    print(
        f"{checked.path} : base smartdash {checked.store_id[:8]}, schéma {checked.revision}, {checked.loads} "
        f"chargement(s), intégrité vérifiée."
    )
    if not args.yes:
        print(
            f"Rien n'a été fait. Pour remplacer la base {sqlite_path(url) or ''} par cette sauvegarde (l'actuelle est "
            "gardée à côté), relancez avec --yes.",
            file=sys.stderr,
        )
        return 1
    engine = make_engine(url, lock_wait=load_settings().lock_wait_seconds)
    report = restore(engine, Path(args.file))
    engine.dispose()
    engine = make_engine(url, lock_wait=load_settings().lock_wait_seconds)
    migrated = ensure_schema(engine)
    engine.dispose()
    print(
        "Base restaurée"
        + (" et mise à jour au schéma le plus récent" if migrated else "")
        + "."
        + (f" L'ancienne base est gardée dans {report.kept_aside}." if report.kept_aside else "")
    )
    if report.kept_aside and not report.same_store:
        print(
            "La sauvegarde vient d'une autre base : redémarrez les serveurs smartdash qui tournent (ils refusent "
            "d'écrire dans une base remplacée)."
        )
    return 0


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def _read_files(names: list[str]) -> list[tuple[str, bytes | Path]] | None:
    from smartdash.fec import recognised as recognised_ledger

    files = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            print(f"{name} : fichier introuvable", file=sys.stderr)
            return None
        # a ledger export (FEC) may be large: it is read from its file, as a stream
        files.append((path.name, path if recognised_ledger(path) else path.read_bytes()))
    return files


def _print_refusal(refused: FileRefused) -> int:
    lang = load_settings().language  # the problems in the configured language, French unless set otherwise
    count = len(refused.problems)
    print(_(lang, "Refused: {count} problem(s), nothing was written.", count=count), file=sys.stderr)
    for problem in refused.problems:
        print(problem.line(lang), file=sys.stderr)
    return 1


def cmd_import(args: argparse.Namespace) -> int:
    from smartdash.importing import import_files, preview_file
    from smartdash.store import ensure_schema

    settings = load_settings()
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
                    print(f"{name} : {diff.summary.line()}")
                sheet = f", feuille « {diff.sheet} »" if diff.sheet else ""
                print(
                    f"{name}{sheet} ({diff.dataset.kind}) : {len(diff.inserts)} nouvelles lignes, "
                    f"{len(diff.updates)} modifiées, {diff.unchanged} identiques, {len(diff.deletes)} retirées — "
                    "rien n'a été écrit (--dry-run)"
                )
                for removal in diff.large_removals:
                    print(
                        f"  attention : {removal.line()} seraient retirées (plus d'un cinquième) : le chargement "
                        "demandera --allow-large-removal"
                    )
                for row in preview.itertuples():
                    print(f"  {row.action} : {row.key}" + (f" — {row.change}" if row.change else ""))
            return 0
        results = import_files(
            engine, files, loaded_by=args.user or getpass.getuser(), allow_large_removal=args.allow_large_removal, **limits
        )
    except FileRefused as refused:
        return _print_refusal(refused)
    lang = load_settings().language
    for result in results:
        print(result.line(lang))
    return 0


def cmd_loads(args: argparse.Namespace) -> int:
    from smartdash.db import session_scope
    from smartdash.importing import load_history

    with session_scope(_engine()) as session:
        history = load_history(session=session, limit=args.limit)
    for row in history.itertuples():
        state = "annulé" if row.status == "undone" else "appliqué"
        print(
            f"n° {row.id}\t{row.loaded_at:%d/%m/%Y %H:%M}\t{row.loaded_by}\t{row.kind}\t{row.file_name}\t"
            f"+{row.rows_inserted} ~{row.rows_updated} ={row.rows_unchanged} -{row.rows_deleted}\t{state}\t"
            f"{row.checksum[:12]}"
        )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from smartdash.importing import UndoRefused, undo_load

    try:
        count = undo_load(_engine(), args.load_id, undone_by=args.user or getpass.getuser())
    except UndoRefused as refused:
        print(f"Annulation refusée : {refused.render(load_settings().language)}", file=sys.stderr)
        return 1
    print(f"Chargement n° {args.load_id} annulé : {count} lignes rétablies ou retirées.")
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
    print(f"{args.out} : {text.count(chr(10)) - 1} lignes ({args.kind})")
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
    if as_of is None:
        print("La base ne contient aucune donnée : rien à présenter.", file=sys.stderr)
        return 1
    lang = args.lang or settings.language
    data, info = build_deck(
        engine, filters=Filters(args.entity, as_of, "meeting", version, lang), template=settings.export_template
    )
    Path(args.out).write_bytes(data)
    print(
        f"{args.out} : {len(info.titles)} diapositives, chiffres au {as_of:%d/%m/%Y}"
        + (" (contient des données de démonstration)" if info.synthetic else "")
    )
    return 0


def _stdin_password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    from smartdash import auth
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    engine = _engine()
    ensure_schema(engine)
    by = f"{getpass.getuser()} (ligne de commande)"
    try:
        if args.users_command in ("add", "set-password"):
            password = _stdin_password(args)
            if password is None:
                print("Mot de passe attendu sur l'entrée standard : --password-stdin", file=sys.stderr)
                return 2
            if args.users_command == "add":
                auth.add_user(engine, args.login, args.role, password, by=by)
                print(f"Compte « {args.login} » créé ({args.role}).")
            else:
                auth.set_password(engine, args.login, password, by=by)
                print(f"Mot de passe de « {args.login} » changé.")
        elif args.users_command == "set-role":
            auth.set_role(engine, args.login, args.role, by=by)
            print(f"« {args.login} » : rôle {args.role}.")
        elif args.users_command == "disable":
            auth.disable_user(engine, args.login, by=by)
            print(f"Compte « {args.login} » désactivé.")
        else:
            with session_scope(engine) as session:
                users = auth.list_users(session=session)
            for row in users.itertuples():
                print(f"{row.login}\t{row.role}\t{'actif' if row.active else 'désactivé'}")
    except auth.AccountError as err:
        print(f"Refusé, attendu : {err.render('fr')}", file=sys.stderr)
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

    engine = _engine()
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
            print(f"Aucune règle {args.indicator} / {args.prefix} : rien n'a changé.", file=sys.stderr)
            return 1
    try:
        count = fec_mapping.replace_rules(engine, new, by=f"{getpass.getuser()} (ligne de commande)")
    except fec_mapping.MappingError as err:
        print(f"Refusé, attendu :\n{err}", file=sys.stderr)
        return 1
    print(f"Correspondance des comptes enregistrée : {count} règles.")
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
    return f"{getpass.getuser()} (ligne de commande)"


def _as_of(text: str | None):
    import datetime as dt

    return dt.date.fromisoformat(text) if text else dt.date.today()


def cmd_subscriptions(args: argparse.Namespace) -> int:
    from smartdash import subscriptions
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    engine = _engine()
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
            print(f"Abonnement de « {args.login} » enregistré ({args.what}).")
        elif args.subscriptions_command == "remove":
            removed = subscriptions.unsubscribe(engine, args.login, by=_system_user())
            print(f"Abonnement de « {args.login} » " + ("retiré." if removed else "absent : rien à retirer."))
        else:
            with session_scope(engine) as session:
                subs = subscriptions.subscribers(session=session)
            for s in subs:
                what = "both" if s.digest and s.alerts else "digest" if s.digest else "alerts"
                print(
                    f"{s.login}\t{s.email or '(sans adresse)'}\t{s.role}\t{what}\t{s.lang}\t"
                    f"{','.join(s.entities) or 'entités sous plan'}" + ("" if s.active else "\tcompte désactivé")
                )
    except subscriptions.SubscriptionError as err:
        print(f"Refusé, attendu : {err.render('fr')}", file=sys.stderr)
        return 1
    return 0


def _mail_settings_or_refuse(settings) -> bool:
    from smartdash.mail import not_configured_message

    if settings.mail is None:
        print(not_configured_message(), file=sys.stderr)
        return False
    return True


def cmd_digest(args: argparse.Namespace) -> int:
    from smartdash import digest
    from smartdash.store import ensure_schema

    settings = load_settings()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = _engine()
    ensure_schema(engine)
    as_of = _as_of(args.as_of)
    if args.out:
        written = digest.write_digests(engine, as_of=as_of, settings=settings, out=Path(args.out), login=args.login)
        for path, login in written:
            print(
                f"{path} : récapitulatif au {as_of:%d/%m/%Y} de « {login} »"
                + (" (personne n'est abonné : vue d'un membre du comité, entités sous plan)" if login == "aperçu" else "")
            )
        if not written:
            print(f"« {args.login} » n'est pas abonné au récapitulatif : rien n'a été écrit.", file=sys.stderr)
        return 0 if written else 1
    report = digest.send_digests(engine, as_of=as_of, settings=settings, by=_system_user(), login=args.login)
    if not (report.sent or report.skipped or report.failed):
        print("Personne n'est abonné au récapitulatif : rien n'a été envoyé.")
    for login in report.sent:
        print(f"{login} : récapitulatif envoyé (semaine {digest.week_of(as_of)})")
    for login, reason in report.skipped:
        print(f"{login} : non envoyé — {reason}")
    for login, error in report.failed:
        print(f"{login} : échec de l'envoi — {error} (nouvel essai au prochain passage)", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from smartdash import alerts
    from smartdash.store import ensure_schema

    settings = load_settings()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = _engine()
    ensure_schema(engine)
    report = alerts.run_alerts(engine, as_of=_as_of(args.as_of), settings=settings, by=_system_user(), send=args.send)
    if report.baseline:
        print(
            "Premier passage : les états trouvés sont enregistrés comme point de départ"
            + ("" if args.send else " (au premier passage avec --send)")
            + " ; aucune alerte n'est levée."
        )
    for c in report.raised:
        print(f"Alerte{'' if args.send else ' (à lever)'} : {c.message_fr}")
    if not report.baseline and not report.raised:
        print("Rien de nouveau depuis le dernier passage.")
    if not args.send:
        print(f"Aperçu : rien n'a été enregistré ni envoyé ({report.pending} envoi(s) en attente). Ajoutez --send.")
    for login, count in report.sent:
        print(f"{login} : {count} alerte(s) envoyée(s)")
    for login, error in report.failed:
        print(f"{login} : échec de l'envoi — {error} (nouvel essai au prochain passage)", file=sys.stderr)
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
        print(f"Erreur : {_error_line(exc)}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        else:
            log.debug("command failed", exc_info=exc)
        return 3


def _error_line(error: Exception) -> str:
    from smartdash.backup import BackupRefused
    from smartdash.db import store_error

    told = store_error(error)
    if told is not None:
        return told.message(_language())
    if isinstance(error, BackupRefused):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename or ''} : {error.strerror}".lstrip(" :")
    return f"erreur inattendue ({type(error).__name__}) : rien n'a été enregistré. Relancez avec --debug pour voir le détail."


def _language() -> str:
    try:
        return load_settings().language
    except Exception:  # an unreadable config.toml: French
        return "fr"
