"""The committee's work on the pages: its meetings, notes, decisions and indicator catalogue (cached reads), the
changes made to them as this session's user, and their tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartdash import committee, formatting, queries
from smartdash.auth import CurrentUser
from smartdash.i18n import _, _p
from smartdash.web import store
from smartdash.web.session import as_user

P = ParamSpec("P")
R = TypeVar("R")


def change(action: Callable[Concatenate[CurrentUser | None, Engine, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """A committee change (`smartdash.committee.add_note`, …), guarded there, as this session's user; every page
    reads the store again afterwards."""
    result = as_user(action, *args, **kwargs)
    store.changed()
    return result


@store.cached()
def meetings(session: Session) -> pd.DataFrame:
    return committee.meetings(session=session)


@store.cached()
def notes(session: Session, meeting_id: int) -> pd.DataFrame:
    return committee.notes(session=session, meeting_id=meeting_id)


@store.cached()
def decisions(session: Session, meeting_id: int | None = None, open_only: bool = False) -> pd.DataFrame:
    return committee.decisions(session=session, meeting_id=meeting_id, open_only=open_only)


@store.cached()
def open_actions(session: Session, as_of: dt.date) -> pd.DataFrame:
    return committee.open_actions(session=session, as_of=as_of)


@store.cached()
def presented_and_corrected(session: Session, meeting_id: int) -> pd.DataFrame:
    return committee.presented_and_corrected(session=session, meeting_id=meeting_id)


@store.cached()
def catalogue(session: Session) -> pd.DataFrame:
    return committee.catalogue(session=session)


@store.cached()
def indicator_codes(session: Session) -> list[str]:
    return list(queries.indicators(session=session)["code"])


def decisions_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    today = dt.date.today()
    states = {"open": _(lang, "open"), "done": _(lang, "done"), "cancelled": _(lang, "cancelled")}
    return pd.DataFrame(
        {
            _(lang, "Meeting"): [formatting.date_short(d) for d in frame["meeting"]],
            _(lang, "Decision"): frame["text"],
            _(lang, "Owner"): frame["owner"],
            _(lang, "Due"): [formatting.date_short(d) if d else "—" for d in frame["due_date"]],
            _(lang, "State"): [
                states[s] + (_(lang, " (late)") if s == "open" and d and d < today else "")
                for s, d in zip(frame["status"], frame["due_date"], strict=True)
            ],
            _p(lang, "author", "By"): frame["created_by"],
        }
    )


def frozen_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def shown(v, u):
        return formatting.value(v, u, lang=lang) if v is not None else "—"

    return pd.DataFrame(
        {
            _(lang, "Indicator"): frame["label"],
            _(lang, "Entity"): frame["entity"],
            _(lang, "As of"): [formatting.date_short(d) for d in frame["period_end"]],
            _(lang, "Presented"): [shown(v, u) for v, u in zip(frame["presented"], frame["unit"], strict=True)],
            _(lang, "Corrected since"): [shown(v, u) for v, u in zip(frame["corrected"], frame["unit"], strict=True)],
            _p(lang, "plan versions", "Difference"): [
                "" if d is None or d == 0 else shown(d, u) for d, u in zip(frame["difference"], frame["unit"], strict=True)
            ],
        }
    )
