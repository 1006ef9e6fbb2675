"""The e-mail side, meant for cron or a systemd timer: subscriptions, digest, alerts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartdash.cli import common
from smartdash.cli.registry import action, arg, command, group
from smartdash.config import load_settings
from smartdash.i18n import N_, _, _n, text


@command(
    "subscriptions",
    help=N_("manages e-mail subscriptions (digest, alerts)"),
    description=N_(
        "An account's subscriptions to the weekly digest and to the alerts, by entity and by language. An account "
        "needs an e-mail address (--email)."
    ),
    action_dest="subscriptions_command",
    actions=[
        action(
            "add",
            help=N_("creates or replaces an account's subscription"),
            description=N_("Creates or replaces an account's subscription."),
            args=[
                arg("login"),
                arg("--email", help=N_("the account's e-mail address (saved on the account)")),
                arg(
                    "--what",
                    choices=["digest", "alerts", "both"],
                    default="both",
                    help=N_("digest, alerts or both (default: both)"),
                ),
                arg(
                    "--entity",
                    action="append",
                    metavar="CODE",
                    help=N_("code of an entity followed (repeatable; default: every entity under the plan)"),
                ),
                arg("--lang", choices=["fr", "en"], help=N_("language of the e-mails (default: config.toml's)")),
            ],
        ),
        action("list", help=N_("lists the subscriptions"), description=N_("Lists the subscriptions.")),
        action(
            "remove",
            help=N_("removes an account's subscription"),
            description=N_("Removes a subscription."),
            args=[arg("login")],
        ),
    ],
)
def cmd_subscriptions(args: argparse.Namespace) -> int:
    from smartdash import subscriptions
    from smartdash.db import session_scope
    from smartdash.store import ensure_schema

    lang, engine = common.language(), common.engine()
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
                by=common.system_user(),
            )
            print(_(lang, "Subscription of “{login}” saved ({what}).", login=args.login, what=args.what))
        elif args.subscriptions_command == "remove":
            if subscriptions.unsubscribe(engine, args.login, by=common.system_user()):
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
        print(MailNotConfigured().render(common.language()), file=sys.stderr)
        return False
    return True


@command(
    "digest",
    help=N_("weekly digest: sends it (--send) or writes it (--out)"),
    description=N_(
        "The week's digest, one per subscriber: key indicators and status, change over one week and since the "
        "last committee, points of attention, open actions, latest loads. --send sends it (once per subscriber "
        "and per week; a failed sending is tried again at the next run); --out writes it to a file (.html, or "
        ".txt for the text alone), one per subscriber."
    ),
    args=[
        group(
            arg("--send", action="store_true", help=N_("sends by e-mail ([mail] section of config.toml)")),
            arg("--out", metavar=text(N_("FILE")), help=N_("writes the digest to this file, without sending anything")),
            required=True,
        ),
        arg("--as-of", help=N_("date of the figures YYYY-MM-DD (default: today)")),
        arg("--login", help=N_("only this account's subscriber")),
    ],
)
def cmd_digest(args: argparse.Namespace) -> int:
    from smartdash import digest
    from smartdash.formatting import date_short
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), common.language()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = common.engine()
    ensure_schema(engine)
    as_of = common.as_of(args.as_of)
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
    report = digest.send_digests(engine, as_of=as_of, settings=settings, by=common.system_user(), login=args.login)
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


@command(
    "alerts",
    help=N_("alerts: what has worsened since the last run"),
    description=N_(
        "Looks for what has worsened since the last run (an indicator crossing its threshold, a plan instalment "
        "late, a 1+1 contribution late, the cessation-of-payments test below 1) and sends it once only to the "
        "subscribers. Without --send: a preview, nothing is recorded."
    ),
    args=[
        arg("--send", action="store_true", help=N_("records and sends ([mail] section of config.toml)")),
        arg("--as-of", help=N_("date of the situation YYYY-MM-DD (default: today)")),
    ],
)
def cmd_alerts(args: argparse.Namespace) -> int:
    from smartdash import alerts
    from smartdash.formatting import number
    from smartdash.store import ensure_schema

    settings, lang = load_settings(), common.language()
    if args.send and not _mail_settings_or_refuse(settings):
        return 2
    engine = common.engine()
    ensure_schema(engine)
    report = alerts.run_alerts(engine, as_of=common.as_of(args.as_of), settings=settings, by=common.system_user(), send=args.send)
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
