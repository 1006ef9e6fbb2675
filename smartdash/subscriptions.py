"""Who receives what by e-mail: an account's address, and its subscription to the weekly digest, the alerts or
both — for which entities, in which language. Admins manage every subscription; every account its own."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from smartdash import auth, models, queries
from smartdash.auth import CurrentUser, require
from smartdash.db import session_scope
from smartdash.i18n import N_, Refusal, _

LANGUAGES = ("fr", "en")
WHAT = {"digest": (True, False), "alerts": (False, True), "both": (True, True)}
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")


class SubscriptionError(Refusal):
    """A subscription request that cannot be done (unknown login or entity, no address, …): what was expected, as a
    message rendered in the reader's language."""


@dataclass(frozen=True)
class Subscriber:
    """An account's subscription as the digest and the alerts read it. `entities` are entity codes; empty means
    every entity under the plan (entities placed under the plan later are included)."""

    login: str
    user_id: int
    role: str
    active: bool
    email: str | None
    digest: bool
    alerts: bool
    entities: tuple[str, ...]
    lang: str

    def can(self, permission: str) -> bool:
        return auth.CurrentUser(self.login, self.role).can(permission)

    @property
    def reachable(self) -> bool:
        return self.active and bool(self.email)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_email(email: str) -> str:
    email = (email or "").strip()
    bad = auth.control_character(email)
    if bad is not None:
        raise SubscriptionError(
            N_("an e-mail address without control characters (line break, tab…): character U+{code} found"),
            code=f"{ord(bad):04X}",
        )
    if len(email) > 254 or not _EMAIL.match(email):
        raise SubscriptionError(N_('a valid e-mail address ("{email}" is not)'), email=email)
    return email


def _user(session: Session, login: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.login == login))
    if user is None:
        raise SubscriptionError(N_('an existing login ("{login}" unknown)'), login=login)
    return user


# --------------------------------------------------------------------------- reads


def subscribers(*, session: Session) -> list[Subscriber]:
    """Every subscription, by login."""
    s, u = models.Subscription, models.User
    rows = session.execute(
        select(s.id, u.id, u.login, u.role, u.active, u.email, s.digest, s.alerts, s.lang)
        .join(u, u.id == s.user_id)
        .order_by(u.login)
    ).all()
    codes: dict[int, list[str]] = {}
    for sub_id, code in session.execute(
        select(models.SubscriptionEntity.subscription_id, models.Entity.code)
        .join(models.Entity, models.Entity.id == models.SubscriptionEntity.entity_id)
        .order_by(models.Entity.sort_order)
    ).all():
        codes.setdefault(sub_id, []).append(code)
    return [
        Subscriber(login, user_id, role, bool(active), email, bool(digest), bool(alerts), tuple(codes.get(sub_id, ())), lang)
        for sub_id, user_id, login, role, active, email, digest, alerts, lang in rows
    ]


def subscription_of(*, session: Session, login: str) -> Subscriber | None:
    return next((s for s in subscribers(session=session) if s.login == login), None)


def email_of(*, session: Session, login: str) -> str | None:
    return session.scalar(select(models.User.email).where(models.User.login == login))


def covered_entities(*, session: Session, subscriber: Subscriber) -> list[tuple[str, str]]:
    """(code, name) of the entities a subscriber follows: those chosen, else every entity under the plan."""
    frame = queries.entities(session=session)
    rows = frame[frame["code"].isin(subscriber.entities)] if subscriber.entities else frame[frame["under_plan"].astype(bool)]
    return list(zip(rows["code"], rows["name"], strict=True))


# --------------------------------------------------------------------------- changes (unguarded: the command line)


def set_email(engine: Engine, login: str, email: str | None, *, by: str | None) -> None:
    """Set (or, with None or "", remove) an account's e-mail address."""
    address = check_email(email) if email else None
    with session_scope(engine) as session:
        _user(session, login).email = address
        auth.audit(session, by, "email_set", {"login": login, "removed": address is None})


def subscribe(
    engine: Engine,
    login: str,
    *,
    what: str = "both",
    entities: list[str] | tuple[str, ...] = (),
    lang: str = "fr",
    email: str | None = None,
    by: str | None,
) -> None:
    """Create or replace an account's subscription. `what`: digest, alerts or both; `entities`: entity codes (none:
    every entity under the plan). The account needs an e-mail address (given here or already set)."""
    if what not in WHAT:
        raise SubscriptionError("digest, alerts ou both")
    if lang not in LANGUAGES:
        raise SubscriptionError(N_("a language among: fr, en"))
    address = check_email(email) if email else None
    with session_scope(engine) as session:
        user = _user(session, login)
        if address:
            user.email = address
        if not user.email:
            raise SubscriptionError(N_('an e-mail address for "{login}" (--email)'), login=login)
        ids = []
        for code in dict.fromkeys(entities):
            entity_id = session.scalar(select(models.Entity.id).where(models.Entity.code == code))
            if entity_id is None:
                raise SubscriptionError(N_('a known entity code ("{code}" unknown)'), code=code)
            ids.append(entity_id)
        digest, alerts = WHAT[what]
        sub = session.scalar(select(models.Subscription).where(models.Subscription.user_id == user.id))
        if sub is None:
            sub = models.Subscription(user_id=user.id)
            session.add(sub)
        sub.digest, sub.alerts, sub.lang, sub.updated_at, sub.updated_by = digest, alerts, lang, _now(), by
        session.flush()
        session.execute(delete(models.SubscriptionEntity).where(models.SubscriptionEntity.subscription_id == sub.id))
        session.add_all([models.SubscriptionEntity(subscription_id=sub.id, entity_id=i) for i in ids])
        auth.audit(session, by, "subscription_set", {"login": login, "what": what, "entities": list(entities), "lang": lang})


def unsubscribe(engine: Engine, login: str, *, by: str | None) -> bool:
    """Remove an account's subscription; False when it had none. Its delivery history is kept."""
    with session_scope(engine) as session:
        user = _user(session, login)
        sub = session.scalar(select(models.Subscription).where(models.Subscription.user_id == user.id))
        if sub is None:
            return False
        session.execute(delete(models.SubscriptionEntity).where(models.SubscriptionEntity.subscription_id == sub.id))
        session.delete(sub)
        auth.audit(session, by, "subscription_removed", {"login": login})
        return True


# --------------------------------------------------------------------------- guarded: the pages


def _may_manage(user: CurrentUser | None, login: str) -> CurrentUser:
    """Anyone may manage their own subscription; an admin (permission "users") everyone's."""
    if user is None or user.login != login:
        require(user, "users")
    return require(user, "view")


def save(user: CurrentUser | None, engine: Engine, login: str, **kwargs) -> None:
    subscribe(engine, login, by=_may_manage(user, login).login, **kwargs)


def remove(user: CurrentUser | None, engine: Engine, login: str) -> bool:
    return unsubscribe(engine, login, by=_may_manage(user, login).login)


def change_email(user: CurrentUser | None, engine: Engine, login: str, email: str | None) -> None:
    set_email(engine, login, email, by=_may_manage(user, login).login)


def read_own(user: CurrentUser | None, engine: Engine) -> tuple[Subscriber | None, str | None]:
    """The user's own subscription and e-mail address."""
    require(user, "view")
    with session_scope(engine) as session:
        return subscription_of(session=session, login=user.login), email_of(session=session, login=user.login)


def read_all(user: CurrentUser | None, engine: Engine) -> list[Subscriber]:
    require(user, "users")
    with session_scope(engine) as session:
        return subscribers(session=session)


def failed_deliveries(*, session: Session) -> list[tuple[str, str, str, int, str]]:
    """Deliveries that failed and wait for the next run: (login, what, week or alert, attempts, server's answer)."""
    d, u = models.MailDelivery, models.User
    rows = session.execute(
        select(u.login, d.kind, d.period, d.alert_id, d.attempts, d.last_error)
        .join(u, u.id == d.user_id)
        .where(d.status == "failed")
        .order_by(d.id.desc())
    ).all()
    return [
        (login, kind, period or f"alerte n° {alert_id}", attempts, error or "")
        for login, kind, period, alert_id, attempts, error in rows
    ]


def read_failures(user: CurrentUser | None, engine: Engine) -> list[tuple[str, str, str, int, str]]:
    require(user, "users")
    with session_scope(engine) as session:
        return failed_deliveries(session=session)


def what_of(subscriber: Subscriber | None) -> str:
    """digest / alerts / both, or none."""
    if subscriber is None:
        return "none"
    return "both" if subscriber.digest and subscriber.alerts else "digest" if subscriber.digest else "alerts"


WHAT_LABELS = {"both": N_("digest and alerts"), "digest": N_("weekly digest"), "alerts": N_("alerts"), "none": N_("nothing")}


def subscriptions_table(subs: list[Subscriber], lang: str, names: dict[str, str]) -> pd.DataFrame:
    """The subscriptions as the administration page lists them, headers in the reader's language."""
    return pd.DataFrame(
        {
            _(lang, "Account"): [s.login for s in subs],
            _(lang, "Address"): [s.email or "—" for s in subs],
            _(lang, "Role"): [s.role for s in subs],
            _(lang, "Receives"): [_(lang, WHAT_LABELS[what_of(s)]) for s in subs],
            _(lang, "Entities"): [", ".join(names.get(c, c) for c in s.entities) or _(lang, "under the plan") for s in subs],
            _(lang, "Language"): [s.lang for s in subs],
            _(lang, "Active"): [_(lang, "yes") if s.active else _(lang, "no") for s in subs],
        }
    )


def failures_table(rows: list[tuple[str, str, str, int, str]], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[_(lang, "Account"), _(lang, "What"), _(lang, "Week or alert"), _(lang, "Attempts"), _(lang, "Server's answer")],
    )
