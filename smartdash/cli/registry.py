"""The commands of `python -m smartdash`: each one a handler that declares its arguments beside it.

A command module decorates its handler with `@command(name, help=…, description=…, args=[…])`; the parser is built
from what is registered (as Alembic builds its subcommands from its `command` module). The texts are English
messages (`N_`), translated when the parser is built, in the configured language. A value only known from a heavier
module (the data types, from the file formats) is `Later(fn)`, computed for the command being parsed only: `--help`
and the commands that need no data load no pandas nor SQLAlchemy.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartdash.i18n import N_, Text, gettext

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Later:
    """An argument's option computed when the parser is built, from the language: `make(lang)`."""

    make: Callable[[str], Any]


@dataclass(frozen=True)
class Arg:
    """One `add_argument`: its names and its options (`help` an English message, `metavar` a `Text` to translate)."""

    names: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True)
class Group:
    """Arguments of which one at most is given (`required`: exactly one)."""

    args: tuple[Arg, ...]
    required: bool = False


@dataclass(frozen=True)
class Action:
    """A command's action (`users add`, `users list`…): its texts and its own arguments."""

    name: str
    help: str
    description: str
    args: tuple[Arg | Group, ...] = ()


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    help: str
    description: str
    args: tuple[Arg | Group, ...] = ()
    actions: tuple[Action, ...] = ()
    action_dest: str | None = None  # where the chosen action is stored (`users_command`)


COMMANDS: dict[str, Command] = {}


def arg(*names: str, **options: Any) -> Arg:
    return Arg(names, options)


def group(*args: Arg, required: bool = False) -> Group:
    return Group(args, required)


def action(name: str, *, help: str, description: str, args: list[Arg | Group] | None = None) -> Action:  # noqa: A002
    return Action(name, help, description, tuple(args or ()))


def command(
    name: str,
    *,
    help: str,  # noqa: A002 - argparse's own word
    description: str,
    args: list[Arg | Group] | None = None,
    actions: list[Action] | None = None,
    action_dest: str | None = None,
) -> Callable[[Handler], Handler]:
    """Registers the decorated handler as the command `name`; the commands are listed in the order registered."""

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"command {name!r} registered twice")
        COMMANDS[name] = Command(name, handler, help, description, tuple(args or ()), tuple(actions or ()), action_dest)
        return handler

    return register


def _said(lang: str, value: Any) -> Any:
    if isinstance(value, Later):
        return value.make(lang)
    if isinstance(value, Text):
        return value.render(lang)
    return value


def _add_args(parser: argparse.ArgumentParser, args: tuple[Arg | Group, ...], lang: str) -> None:
    for item in args:
        if isinstance(item, Group):
            _add_args(parser.add_mutually_exclusive_group(required=item.required), item.args, lang)  # type: ignore[arg-type]
            continue
        options = {key: _said(lang, value) for key, value in item.options.items()}
        message = item.options.get("help")
        if isinstance(message, str):  # an English message; a `Later` or a `Text` is already in the language
            options["help"] = gettext(lang, message)
        parser.add_argument(*item.names, **options)


def build_parser(lang: str, commands: set[str] | None = None) -> argparse.ArgumentParser:
    """The command line, its texts in `lang`; the arguments of `commands` only (all of them when None): the others
    are listed with their help, which is all `--help` shows of them."""
    parser = argparse.ArgumentParser(
        prog="python -m smartdash",
        description=gettext(lang, N_("smartdash — dashboard of the continuation plan's monitoring committee.")),
    )
    parser.add_argument("--debug", action="store_true", help=gettext(lang, N_("on an error, also shows the technical detail")))
    sub = parser.add_subparsers(dest="command", required=True, metavar=gettext(lang, N_("COMMAND")))
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=gettext(lang, cmd.help), description=gettext(lang, cmd.description))
        p.set_defaults(func=cmd.handler)
        if commands is not None and cmd.name not in commands:
            continue
        _add_args(p, cmd.args, lang)
        if cmd.actions:
            actions = p.add_subparsers(dest=cmd.action_dest, required=True, metavar="ACTION")
            for act in cmd.actions:
                a = actions.add_parser(act.name, help=gettext(lang, act.help), description=gettext(lang, act.description))
                _add_args(a, act.args, lang)
    return parser
