"""Who may see and change what: local accounts, roles, login with lockout, and the audit log.

Passwords are hashed with argon2 (argon2-cffi) and never stored, logged or shown in clear. Every guard lives
here, on the server side: a page that hides a button is a convenience, `require()` is the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session

from smartdash import models, queries
from smartdash.db import (
    StoreReadOnly,
    session_scope,
    store_read_only,
    write_scope,
    write_soon,
)
from smartdash.i18n import N_, Refusal

ROLES = models.ROLES
PERMISSIONS: dict[str, set[str]] = {
    # committee member: every page, no client names
    "viewer": {"view", "export"},
    # director: loads figures, undoes loads, sees client names, writes notes
    "editor": {"view", "export", "import", "undo", "see_clients", "notes"},
    # administrator: everything, including users, the indicator catalogue and settings
    "admin": {"view", "export", "import", "undo", "see_clients", "notes", "users", "catalogue", "audit"},
}
log = logging.getLogger(__name__)
LOGIN_FAILED = N_("Wrong login or password, or account locked.")
# argon2id at one of the five settings OWASP's Password Storage Cheat Sheet gives as an equal level of defence (m = 7
# MiB, t = 5, p = 1; "the only difference is a trade off between CPU and RAM usage"): 0,020 CPU-seconds a check on
# this project's machine, against 0,026 s for m = 19 MiB, t = 2, the first setting of that list, and 0,055 s for 46
# MiB, t = 1 (a block set that fits the processor's cache costs less to walk). A hundred members logging in at once
# wait for a hundred checks, and each holds 7 MiB instead of 19. argon2-cffi's defaults (t = 3, m = 64 MiB, p = 4)
# took 0,183 s and made twenty members wait seconds. Hashes made with other parameters still verify, and are rehashed
# with these at the next login (check_needs_rehash).
HASH_TIME_COST, HASH_MEMORY_KIB, HASH_PARALLELISM = 5, 7 * 1024, 1
_hasher = PasswordHasher(time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM)


class PermissionDenied(Refusal):
    """The user's role does not allow this (rendered in the reader's language; `str()` reads English)."""


def role_can(role: str, permission: str) -> bool:
    """Whether `role` allows `permission` (what an output built for a role may hold: client names need "see_clients")."""
    return permission in PERMISSIONS.get(role, set())


@dataclass(frozen=True)
class CurrentUser:
    login: str
    role: str

    def can(self, permission: str) -> bool:
        return role_can(self.role, permission)


def require(user: CurrentUser | None, permission: str) -> CurrentUser:
    """The user, if their role allows `permission`; PermissionDenied otherwise (and for no user at all)."""
    if user is None or not user.can(permission):
        if user is None:
            raise PermissionDenied(N_("not signed in: action “{permission}” not allowed"), permission=permission)
        raise PermissionDenied(N_("role “{role}”: action “{permission}” not allowed"), role=user.role, permission=permission)
    return user


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; every datetime here is UTC."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


# --------------------------------------------------------------------------- audit


def audit(session: Session, login: str | None, action: str, detail: dict | str | None = None) -> None:
    """Record an event in the caller's transaction."""
    text = json.dumps(detail, ensure_ascii=False, default=str) if isinstance(detail, dict) else detail
    session.add(models.AuditEvent(at=_now(), login=login, action=action, detail=text))


def record(engine: Engine, login: str | None, action: str, detail: dict | str | None = None) -> None:
    """Record an event in a transaction of its own; a read-only store cannot keep it: the server log does."""
    try:
        write_soon(engine, lambda session: audit(session, login, action, detail))  # nobody waits for a large load
    except StoreReadOnly:
        log.warning("read-only store: audit event not stored: %s %s", action, login)


def audit_log(*, session: Session, limit: int = 1000) -> pd.DataFrame:
    """The newest events first. Columns: at, login, action, detail."""
    e = models.AuditEvent
    rows = session.execute(select(e.at, e.login, e.action, e.detail).order_by(e.id.desc()).limit(limit)).all()
    return queries.frame(rows, ["at", "login", "action", "detail"])


# --------------------------------------------------------------------------- accounts


class AccountError(Refusal):
    """A user-management request that cannot be done (unknown login, weak password, …): what was expected, as a
    message rendered in the reader's language."""


# characters a login never holds: control characters (a line break would let a login add headers to the e-mails
# it names, or lines to a log), and Unicode's line and paragraph separators and format characters
def control_character(value: str) -> str | None:
    """The first control or format character of `value` (C0, DEL, C1, Unicode categories Cc, Cf, Zl, Zp), or None."""
    return next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)


def _check_password(password: str) -> None:
    if len(password) < 12:
        raise AccountError(N_("a password of at least 12 characters"))


def has_users(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(models.User)))


def add_user(engine: Engine, login: str, role: str, password: str | None, *, by: str | None, only_if_first: bool = False) -> None:
    """Create an account (password None: single sign-on only); with `only_if_first`, only while no account exists."""
    login = login.strip()
    if not login or len(login) > 120:
        raise AccountError(N_("a login of 1 to 120 characters"))
    bad = control_character(login)
    if bad is not None:
        raise AccountError(
            N_("a login without control characters (line break, tab…): character U+{code} found"), code=f"{ord(bad):04X}"
        )
    if role not in ROLES:
        raise AccountError(N_("a role among: {roles}"), roles=", ".join(ROLES))
    if password is not None:
        _check_password(password)
    password_hash = _hasher.hash(password) if password is not None else None  # slow: before the write lock
    with write_scope(engine) as session:
        if only_if_first and session.scalar(select(func.count()).select_from(models.User)):
            raise AccountError(N_("no existing account (the first administrator is already created)"))
        if session.scalar(select(models.User).where(models.User.login == login)):
            raise AccountError(N_('a free login ("{login}" already exists)'), login=login)
        session.add(
            models.User(login=login, role=role, active=True, failed_attempts=0, created_at=_now(), password_hash=password_hash)
        )
        audit(session, by, "user_added", {"login": login, "role": role})


def setup_token(engine: Engine) -> str | None:
    """The token that creates the first administrator from the app (None for a store without its secret key): derived
    from the store's own secret key, so every server process of the store prints the same one, worthless once an
    account exists. Behind a reverse proxy a visitor's address and Host header say nothing of who they are; the
    server's log is read only by who runs the server."""
    with session_scope(engine) as session:
        key = session.scalar(select(models.StoreInfo.audit_key))
    return hashlib.sha256(f"smartdash first administrator:{key}".encode()).hexdigest()[:32] if key else None


def create_first_admin(engine: Engine, login: str, password: str, token: str) -> None:
    """The first account, an admin, while the store has none (refused once any account exists), for a visitor who
    gives the setup token the server printed in its log."""
    expected = setup_token(engine)
    if expected is None or not hmac.compare_digest((token or "").strip(), expected):
        record(engine, None, "first_admin_refused", "jeton de mise en service incorrect")
        raise AccountError(N_("the setup token printed in the server's log"))
    add_user(engine, login, "admin", password, by=login.strip(), only_if_first=True)


def _user(session: Session, login: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.login == login))
    if user is None:
        raise AccountError(N_('an existing login ("{login}" unknown)'), login=login)
    return user


def set_password(engine: Engine, login: str, password: str, *, by: str | None) -> None:
    _check_password(password)
    password_hash = _hasher.hash(password)
    with write_scope(engine) as session:
        user = _user(session, login)
        user.password_hash, user.failed_attempts, user.locked_until = password_hash, 0, None
        audit(session, by, "password_set", {"login": login})


def set_role(engine: Engine, login: str, role: str, *, by: str | None) -> None:
    if role not in ROLES:
        raise AccountError(N_("a role among: {roles}"), roles=", ".join(ROLES))
    with write_scope(engine) as session:
        user = _user(session, login)
        user.role = role
        audit(session, by, "role_set", {"login": login, "role": role})


def disable_user(engine: Engine, login: str, *, by: str | None) -> None:
    with write_scope(engine) as session:
        _user(session, login).active = False
        audit(session, by, "user_disabled", {"login": login})


def list_users(*, session: Session) -> pd.DataFrame:
    """Columns: login, role, active, locked_until, created_at (never any password material)."""
    u = models.User
    rows = session.execute(select(u.login, u.role, u.active, u.locked_until, u.created_at).order_by(u.login)).all()
    return queries.frame(rows, ["login", "role", "active", "locked_until", "created_at"])


def active_user(engine: Engine, login: str) -> CurrentUser | None:
    """The account behind a session, re-read on every page run: a disabled account is logged out at once."""
    with session_scope(engine) as session:
        return active_account(session, login)


def active_account(session: Session, login: str) -> CurrentUser | None:
    """The active account of `login` (None if unknown or disabled), read in the caller's transaction."""
    u = models.User
    row = session.execute(select(u.login, u.role).where(u.login == login, u.active.is_(True))).first()
    return CurrentUser(row.login, row.role) if row is not None else None


# --------------------------------------------------------------------------- login


def unknown_login_digest(session: Session, login: str) -> str:
    """A short digest of what was typed in the login field for an unknown login, keyed by the store's own key: the same
    text gives the same digest (repeated attempts show), and the audit log never holds the text, which may be a
    password typed in the wrong field. Six hexadecimal digits: too short to confirm a guessed password."""
    key = session.scalar(select(models.StoreInfo.audit_key)) or ""
    return hmac.new(key.encode(), login.encode(), hashlib.sha256).hexdigest()[:6]


_read_only_failures: dict[str, tuple[int, dt.datetime | None]] = {}  # a read-only store cannot count failures


def authenticate(
    engine: Engine, login: str, password: str, *, max_failed: int = 5, lock_minutes: int = 15, now: dt.datetime | None = None
) -> CurrentUser | None:
    """The user if login and password match an active, unlocked account; None otherwise, with the same
    answer whatever went wrong (unknown login, wrong password, disabled or locked account). After `max_failed`
    failures in a row the account is locked for `lock_minutes`, in the store: a new session does not reset it.

    A password is checked only once its guess is claimed: one statement counts it as a failure in the store, provided
    the account is unlocked and has fewer than `max_failed` failures counted (`_claim`), so however many attempts
    arrive at once, in however many server processes, at most `max_failed` passwords are checked before the lockout.
    A success then clears the count (written as soon as the store's write lock is free, `write_soon`); a failure is
    written before it is answered, the last allowed one locking the account. On PostgreSQL the claim locks the
    account's row only; SQLite has one writer, so there a claim waits for a load being committed. On a read-only
    store, failures are counted in this process."""
    now = now or _now()
    login = (login or "").strip()
    with session_scope(engine) as session:
        user = session.scalar(select(models.User).where(models.User.login == login)) if login else None
        known = user is not None
        stored_hash = user.password_hash if known and user.active else None
        role = user.role if known else None
        locked = _aware(user.locked_until) if known else None
    if stored_hash is None:
        _hasher.hash("timing: an unknown login costs what a known one does")
        with _outcome(engine) as session:
            if session is not None:
                audit(
                    session,
                    login if known else None,
                    "login_failed",
                    "compte inactif"
                    if known
                    else {"identifiant inconnu": unknown_login_digest(session, login)}
                    if login
                    else "identifiant vide",
                )
        return None
    if store_read_only(engine):
        memory = _read_only_failures.get(login)
        if (memory and memory[1] and memory[1] > now) or (locked is not None and locked > now):
            return None
        log.warning("read-only store: login outcome not stored")
        return _read_only_outcome(login, _verified(stored_hash, password), role, now, max_failed, lock_minutes)
    attempt = _claim(engine, login, now, max_failed)
    if attempt is None:
        return None
    if _verified(stored_hash, password):  # the member goes on at once; the audit line waits for a large load if need be
        write_soon(engine, lambda session: _logged_in(session, login, password))
        return CurrentUser(login, role)
    with write_scope(engine) as session:  # a failure is written before it is answered
        audit(session, login, "login_failed", {"attempt": attempt})
        if attempt >= max_failed:
            u = models.User
            session.execute(
                update(u)
                .where(u.login == login)
                .values(locked_until=now + dt.timedelta(minutes=lock_minutes), failed_attempts=0)
                .execution_options(synchronize_session=False)
            )
            audit(session, login, "lockout", {"minutes": lock_minutes})
    return None


def _verified(stored_hash: str, password: str | None) -> bool:
    try:
        return _hasher.verify(stored_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _claim(engine: Engine, login: str, now: dt.datetime, max_failed: int) -> int | None:
    """Claim a password guess: one statement counts it as a failure, while the account is unlocked and has fewer than
    `max_failed` failures counted; the guess's number, or None (and an audit line) when it may not be checked."""
    u = models.User
    with write_scope(engine) as session:
        attempt = session.execute(
            update(u)
            .where(
                u.login == login,
                u.active.is_(True),
                u.failed_attempts < max_failed,
                or_(u.locked_until.is_(None), u.locked_until <= now),
            )
            .values(failed_attempts=u.failed_attempts + 1)
            .returning(u.failed_attempts)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if attempt is None:
            locked = _aware(session.scalar(select(u.locked_until).where(u.login == login)))
            audit(session, login, "login_refused_locked", {"until": locked.isoformat() if locked else None})
    return attempt


def _logged_in(session: Session, login: str, password: str) -> None:
    """A successful login's outcome: its failures forgotten, its hash brought to today's parameters, the audit line."""
    user = session.scalar(select(models.User).where(models.User.login == login))
    user.failed_attempts, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit(session, login, "login")


@contextmanager
def _outcome(engine: Engine) -> Iterator[Session | None]:
    """A write transaction for a login's outcome, or None on a read-only store."""
    if store_read_only(engine):
        log.warning("read-only store: login outcome not stored")
        yield None
        return
    with write_scope(engine) as session:
        yield session


def _read_only_outcome(
    login: str, ok: bool, role: str, now: dt.datetime, max_failed: int, lock_minutes: int
) -> CurrentUser | None:
    if ok:
        _read_only_failures.pop(login, None)
        return CurrentUser(login, role)
    count = _read_only_failures.get(login, (0, None))[0] + 1
    _read_only_failures[login] = (0, now + dt.timedelta(minutes=lock_minutes)) if count >= max_failed else (count, None)
    return None


def sso_user(engine: Engine, email: str | None, roles: dict[str, str]) -> CurrentUser | None:
    """A user signed in by single sign-on: the role configured for their e-mail address, else no access."""
    if not email:
        return None
    role = roles.get(email.lower())
    if role not in ROLES:
        record(engine, email, "login_failed", "sso : adresse sans rôle")
        return None
    record(engine, email, "login", "sso")
    return CurrentUser(email.lower(), role)
