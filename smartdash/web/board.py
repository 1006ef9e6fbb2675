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
from smartdash.inert import md, st
from smartdash.present import meetings as meetings_text
from smartdash.views import Filters
from smartdash.views import meetings as meetings_views
from smartdash.web import downloads, store, widgets
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


def register_day(f: Filters) -> dt.date | None:
    """The day the meetings page reads its register at: today while the sidebar follows the newest figures (the
    working register, where the next meeting is prepared), else the chosen date (a look back: the meetings held by
    then and each action as it stood, nothing later), returned as the date the page says it looks back to."""
    latest = store.reference()["latest"] or dt.date.today()
    return f.as_of if f.as_of < latest else None


def meetings_known(day: dt.date | None) -> pd.DataFrame:
    """The meetings the page offers: all of them in the working register (`day` None), else those held by `day`."""
    every = meetings()
    return every if day is None else every[every["held_on"] <= day]


@store.cached()
def notes(session: Session, meeting_id: int) -> pd.DataFrame:
    return committee.notes(session=session, meeting_id=meeting_id)


@store.cached()
def decisions(session: Session, meeting_id: int | None = None, open_only: bool = False) -> pd.DataFrame:
    return committee.decisions(session=session, meeting_id=meeting_id, open_only=open_only)


@store.cached()
def presented_and_corrected(session: Session, meeting_id: int) -> pd.DataFrame:
    return committee.presented_and_corrected(session=session, meeting_id=meeting_id)


@store.cached()
def since_meeting(session: Session, filters: Filters, meeting_id: int | None = None) -> meetings_views.SinceMeeting:
    return meetings_views.since_meeting(session=session, filters=filters, meeting_id=meeting_id)


@store.cached()
def held_meetings(session: Session, as_of: dt.date) -> list[meetings_views.MeetingRef]:
    return meetings_views.held_meetings(session=session, as_of=as_of)


@store.cached()
def action_register(session: Session, as_of: dt.date) -> list[meetings_views.Action]:
    return meetings_views.action_register(session=session, as_of=as_of)


@store.cached()
def open_actions(session: Session, as_of: dt.date) -> list[meetings_views.Action]:
    return meetings_views.open_actions(session=session, as_of=as_of)


@store.cached()
def carried_into(session: Session, meeting_id: int) -> list[meetings_views.Action]:
    meeting = meetings_views.meeting_ref(session=session, meeting_id=meeting_id)
    return [] if meeting is None else meetings_views.carried_into(session=session, meeting=meeting)


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
                _(lang, "{state} (late)", state=states[s]) if s == "open" and d and d < today else states[s]
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


def _static_table(frame: pd.DataFrame, name: str) -> None:
    """A short table set as text (read on a projector, by a screen reader, whole without scrolling), with its CSV and
    XLSX downloads. Streamlit reads a static table's cells and headers as markdown: `smartdash.inert` escapes each,
    so a name reads as written and never becomes a link."""
    st.table(widgets.shown_blanks(frame), hide_index=True)
    downloads.table_buttons(frame, name)


WATCH_ICONS = {"red": ":red[:material/error:]", "amber": ":orange[:material/warning:]"}


def since_meeting_section(view: meetings_views.SinceMeeting, lang: str, *, heading: bool = True) -> None:
    """Since the meeting compared with: key indicators then and now, what turned amber or red, the watch list's new
    and worse items, the files loaded since, and the meeting's decisions with their state at the as-of date."""
    if heading:
        st.header(meetings_text.heading(view, lang))
    st.caption(meetings_text.origin_text(view, lang))
    if view.meeting is None:
        return
    tables = _since_tables(view, lang)
    st.markdown(md("{}", meetings_text.summary_text(view, lang)))
    _drawn(tables["changes"])
    st.markdown(md("**{}**", _(lang, "Watch list: new or worse")))
    if view.watch:
        for change in view.watch:
            st.markdown(md(WATCH_ICONS.get(change.item.severity, "") + " {}", meetings_text.watch_text(change, lang)))
    else:
        st.markdown(md("{}", _(lang, "Nothing new or worse on the watch list.")))
    st.markdown(md("**{}**", _(lang, "Files loaded since the meeting")))
    if "loads" in tables:
        _drawn(tables["loads"])
    else:
        st.markdown(md("{}", _(lang, "No file loaded since the meeting.")))
    st.markdown(md("**{}**", _(lang, "Decisions of the meeting and their actions")))
    if "decisions" in tables:
        _drawn(tables["decisions"])
    else:
        st.markdown(md("{}", _(lang, "No decision recorded at this meeting.")))


def keep_since_meeting_tables(view: meetings_views.SinceMeeting, lang: str) -> None:
    """The tables of `since_meeting_section`, not drawn (its section closed), for the page's workbook: made only if
    the workbook is downloaded."""
    if view.meeting is not None:
        for name, make in _since_tables(view, lang).values():
            downloads.keep_table(make, name)


def _since_tables(view: meetings_views.SinceMeeting, lang: str) -> dict[str, tuple[str, Callable[[], pd.DataFrame]]]:
    """The section's tables, by part: each one's name (its sheet's) and the function that makes it. The files loaded
    and the decisions are there only when the meeting has some."""
    tables = {"changes": (_(lang, "Since the meeting"), lambda: meetings_text.changes_table(view, lang, origin=True))}
    if view.loads:
        tables["loads"] = (_(lang, "Files loaded since the meeting"), lambda: meetings_text.loads_table(view, lang))
    if view.decisions:
        tables["decisions"] = (_(lang, "Decisions of the meeting"), lambda: meetings_text.actions_table(view.decisions, lang))
    return tables


def _drawn(table: tuple[str, Callable[[], pd.DataFrame]]) -> None:
    name, make = table
    _static_table(make(), name)


def actions_section(actions: list[meetings_views.Action], lang: str) -> None:
    """Open actions, overdue ones first, each with its state in words."""
    if not actions:
        st.markdown(md("{}", _(lang, "No open action.")))
        return
    for a in actions:
        mark = ":red[:material/schedule:]" if a.overdue else ":blue[:material/task_alt:]"
        st.markdown(md(mark + " {}", meetings_text.action_line(a, lang)))
