"""Ledger exports (FEC): fec-mapping."""

from __future__ import annotations

import argparse
import sys

from smartdash.cli import common
from smartdash.cli.registry import action, arg, command
from smartdash.i18n import N_, _, text


@command(
    "fec-mapping",
    help=N_("mapping of the accounts (FEC) → indicators: lists, changes"),
    description=N_(
        "The accounts that make each indicator derived from an FEC (French general chart of accounts by "
        "default). An account counts under the longest prefix of the indicator that covers it."
    ),
    action_dest="mapping_command",
    actions=[
        action("list", help=N_("shows the mapping"), description=N_("Shows the mapping in force.")),
        action(
            "set",
            help=N_("adds or replaces a rule"),
            description=N_("Adds or replaces an indicator's rule for a prefix of accounts."),
            args=[
                arg("indicator", metavar=text(N_("INDICATOR"))),
                arg("prefix", metavar=text(N_("PREFIX")), help=N_("start of the account numbers, e.g. 411")),
                arg(
                    "--side",
                    choices=["credit", "debit"],
                    default="credit",
                    help=N_("side counted positive (credit: credit − debit); default credit"),
                ),
                arg(
                    "--rule",
                    choices=["net", "side", "exclude"],
                    default="net",
                    help=N_(
                        "net: balances added up; side: only the accounts whose balance is on this side; exclude: "
                        "accounts left out"
                    ),
                ),
                arg(
                    "--measure",
                    choices=["balance", "monthly"],
                    default="balance",
                    help=N_("balance: balance on the date; monthly: each month's movements"),
                ),
            ],
        ),
        action(
            "remove",
            help=N_("removes a rule"),
            description=N_("Removes an indicator's rule for a prefix of accounts."),
            args=[arg("indicator", metavar=text(N_("INDICATOR"))), arg("prefix", metavar=text(N_("PREFIX")))],
        ),
        action(
            "reset",
            help=N_("goes back to the default French general chart of accounts"),
            description=N_("Replaces the mapping with that of the French general chart of accounts (default)."),
        ),
    ],
)
def cmd_fec_mapping(args: argparse.Namespace) -> int:
    from smartdash import fec_mapping
    from smartdash.db import session_scope
    from smartdash.formatting import number
    from smartdash.store import ensure_schema

    lang, engine = common.language(), common.engine()
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
        count = fec_mapping.replace_rules(engine, new, by=common.system_user())
    except fec_mapping.MappingError as err:
        print(_(lang, "Refused, expected:"), file=sys.stderr)
        print(err.render(lang), file=sys.stderr)
        return 1
    print(_(lang, "Account mapping saved: {count} rules.", count=number(count, lang=lang)))
    return 0
