"""Writing files: export (the committee pack, a data set), template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartdash.cli import common
from smartdash.cli.loading import dataset_kinds
from smartdash.cli.registry import Later, arg, command
from smartdash.config import load_settings
from smartdash.i18n import N_, _


@command(
    "export",
    help=N_("exports the committee pack (slides) or a data set"),
    description=N_(
        "“export slides --out pack.pptx” writes the committee pack (PowerPoint, native charts); “export pdf --out "
        "pack.pdf” prints it on A4 (PDF/A); “export TYPE --out file.csv” writes the rows of a data set in the "
        "import format (loading it again changes nothing)."
    ),
    args=[
        arg(
            "kind",
            choices=Later(lambda lang: ["slides", "pdf", *dataset_kinds()]),
            metavar="slides|pdf|TYPE",
            help=Later(lambda lang: _(lang, "slides, pdf (A4 pack), or a data type: {types}", types=", ".join(dataset_kinds()))),
        ),
        arg("--out", required=True, help=N_("file to write (.pptx for slides, .pdf for pdf, .csv otherwise)")),
        arg("--as-of", help=N_("slides, pdf: date of the figures YYYY-MM-DD (default: the latest)")),
        arg("--lang", choices=["fr", "en"], help=N_("slides, pdf: language (default: config.toml's)")),
        arg("--entity", help=N_("slides, pdf: code of an entity (default: every entity under the plan)")),
        arg("--plan-version", help=N_("slides, pdf: version of the plan (default: the one in force on the --as-of date)")),
        arg("--meeting", type=int, help=N_("pdf: number of a meeting (its figures; frozen if it is closed)")),
        arg(
            "--role",
            choices=["viewer", "editor", "admin"],
            default="viewer",
            help=N_("slides, pdf: the role the pack is for (default: viewer, without client names)"),
        ),
    ],
)
def cmd_export(args: argparse.Namespace) -> int:
    if args.kind == "slides":
        return _export_slides(args)
    if args.kind == "pdf":
        from smartdash.export.pdf import export_pdf_command

        return export_pdf_command(common.existing_engine(), args, load_settings().language)
    from smartdash.formatting import number
    from smartdash.importing import export_csv

    text = export_csv(common.existing_engine(), args.kind)
    Path(args.out).write_text(text, encoding="utf-8")
    lang = common.language()
    rows = number(text.count(chr(10)) - 1, lang=lang)
    print(_(lang, "{file}: {count} rows ({kind})", file=args.out, count=rows, kind=args.kind))
    return 0


def _export_slides(args: argparse.Namespace) -> int:
    import datetime as dt

    from smartdash.db import session_scope
    from smartdash.export.slides import build_deck
    from smartdash.formatting import date_short, number
    from smartdash.queries import latest_data_date, version_in_force
    from smartdash.views import Filters

    settings = load_settings()
    engine = common.existing_engine()
    with session_scope(engine) as session:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else latest_data_date(session=session)
        # by default the version in force on the as-of date: a revision adopted later is not what it was measured by
        version = args.plan_version or (version_in_force(session=session, on=as_of) if as_of else None)
    said = common.language()  # the command's own lines; the deck is in --lang
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


@command(
    "template",
    help=N_("writes an empty file template (CSV or XLSX)"),
    description=N_(
        "Writes an empty template of a format: CSV (headers) or XLSX (headers and help sheet), depending on the "
        "extension of --out."
    ),
    args=[
        arg("kind", choices=Later(dataset_kinds), metavar="TYPE", help=N_("data type")),
        arg("--out", required=True, help=N_(".csv or .xlsx file to write")),
    ],
)
def cmd_template(args: argparse.Namespace) -> int:
    from smartdash import formats

    dataset = formats.DATASETS[args.kind]
    data = formats.template_xlsx(dataset) if args.out.lower().endswith(".xlsx") else formats.template_csv(dataset)
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0
