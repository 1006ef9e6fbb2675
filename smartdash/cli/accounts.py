"""Accounts: users."""

from __future__ import annotations

import argparse
import sys

from smartdash.cli import common
from smartdash.cli.registry import action, arg, command
from smartdash.i18n import N_, _

ROLES = ["viewer", "editor", "admin"]
_PASSWORD_STDIN = arg("--password-stdin", action="store_true", help=N_("reads the password on standard input"))


def _stdin_password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    return sys.stdin.readline().rstrip("\r\n")


@command(
    "users",
    help=N_("manages the accounts (add, list, role, password, disable)"),
    description=N_("Local accounts. Passwords are read on standard input (--password-stdin), never as an argument, never shown."),
    action_dest="users_command",
    actions=[
        action(
            "add",
            help=N_("creates an account"),
            description=N_("Creates a local account."),
            args=[arg("login"), arg("--role", required=True, choices=ROLES), _PASSWORD_STDIN],
        ),
        action("list", help=N_("lists the accounts"), description=N_("Lists the accounts, their role and their state.")),
        action(
            "disable", help=N_("disables an account"), description=N_("Disables an account (it is kept)."), args=[arg("login")]
        ),
        action(
            "set-password",
            help=N_("changes a password"),
            description=N_("Changes the password."),
            args=[arg("login"), _PASSWORD_STDIN],
        ),
        action(
            "set-role",
            help=N_("changes an account's role"),
            description=N_("Changes an account's role."),
            args=[arg("login"), arg("--role", required=True, choices=ROLES)],
        ),
    ],
)
def cmd_users(args: argparse.Namespace) -> int:
    from smartdash import auth
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    lang, engine = common.language(), common.engine()
    ensure_schema(engine)
    by = common.system_user()
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
