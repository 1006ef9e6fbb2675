"""The demo data set and the file formats: demo-data, formats."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartdash.cli.registry import arg, command
from smartdash.i18n import N_


@command(
    "demo-data",
    help=N_("writes the complete files of the demo data set"),
    description=N_(
        "Writes the complete files of the demo data set: the figures of the documents (data/demo) and the "
        "synthetic history generated around them (fixed seed: the result is always the same)."
    ),
    args=[arg("--out", required=True, help=N_("output folder"))],
)
def cmd_demo_data(args: argparse.Namespace) -> int:
    from smartdash.demo import write_demo

    for path in write_demo(Path(args.out)):
        print(path)
    return 0


@command(
    "formats",
    help=N_("shows the documentation of the file formats"),
    description=N_("Shows, in Markdown, the columns of each importable file format."),
)
def cmd_formats(args: argparse.Namespace) -> int:
    from smartdash.docs import formats_markdown

    print(formats_markdown(), end="")
    return 0
