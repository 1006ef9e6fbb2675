"""Setting up a store: schema migrations, and the demo data set on request or on first start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from smartdash import models, schema
from smartdash.db import StoreNeedsUpgrade, StoreTooNew, remember_store, session_scope, store_read_only
from smartdash.formatting import number
from smartdash.i18n import _


@dataclass(frozen=True)
class InitReport:
    migrated: bool
    revision: str
    demo_rows_written: int | None  # None: the demo was not asked for

    def line(self, lang: str) -> str:
        """What init-db did, in the reader's language: the schema, and the demo data set when it was asked for."""
        said = [
            _(lang, "Schema updated (revision {revision}).", revision=self.revision)
            if self.migrated
            else _(lang, "Schema already up to date (revision {revision}).", revision=self.revision)
        ]
        if self.demo_rows_written:
            said.append(_(lang, "Demo: {rows} rows written.", rows=number(self.demo_rows_written, lang=lang)))
        elif self.demo_rows_written is not None:
            said.append(_(lang, "Demo: already loaded, nothing changed."))
        return " ".join(said)


def ensure_schema(engine: Engine) -> bool:
    """Create or upgrade the schema; True when a migration ran. A read-only store at the newest revision is used as it
    is (nothing is written); one that needs a migration, or that a newer smartdash wrote, is refused."""
    if schema.at_head(engine):  # the common case, told without loading Alembic
        remember_store(engine)
        return False
    current, head = schema.current_revision(engine), schema.head_revision()
    if current is not None and current != head and current not in schema.known_revisions():
        raise StoreTooNew()
    if current == head:
        migrated = False
    elif store_read_only(engine):
        raise StoreNeedsUpgrade()
    else:
        migrated = schema.upgrade(engine)
    remember_store(engine)
    return migrated


def is_empty(engine: Engine) -> bool:
    """True when the store holds no entity yet (a fresh store)."""
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(models.Entity)) == 0


def init_store(engine: Engine, *, demo: bool = False) -> InitReport:
    """Create or upgrade the schema and, with `demo`, load the demo data set. Running it twice changes nothing."""
    migrated = ensure_schema(engine)
    written = None
    if demo:
        from smartdash.committee import freeze_latest_closed_meeting
        from smartdash.demo import DEMO_USER, load_demo

        written = sum(r.inserted + r.updated for r in load_demo(engine))
        written += freeze_latest_closed_meeting(engine, by=DEMO_USER)
    return InitReport(migrated, schema.current_revision(engine) or "", written)


def ensure_store(engine: Engine, *, load_demo_when_empty: bool) -> bool:
    """What the app does on start: upgrade the schema, and fill a fresh store with the demo data when configured.
    Returns True when the demo data was loaded now."""
    ensure_schema(engine)
    if load_demo_when_empty and is_empty(engine):
        init_store(engine, demo=True)
        return True
    return False
