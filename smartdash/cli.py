"""`python -m smartdash …`: set up the store, load files, regenerate the demo data set."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from smartdash import formats
from smartdash.config import load_settings
from smartdash.db import engine_for
from smartdash.formats import FileRefused


def _engine():
    return engine_for(load_settings().database_url)


def cmd_init_db(args: argparse.Namespace) -> int:
    from smartdash.store import init_store

    report = init_store(_engine(), demo=args.demo)
    print(report.line())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from smartdash.importing import import_files
    from smartdash.store import ensure_schema

    settings = load_settings()
    engine = _engine()
    ensure_schema(engine)
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name} : fichier introuvable", file=sys.stderr)
            return 2
        files.append((path.name, path.read_bytes()))
    try:
        results = import_files(
            engine,
            files,
            loaded_by=args.user or getpass.getuser(),
            kind=args.kind,
            max_file_mb=settings.import_max_file_mb,
            max_rows=settings.import_max_rows,
        )
    except FileRefused as refused:
        print(f"Refusé : {len(refused.problems)} problème(s), rien n'a été enregistré.", file=sys.stderr)
        for problem in refused.problems:
            print(problem.line(), file=sys.stderr)
        return 1
    for result in results:
        print(result.line())
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m smartdash",
        description="smartdash — tableau de bord du comité de suivi du plan de continuation.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    p = sub.add_parser(
        "init-db",
        help="crée ou met à jour le schéma de la base configurée",
        description="Crée ou met à jour le schéma (migrations Alembic) de la base configurée "
        "(config.toml, ou SMARTDASH_DATABASE_URL). Relancer ne change rien.",
    )
    p.add_argument("--demo", action="store_true", help="charge aussi le jeu de données de démonstration")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser(
        "import",
        help="charge des fichiers (CSV ou XLSX) dans la base",
        description="Valide puis charge des fichiers dans une seule transaction : tout ou rien. "
        "Le type de données est reconnu d'après les en-têtes (voir docs/formats.md).",
    )
    p.add_argument("files", nargs="+", metavar="FICHIER", help="fichier .csv ou .xlsx")
    p.add_argument("--kind", choices=sorted(formats.DATASETS), help="type de données, s'il n'est pas reconnu")
    p.add_argument("--user", help="nom enregistré comme auteur du chargement (par défaut : l'utilisateur système)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "demo-data",
        help="régénère les fichiers du jeu de démonstration",
        description="Écrit les fichiers du jeu de démonstration (graine fixe : le résultat est toujours le même).",
    )
    p.add_argument(
        "--out",
        default=str(Path(__file__).resolve().parent.parent / "data" / "demo"),
        help="dossier de sortie (par défaut : data/demo)",
    )
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser(
        "formats",
        help="affiche la documentation des formats de fichiers",
        description="Affiche, en Markdown, les colonnes de chaque format de fichier importable.",
    )
    p.set_defaults(func=cmd_formats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
