"""Alerts: what changed for the worse since the last run — whatever the attention rules find (smartdash.views.rules:
a key indicator crossing its threshold to amber or red, a plan instalment becoming late, a 1+1 funding round overdue,
the cessation-des-paiements test under 1, …) — e-mailed once to each subscriber who follows the entity. This module
keeps only the state (what was found and sent before) and the delivery.

Each run stores the state of every watched condition (alert_state); an alert is raised when a state is worse than
the stored one, and stored with one delivery per subscriber (mail_delivery). Running twice raises nothing new; a
failed delivery stays "failed" and is tried again at the next run. The first run of a store only records the
states it finds (nothing changed "since the last run" when there was none): what is already red is in the digest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from smartdash import auth, charts, models, queries
from smartdash.config import Settings
from smartdash.db import session_scope
from smartdash.i18n import Text, _, template_messages
from smartdash.mail import MailNotConfigured, message_or_refusal, send_all
from smartdash.metrics.status import AMBER, GREEN, RED
from smartdash.subscriptions import Subscriber, covered_entities, subscribers
from smartdash.views import Filters, rules
from smartdash.views import overview as overview_views

TEMPLATES = Path(__file__).resolve().parent / "templates"
OK, LATE, BELOW = "ok", rules.LATE, rules.BELOW
RANK = {None: 0, OK: 0, GREEN: 0, AMBER: 1, RED: 2, LATE: 2, BELOW: 2}
SEVERITY = {AMBER: AMBER, RED: RED, LATE: RED, BELOW: RED}
PAGE_PATHS = {"overview": "", "funding": "funding", "execution": "execution"}
# Stored with the states so that a run knows it is not the store's first even when nothing was found before.
RUN_MARK = "alerts:run"


@dataclass(frozen=True)
class Condition:
    """A watched matter's state now — a finding of the attention rules (smartdash.views.rules) — with what an alert
    about it says (a message and its parameters, stored in each language when the alert is raised)."""

    key: str
    kind: str  # the key's first part: indicator / instalment / funding / cessation / coverage …
    entity: str
    state: str
    page: str
    text: Text

    @property
    def message_fr(self) -> str:
        return self.text.render("fr")

    @property
    def message_en(self) -> str:
        return self.text.render("en")


def conditions(*, session: Session, as_of: dt.date) -> list[Condition]:
    """Every matter the attention rules find at `as_of`, entity by entity (every entity, under the plan or not),
    against the plan version in force; what no rule finds is ok."""
    version = queries.version_in_force(session=session, on=as_of)
    found: dict[str, Condition] = {}
    for code in queries.entities(session=session)["code"]:
        filters = Filters(code, as_of, "previous", version)
        tiles = overview_views.overview_tiles(session=session, filters=filters)
        for item in rules.findings(session=session, filters=filters, tiles=tiles):
            if item.key is None or item.key in found:
                continue
            found[item.key] = Condition(
                item.key,
                item.key.split(":")[0],
                item.entity or code,
                item.state or item.severity,
                item.page,
                item.alert_text or item.text,
            )
    return list(found.values())


def is_worse(state: str, before: str | None) -> bool:
    """An alert is raised when a condition reaches amber or worse from a better state (or from no state)."""
    return RANK.get(state, 0) > RANK.get(before, 0)


# --------------------------------------------------------------------------- one run


@dataclass
class AlertsReport:
    baseline: bool = False  # the first run: states recorded, nothing raised
    raised: list[Condition] = field(default_factory=list)
    sent: list[tuple[str, int]] = field(default_factory=list)  # (login, alerts in the e-mail)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (login, error)
    pending: int = 0  # deliveries waiting (preview only)


def _follows(session: Session, subscriber: Subscriber, entity: str) -> bool:
    return entity in {code for code, _name in covered_entities(session=session, subscriber=subscriber)}


def evaluate(*, session: Session, as_of: dt.date) -> tuple[list[Condition], list[Condition], bool]:
    """(every condition now, those worse than at the last run, whether this is the store's first run)."""
    now = conditions(session=session, as_of=as_of)
    stored = dict(session.execute(select(models.AlertState.key, models.AlertState.state)).all())
    first = not stored  # the run mark counts: a store where nothing was ever found has had its first run
    return now, [] if first else [c for c in now if is_worse(c.state, stored.get(c.key))], first


def record(session: Session, *, now: list[Condition], raised: list[Condition], as_of: dt.date) -> None:
    """Store every state seen (conditions no longer found are back to ok), the alerts raised, and one pending
    delivery per alert and per subscriber following its entity."""
    stamp = dt.datetime.now(dt.UTC)
    states = {s.key: s for s in session.scalars(select(models.AlertState))}
    before = {key: row.state for key, row in states.items()}
    seen = {c.key: c for c in now}
    for key, row in states.items():
        if key not in seen and row.state != OK:
            row.state, row.as_of, row.updated_at = OK, as_of, stamp
    if RUN_MARK not in states:
        session.add(models.AlertState(key=RUN_MARK, entity_code="", state=OK, as_of=as_of, updated_at=stamp))
    for c in now:
        row = states.get(c.key)
        if row is None:
            session.add(models.AlertState(key=c.key, entity_code=c.entity, state=c.state, as_of=as_of, updated_at=stamp))
        elif row.state != c.state:
            row.state, row.as_of, row.updated_at = c.state, as_of, stamp
    followers = [s for s in subscribers(session=session) if s.alerts]
    for c in raised:
        alert = models.Alert(
            key=c.key,
            kind=c.kind,
            entity_code=c.entity,
            state=c.state,
            previous_state=before.get(c.key),
            as_of=as_of,
            raised_at=stamp,
            page=c.page,
            message_fr=c.message_fr,
            message_en=c.message_en,
        )
        session.add(alert)
        session.flush()
        for sub in followers:
            if _follows(session, sub, c.entity):
                session.add(
                    models.MailDelivery(
                        kind="alert", user_id=sub.user_id, alert_id=alert.id, status="pending", attempts=0, created_at=stamp
                    )
                )


def _owed(session: Session) -> dict[int, list[tuple[models.MailDelivery, models.Alert]]]:
    """Alert deliveries not sent yet (new or failed before), per account."""
    d, a = models.MailDelivery, models.Alert
    owed: dict[int, list] = {}
    for delivery, alert in session.execute(
        select(d, a).join(a, a.id == d.alert_id).where(d.kind == "alert", d.status != "sent").order_by(a.id)
    ).all():
        owed.setdefault(delivery.user_id, []).append((delivery, alert))
    return owed


def _message(env: Environment, settings: Settings, sub: Subscriber, alerts: list[models.Alert]):
    lang = sub.lang
    items = [
        (
            charts.STATUS_COLOURS[SEVERITY.get(a.state, RED)],
            a.message_en if lang == "en" else a.message_fr,
            _state_word(a.state, lang),
            f"{settings.app_url}/{PAGE_PATHS.get(a.page, a.page)}".rstrip("/"),
        )
        for a in alerts
    ]
    if len(alerts) == 1:
        subject = _(lang, "smartdash — alert: {message}", message=items[0][1])
    else:
        subject = _(lang, "smartdash — {n_alerts} alerts", n_alerts=len(alerts))
    context = {
        **template_messages(lang),
        "lang": lang,
        "subject": subject,
        "items": items,
        "app_url": settings.app_url,
        "subscription_url": f"{settings.app_url}/subscriptions",
    }
    return message_or_refusal(
        sender=settings.mail.sender,
        to=sub.email,
        to_name=sub.login,
        subject=subject[:200],
        text=env.get_template("alerts.txt").render(**context),
        html=env.get_template("alerts.html").render(**context),
    )


def _state_word(state: str, lang: str) -> str:
    return {AMBER: _(lang, "turned amber"), RED: _(lang, "turned red"), LATE: _(lang, "late"), BELOW: _(lang, "below 1")}.get(
        state, state
    )


def run_alerts(engine: Engine, *, as_of: dt.date, settings: Settings, by: str, send: bool) -> AlertsReport:
    """Find what got worse since the last run. Without `send`, only say what would be raised and owed (nothing is
    written). With `send`: store states and alerts, then e-mail every subscriber what they are owed (these alerts
    and any whose delivery failed before), one e-mail each, and record every sending in the audit log."""
    if send and settings.mail is None:
        raise MailNotConfigured()
    report = AlertsReport()
    with session_scope(engine) as session:
        now, raised, report.baseline = evaluate(session=session, as_of=as_of)
        report.raised = raised
        if not send:
            report.pending = sum(len(v) for v in _owed(session).values())
            return report
        record(session, now=now, raised=raised, as_of=as_of)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    with session_scope(engine) as session:
        people = {s.user_id: s for s in subscribers(session=session)}
        todo = []
        for user_id, owed in _owed(session).items():
            sub = people.get(user_id)
            if sub is None or not sub.alerts or not sub.reachable:
                continue  # unsubscribed or disabled since: kept owed, sent if they come back
            todo.append((sub, [d.id for d, _a in owed], _message(env, settings, sub, [a for _d, a in owed])))
    errors = send_all(settings.mail, [message for _sub, _ids, message in todo])
    stamp = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        for (sub, ids, _msg), error in zip(todo, errors, strict=True):
            for delivery in session.scalars(select(models.MailDelivery).where(models.MailDelivery.id.in_(ids))):
                delivery.attempts += 1
                delivery.status, delivery.last_error = ("sent", None) if error is None else ("failed", error)
                delivery.sent_at = stamp if error is None else None
            auth.audit(
                session,
                by,
                "mail_sent" if error is None else "mail_failed",
                {"to": sub.login, "what": "alerts", "alerts": len(ids), **({"error": error} if error else {})},
            )
            if error is None:
                report.sent.append((sub.login, len(ids)))
            else:
                report.failed.append((sub.login, error))
    return report
