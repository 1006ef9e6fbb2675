"""`python -m smartdash …`: set up the store, load files, regenerate the demo data set.

One module per group of commands; each command declares its arguments beside its handler (`registry.command`).
The modules import only what `--help` needs: a handler imports the library's heavier modules (pandas,
SQLAlchemy) when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

# isort: off
# the groups register their commands in the order `--help` lists them
from smartdash.cli import store  # noqa: F401
from smartdash.cli import loading  # noqa: F401
from smartdash.cli import exports  # noqa: F401
from smartdash.cli import accounts  # noqa: F401
from smartdash.cli import ledger  # noqa: F401
from smartdash.cli import datasets  # noqa: F401
from smartdash.cli import mail  # noqa: F401
from smartdash.cli import registry

# isort: on
from smartdash.cli.common import language
from smartdash.i18n import _


def build_parser(lang: str | None = None, commands: set[str] | None = None) -> argparse.ArgumentParser:
    """The command line, its texts in `lang` (by default the configured language); see `registry.build_parser`."""
    return registry.build_parser(lang or language(), commands)


def _command_named(argv: list[str]) -> set[str]:
    """The command a line runs (its first word that is not an option), whose arguments the parser needs."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return {first} if first in registry.COMMANDS else set()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line
    argv = [a for a in argv if a != "--debug"]
    args = build_parser(commands=_command_named(argv)).parse_args(argv)
    args.debug = debug
    try:
        return args.func(args)
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a user reads one sentence, never a traceback, SQL or values (--debug shows them)
        print(_(language(), "Error: {error}", error=_error_line(exc)), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        else:
            import logging

            logging.getLogger(__name__).debug("command failed", exc_info=exc)
        return 3


def _error_line(error: Exception) -> str:
    from smartdash.backup import BackupRefused
    from smartdash.db import store_error

    lang = language()
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
