"""The committee's own work: its meetings, notes and decisions, the snapshot of what a closed meeting was
shown, and its indicator catalogue. Every change is guarded by role, stamped with who and when, and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from smartdash import auth, formats, importing, models, queries
from smartdash.auth import CurrentUser, require
from smartdash.db import write_scope
from smartdash.i18n import N_, Refusal
from smartdash.views import Filters
from smartdash.views import overview as overview_views


class CommitteeError(Refusal):
    """A request that cannot be done (unknown meeting, meeting already closed, empty text…): what was expected, as a
    message rendered in the reader's language."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _meeting(session: Session, meeting_id: int) -> models.Meeting:
    meeting = session.get(models.Meeting, meeting_id)
    if meeting is None:
        raise CommitteeError(N_("an existing meeting (no. {meeting_id} unknown)"), meeting_id=meeting_id)
    return meeting


def _id_of(session: Session, model, code: str | None) -> int | None:
    if not code:
        return None
    found = session.scalar(select(model.id).where(model.code == code))
    if found is None:
        raise CommitteeError(N_('a known code ("{code}" unknown)'), code=code)
    return found


# --------------------------------------------------------------------------- reads


def meetings(*, session: Session) -> pd.DataFrame:
    """Columns: id, held_on, as_of, title, status, attendees, is_synthetic — newest first."""
    return queries.meetings(session=session, newest_first=True)


def notes(*, session: Session, meeting_id: int) -> pd.DataFrame:
    """Columns: indicator (label or empty), entity (name or empty), text, author, created_at."""
    n = models.MeetingNote
    rows = session.execute(
        select(models.Indicator.label_fr, models.Entity.name, n.text, n.author, n.created_at)
        .outerjoin(models.Indicator, models.Indicator.id == n.indicator_id)
        .outerjoin(models.Entity, models.Entity.id == n.entity_id)
        .where(n.meeting_id == meeting_id)
        .order_by(n.id)
    ).all()
    return queries.frame(rows, ["indicator", "entity", "text", "author", "created_at"])


def decisions(
    *, session: Session, meeting_id: int | None = None, open_only: bool = False, open_at: dt.date | None = None
) -> pd.DataFrame:
    """Columns: id, meeting (date held), text, owner, due_date, status, created_by, created_at, closed_by.

    With `open_at`, the decisions open on that date: taken at a meeting held by then, and not closed by then
    (those closed since are listed as open, as they were)."""
    d = models.Decision
    q = (
        select(d.id, models.Meeting.held_on, d.text, d.owner, d.due_date, d.status, d.created_by, d.created_at, d.closed_by)
        .join(models.Meeting, models.Meeting.id == d.meeting_id)
        .order_by(d.due_date, d.id)
    )
    if meeting_id is not None:
        q = q.where(d.meeting_id == meeting_id)
    if open_only:
        q = q.where(d.status == "open")
    if open_at is not None:
        day_after = dt.datetime.combine(open_at + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        closed_since = d.closed_at.is_not(None) & (d.closed_at >= day_after)
        q = q.where(models.Meeting.held_on <= open_at, (d.status == "open") | closed_since)
    frame = queries.frame(
        session.execute(q).all(),
        ["id", "meeting", "text", "owner", "due_date", "status", "created_by", "created_at", "closed_by"],
    )
    if open_at is not None:  # what was open then reads as open, whatever became of it since
        frame = frame.assign(status="open", closed_by=None)
    return frame


def meeting_for(*, session: Session, as_of: dt.date) -> int | None:
    """The meeting whose figures are as of `as_of`, else the last one before it."""
    frame = meetings(session=session)
    exact = frame[frame["as_of"] == as_of]
    if not exact.empty:
        return int(exact.iloc[0]["id"])
    before = frame[frame["as_of"] <= as_of]
    return None if before.empty else int(before.iloc[0]["id"])


def open_actions(*, session: Session, as_of: dt.date) -> pd.DataFrame:
    """The decisions open for figures as of `as_of` (columns of `decisions()`): those open when the meeting these
    figures are for was held, or at `as_of` when that meeting was held before it; none decided later."""
    meeting_id = meeting_for(session=session, as_of=as_of)
    held = queries.meetings(session=session).set_index("id")["held_on"].get(meeting_id, as_of)
    return decisions(session=session, open_at=max(as_of, held))


# --------------------------------------------------------------------------- changes


def add_meeting(
    user: CurrentUser | None, engine: Engine, *, held_on: dt.date, as_of: dt.date, title: str, attendees: str | None = None
) -> int:
    require(user, "notes")
    if as_of > held_on:
        raise CommitteeError(N_("a figures date on or before the meeting date"))
    with write_scope(engine) as session:
        if session.scalar(select(models.Meeting.id).where(models.Meeting.held_on == held_on)):
            raise CommitteeError(N_("a free date (a meeting is already held on {held_on:%d/%m/%Y})"), held_on=held_on)
        meeting = models.Meeting(
            held_on=held_on,
            as_of=as_of,
            title=title.strip() or "Comité",
            status="planned",
            attendees=attendees,
            is_synthetic=False,
        )
        session.add(meeting)
        session.flush()
        auth.audit(session, user.login, "meeting_added", {"meeting": meeting.id, "held_on": held_on})
        return meeting.id


def add_note(
    user: CurrentUser | None,
    engine: Engine,
    meeting_id: int,
    text: str,
    *,
    indicator: str | None = None,
    entity: str | None = None,
) -> None:
    require(user, "notes")
    if not text.strip():
        raise CommitteeError(N_("a non-empty text"))
    with write_scope(engine) as session:
        meeting = _meeting(session, meeting_id)
        if meeting.status == "closed":
            raise CommitteeError(N_("a meeting not yet closed (its notes are frozen)"))
        session.add(
            models.MeetingNote(
                meeting_id=meeting_id,
                indicator_id=_id_of(session, models.Indicator, indicator),
                entity_id=_id_of(session, models.Entity, entity),
                text=text.strip(),
                author=user.login,
                created_at=_now(),
            )
        )
        auth.audit(session, user.login, "note_added", {"meeting": meeting_id, "indicator": indicator})


def add_decision(
    user: CurrentUser | None,
    engine: Engine,
    meeting_id: int,
    text: str,
    *,
    owner: str,
    due_date: dt.date | None,
    indicator: str | None = None,
) -> None:
    require(user, "notes")
    if not text.strip() or not owner.strip():
        raise CommitteeError(N_("a text and an owner"))
    with write_scope(engine) as session:
        _meeting(session, meeting_id)
        session.add(
            models.Decision(
                meeting_id=meeting_id,
                indicator_id=_id_of(session, models.Indicator, indicator),
                text=text.strip(),
                owner=owner.strip(),
                due_date=due_date,
                status="open",
                created_by=user.login,
                created_at=_now(),
            )
        )
        auth.audit(session, user.login, "decision_added", {"meeting": meeting_id, "owner": owner})


def close_decision(user: CurrentUser | None, engine: Engine, decision_id: int, status: str = "done") -> None:
    require(user, "notes")
    if status not in ("done", "cancelled"):
        raise CommitteeError(N_('a state "done" or "cancelled"'))
    with write_scope(engine) as session:
        decision = session.get(models.Decision, decision_id)
        if decision is None or decision.status != "open":
            raise CommitteeError(N_("an open decision"))
        decision.status, decision.closed_by, decision.closed_at = status, user.login, _now()
        auth.audit(session, user.login, "decision_closed", {"decision": decision_id, "status": status})


def close_meeting(user: CurrentUser | None, engine: Engine, meeting_id: int) -> int:
    """Close a meeting and keep what it showed: the key indicators at its as-of date against the plan in force.
    Returns the number of figures frozen."""
    require(user, "notes")
    with write_scope(engine) as session:
        meeting = _meeting(session, meeting_id)
        if meeting.status == "closed":
            raise CommitteeError(N_("a meeting not yet closed (it already is)"))
        count = _freeze(session, meeting, user.login)
        meeting.status = "closed"
        auth.audit(session, user.login, "meeting_closed", {"meeting": meeting_id, "figures": count})
        return count


def _freeze(session: Session, meeting: models.Meeting, by: str) -> int:
    version = queries.version_in_force(session=session, on=meeting.as_of)  # the plan the meeting's figures were measured by
    tiles = overview_views.overview_tiles(session=session, filters=Filters(None, meeting.as_of, "previous", version))
    now = _now()
    for t in tiles:
        session.add(
            models.MeetingSnapshot(
                meeting_id=meeting.id,
                indicator_code=t.indicator,
                label=t.labels.fr,
                unit=t.unit,
                entity_code=t.entity,
                entity_name=t.entity_name,
                period_end=t.period_end,
                value=t.value,
                plan_value=t.plan_value,
                plan_version=version,
                status=t.status,
                taken_by=by,
                taken_at=now,
            )
        )
    return len(tiles)


def freeze_latest_closed_meeting(engine: Engine, *, by: str) -> int:
    """Give the most recent closed meeting its snapshot when it has none (the demo's meetings arrive closed)."""
    with write_scope(engine) as session:
        meeting = session.scalar(
            select(models.Meeting).where(models.Meeting.status == "closed").order_by(models.Meeting.held_on.desc()).limit(1)
        )
        if meeting is None or session.scalar(
            select(models.MeetingSnapshot.id).where(models.MeetingSnapshot.meeting_id == meeting.id).limit(1)
        ):
            return 0
        return _freeze(session, meeting, by)


def presented_and_corrected(*, session: Session, meeting_id: int) -> pd.DataFrame:
    """What a closed meeting was shown against the same figures as corrected since.
    Columns: label, entity, period_end, unit, presented, corrected, difference (corrected − presented)."""
    s = models.MeetingSnapshot
    rows = session.execute(
        select(s.indicator_code, s.label, s.entity_code, s.entity_name, s.period_end, s.unit, s.value)
        .where(s.meeting_id == meeting_id)
        .order_by(s.id)
    ).all()
    out = []
    for code, label, entity, entity_name, period_end, unit, presented in rows:
        current = (
            queries.observations(session=session, indicators=[code], entities=[entity], until=period_end)
            if period_end
            else pd.DataFrame()
        )
        current = current[current["period_end"] == period_end] if not current.empty else current
        corrected = current.iloc[-1]["value"] if not current.empty else None
        diff = corrected - presented if corrected is not None and presented is not None else None
        out.append(
            {
                "label": label,
                "entity": entity_name,
                "period_end": period_end,
                "unit": unit,
                "presented": presented,
                "corrected": corrected,
                "difference": diff,
            }
        )
    return pd.DataFrame(out, columns=["label", "entity", "period_end", "unit", "presented", "corrected", "difference"])


def meeting_snapshot(*, session: Session, meeting_id: int) -> pd.DataFrame:
    """The key indicators a closed meeting was shown, as frozen when it closed. Columns: indicator_code, label,
    entity_name, unit, period_end, value, plan_value, plan_version, status."""
    sn = models.MeetingSnapshot
    rows = session.execute(
        select(
            sn.indicator_code,
            sn.label,
            sn.entity_name,
            sn.unit,
            sn.period_end,
            sn.value,
            sn.plan_value,
            sn.plan_version,
            sn.status,
        )
        .where(sn.meeting_id == meeting_id)
        .order_by(sn.id)
    ).all()
    return queries.frame(
        rows, ["indicator_code", "label", "entity_name", "unit", "period_end", "value", "plan_value", "plan_version", "status"]
    )


# --------------------------------------------------------------------------- the catalogue


def save_indicator(user: CurrentUser | None, engine: Engine, record: dict) -> importing.LoadResult:
    """Add or change an indicator of the catalogue (columns of the indicators file format), through the same
    validation, history and undo as a file."""
    require(user, "catalogue")
    data = formats.write_csv(formats.INDICATORS, [record]).encode("utf-8")
    [result] = importing.import_files(engine, [("catalogue (saisie).csv", data)], loaded_by=user.login)
    auth.record(engine, user.login, "catalogue_changed", {"indicator": record.get("code")})
    return result


def save_plan_values(
    user: CurrentUser | None, engine: Engine, *, indicator: str, version: str, values: list[tuple[str, dt.date, Decimal]]
) -> importing.LoadResult:
    """Type in plan values (entity, period end, value) of one indicator for one plan version."""
    require(user, "catalogue")
    records = [
        {
            "indicateur": indicator,
            "entite": entity,
            "bureau": None,
            "fin_periode": day,
            "scenario": "plan",
            "version_plan": version,
            "valeur": value,
            "source": f"Saisie de {user.login}",
            "synthetique": False,
        }
        for entity, day, value in values
    ]
    data = formats.write_csv(formats.OBSERVATIONS, records).encode("utf-8")
    [result] = importing.import_files(engine, [("valeurs de plan (saisie).csv", data)], loaded_by=user.login)
    auth.record(engine, user.login, "plan_values_typed", {"indicator": indicator, "version": version, "rows": len(values)})
    return result


def catalogue(*, session: Session) -> pd.DataFrame:
    """Every indicator, retired ones included, with the file-format column names."""
    return pd.DataFrame(importing.export_records(session=session, kind="indicators"))


def indicator_record(catalogue: pd.DataFrame, code: str | None) -> dict:
    """One indicator of `catalogue()` as a dict to fill a form, a missing value as None (never NaN); {} for none."""
    if code is None:
        return {}
    row = catalogue.set_index("code").loc[code].to_dict()
    return {"code": code} | {k: None if not isinstance(v, str | bool) and pd.isna(v) else v for k, v in row.items()}
