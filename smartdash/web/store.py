"""The store as the pages reach it: its engine, "this session changed it", and the pages' cached reads.

Every read here is one function of a session, decorated once with `cached`: it is cached per store, data version and
arguments (smartdash.cache), so a write by any process is seen at the next page run.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartdash import actions, cache, queries
from smartdash.auth import CurrentUser
from smartdash.config import load_settings
from smartdash.db import ENGINES_KEPT, engine_for
from smartdash.i18n import _
from smartdash.inert import DeltaGenerator, st
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.store import ensure_store
from smartdash.views import Filters
from smartdash.views import annual as annual_views
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import overview as overview_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views
from smartdash.views import rules as rules_views
from smartdash.views import versions as versions_views


@st.cache_resource(show_spinner=False, max_entries=ENGINES_KEPT)  # as many as engine_for keeps connected
def _ready_engine(url: str, load_demo_when_empty: bool):
    engine = engine_for(url)
    ensure_store(engine, load_demo_when_empty=load_demo_when_empty)
    _print_setup_token(engine)
    return engine


def _print_setup_token(engine: Engine) -> None:
    """While the store has no account, the server's log gets the token that creates the first administrator."""
    from smartdash import auth
    from smartdash.db import store_read_only

    if not store_read_only(engine) and not auth.has_users(engine):
        print(
            f"smartdash: setup token {auth.setup_token(engine)} — no account exists yet: give this token in the "
            "first-administrator form of the app.",
            file=sys.stderr,
            flush=True,
        )


_engines: dict[tuple[str, bool], Engine] = {}  # what _ready_engine made, without hashing its arguments at every call


def engine(notice: DeltaGenerator | None = None) -> Engine:
    """The configured store, migrated, with the demo data on a fresh store when config.toml asks for it. Its first
    start in this process is told in `notice`, the page's placeholder for such notices (see starting.notice), or else
    in a placeholder of its own."""
    settings = load_settings()
    key = (settings.database_url, settings.load_demo_when_empty)
    made = _engines.get(key)
    if made is None:
        made = _engines[key] = _while_preparing(lambda: _ready_engine(*key), settings.language, notice)
    return made


def ready(notice: DeltaGenerator) -> Engine:
    """The store, prepared before the page is drawn, its first start told in the page's `notice` placeholder, which
    is then cleared whatever happened: the page's elements keep their places from the first run to the next."""
    try:
        return engine(notice)
    finally:
        notice.empty()


def _while_preparing(prepare: Callable[[], Engine], lang: str, notice: DeltaGenerator | None = None) -> Engine:
    """`prepare()` — the first start of a store: its migrations, the demo data on a fresh one — under a page with a
    title and what is happening, instead of a blank page whose menu lists the raw names of the pages/ folder (the
    navigation the app sets up only once the store is ready)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx() is None or _ready_engine_is_cached():
        return prepare()
    st.navigation([st.Page(_preparing_page, title="smartdash", default=True)], position="hidden")
    holder = st.empty() if notice is None else notice
    with holder.container():
        st.title("smartdash")
        with st.spinner(_(lang, "First start: the store is being prepared and the demo data loaded. This takes a moment.")):
            made = prepare()
    holder.empty()
    return made


def _preparing_page() -> None:
    """The page the navigation holds while the store is prepared (never run: the app's own navigation follows)."""


def _ready_engine_is_cached() -> bool:
    """Whether this process already prepared a store (another session did): no page is shown for a lookup."""
    return bool(_engines)


def changed() -> None:
    """After this session wrote to the store: what the rest of this run reads comes from the new data version
    (every other session and process sees it at its next run anyway)."""
    cache.forget_run_version()


def cached(*, max_entries: int = 64) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate `read(session, …)`: it becomes `read(…)`, cached per store, data version and arguments
    (`smartdash.cache.store_read`). Keyword arguments are put in their places first, defaults filled in, so
    `decisions(open_only=True)` and `decisions(None, True)` are one read; filters are keyed without the reader's
    language, which no view reads."""

    def decorate(read: Callable[..., Any]) -> Callable[..., Any]:
        positional = cache.store_read(engine, max_entries=max_entries)(read)
        signature = inspect.signature(read)

        @functools.wraps(read)
        def call(*args, **kwargs):
            bound = signature.bind(None, *args, **kwargs)
            bound.apply_defaults()
            return positional(*(a.data if isinstance(a, Filters) else a for a in bound.args[1:]))

        call.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
        return call

    return decorate


@cached(max_entries=8)
def reference(session: Session) -> dict:
    """The entities, plan versions, latest data date and entities with receivables: what the sidebar and pages
    look up."""
    return {
        "entities": queries.entities(session=session),
        "versions": queries.plan_versions(session=session),
        "latest": queries.latest_data_date(session=session),
        "receivable_entities": queries.receivable_entities(session=session),
    }


def entity_names() -> dict[str, str]:
    """Entity code → name."""
    frame = reference()["entities"]
    return dict(zip(frame["code"], frame["name"], strict=True))


def plan_entities(f: Filters) -> list[tuple[str, str]]:
    """(code, name) of the chosen entity, or of every entity under the plan."""
    frame = reference()["entities"]
    rows = frame[frame["code"] == f.entity] if f.entity else frame[frame["under_plan"].astype(bool)]
    return list(zip(rows["code"], rows["name"], strict=True))


@cached()
def overview(session: Session, filters: Filters):
    tiles = overview_views.overview_tiles(session=session, filters=filters)
    return tiles, rules_views.attention_items(session=session, filters=filters, tiles=tiles)


@cached()
def equity(session: Session, filters: Filters, entity: str, name: str):
    return equity_views.equity_view(session=session, filters=filters, entity=entity, entity_name=name)


@cached()
def funding(session: Session, filters: Filters, definition: OnePlusOneDefinition):
    return funding_views.funding_view(session=session, filters=filters, definition=definition)


def _plan_adopted_on(session: Session) -> dt.date | None:
    """The adoption date of the plan as first adopted, when the store has it."""
    original = versions_views.ordered_versions(session=session)
    adopted = original.iloc[0]["adopted_on"] if not original.empty else None
    return adopted if adopted is not None and not pd.isna(adopted) else None


@cached()
def headcount(session: Session, filters: Filters, entities: list[str]):
    return people_views.headcount_view(
        session=session, filters=filters, entities=list(entities), plan_adopted_on=_plan_adopted_on(session)
    )


@cached()
def membership(session: Session, filters: Filters):
    return people_views.membership_view(session=session, filters=filters)


@cached()
def annual_figures(session: Session, as_of: dt.date, entity: str | None):
    return annual_views.annual_figures(session=session, as_of=as_of, entity=entity)


@cached()
def offices_change(session: Session, filters: Filters):
    return people_views.offices_change(session=session, filters=filters)


@cached()
def receivables(session: Session, entity: str, as_of: dt.date):
    return receivables_views.receivables_view(session=session, entity=entity, as_of=as_of)


@cached(max_entries=32)
def largest_overdue_clients(session: Session, user: CurrentUser | None, entity: str, as_of: dt.date) -> pd.DataFrame:
    """Client names, read through their guard (smartdash.actions). The user is part of the key: a refusal is never
    kept, and a kept answer is only handed to the same user with the same role."""
    return actions.largest_overdue_clients(user, session=session, entity=entity, as_of=as_of)


@cached(max_entries=8)
def versions(session: Session, known_at: dt.date | None = None, chosen: str | None = None):
    return versions_views.versions_view(session=session, known_at=known_at, chosen=chosen)


@cached()
def execution(session: Session, filters: Filters, entity: str, name: str):
    return execution_views.execution_view(
        session=session, filters=filters, entity=entity, entity_name=name, plan_adopted_on=_plan_adopted_on(session)
    )
