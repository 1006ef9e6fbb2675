"""Since a meeting: what moved between the figures a meeting was shown and the figures at the as-of date, and the
register of the committee's decisions and actions as known at that date. Data and codes only (no language)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import importing, queries
from smartdash.i18n import Bilingual
from smartdash.views import Filters
from smartdash.views import overview as overview_views
from smartdash.views import rules as rules_views

RANK = {None: 0, "green": 0, "amber": 1, "red": 2}
SNAPSHOT, RECOMPUTED = "snapshot", "recomputed"  # where the "then" values come from


@dataclass(frozen=True)
class MeetingRef:
    """A meeting as the comparison names it: when it was held and the date of the figures it was shown."""

    id: int
    held_on: dt.date
    as_of: dt.date
    title: str
    status: str
    is_synthetic: bool


@dataclass(frozen=True)
class IndicatorChange:
    """One key indicator of one entity: its value and status at the meeting's figures and at the as-of date."""

    indicator: str
    labels: Bilingual
    unit: str
    entity: str
    entity_name: str
    then_value: Decimal | None
    then_period: dt.date | None
    then_status: str | None
    now_value: Decimal | None
    now_period: dt.date | None
    now_status: str | None
    is_synthetic: bool = False
    source: str | None = None

    @property
    def change(self) -> Decimal | None:
        """Now − then, in the indicator's unit (points for a rate)."""
        if self.now_value is None or self.then_value is None:
            return None
        return self.now_value - self.then_value

    @property
    def turned(self) -> str | None:
        """ "amber" or "red" when the status got worse since the meeting and is now that colour, else None."""
        if self.then_period is None and self.then_status is None:
            return None  # nothing to compare with
        return self.now_status if RANK[self.now_status] > RANK[self.then_status] else None

    @property
    def improved(self) -> bool:
        return RANK[self.now_status] < RANK[self.then_status]


@dataclass(frozen=True)
class WatchChange:
    """An item of the watch list at the as-of date that was not on it at the meeting ("new"), or was there with a
    lower severity ("worse")."""

    kind: str
    item: overview_views.Attention


@dataclass(frozen=True)
class LoadSince:
    """A file loaded after the meeting and on or before the as-of date."""

    id: int
    loaded_at: dt.datetime
    loaded_by: str
    kind: str
    file_name: str
    rows_inserted: int
    rows_updated: int
    undone: bool


@dataclass(frozen=True)
class Action:
    """A decision or action of a meeting, as known at a date: `status` open / done / cancelled at that date,
    `carried` how many later meetings it was carried to while open, `overdue` open past its due date."""

    id: int
    meeting_id: int
    decided_on: dt.date  # the date of the meeting that took it
    text: str
    owner: str
    due_date: dt.date | None
    status: str
    closed_on: dt.date | None
    carried: int
    overdue: bool


@dataclass(frozen=True)
class SinceMeeting:
    """What changed between the meeting compared with and the as-of date. `then_from`: SNAPSHOT when the "then"
    values are the figures frozen when the meeting closed, RECOMPUTED when they are recomputed at its figures' date
    from the store as it is now (no snapshot was kept). The watch list at the meeting is always recomputed."""

    as_of: dt.date
    meeting: MeetingRef | None
    then_from: str
    changes: list[IndicatorChange]
    watch: list[WatchChange]
    loads: list[LoadSince]
    decisions: list[Action]  # the decisions of the meeting compared with, each with its status at the as-of date

    @property
    def turned(self) -> list[IndicatorChange]:
        return [c for c in self.changes if c.turned]

    @property
    def improved(self) -> list[IndicatorChange]:
        return [c for c in self.changes if c.improved]


def _ref(row) -> MeetingRef:
    return MeetingRef(int(row.id), row.held_on, row.as_of, row.title, row.status, bool(row.is_synthetic))


def held_meetings(*, session: Session, as_of: dt.date) -> list[MeetingRef]:
    """The meetings held on or before `as_of` (held or closed, not merely planned), newest first."""
    frame = queries.meetings(session=session, newest_first=True)
    frame = frame[(frame["held_on"] <= as_of) & (frame["status"] != "planned")]
    return [_ref(r) for r in frame.itertuples()]


def meeting_ref(*, session: Session, meeting_id: int) -> MeetingRef | None:
    frame = queries.meetings(session=session)
    found = frame[frame["id"] == meeting_id]
    return None if found.empty else _ref(next(found.itertuples()))


def _known_on(moment: dt.datetime | None, day: dt.date) -> bool:
    """A timestamp on or before the end of `day` (stored in UTC; SQLite gives it back without its zone)."""
    if moment is None or pd.isna(moment):
        return False
    return pd.Timestamp(moment).date() <= day


def action_register(*, session: Session, as_of: dt.date) -> list[Action]:
    """Every decision or action of the meetings held on or before `as_of`, as known then: one closed after `as_of`
    is still open; oldest meeting first."""
    frame = queries.actions(session=session)
    frame = frame[frame["held_on"] <= as_of]
    held = sorted(m.held_on for m in held_meetings(session=session, as_of=as_of))
    out = []
    for r in frame.itertuples():
        closed = _known_on(r.closed_at, as_of) and r.status != "open"
        closed_on = pd.Timestamp(r.closed_at).date() if closed else None
        until = closed_on or as_of
        carried = sum(1 for day in held if r.held_on < day <= until and (closed_on is None or day < closed_on))
        status = r.status if closed else "open"
        due = r.due_date if r.due_date is not None and not pd.isna(r.due_date) else None
        out.append(
            Action(
                id=int(r.id),
                meeting_id=int(r.meeting_id),
                decided_on=r.held_on,
                text=r.text,
                owner=r.owner,
                due_date=due,
                status=status,
                closed_on=closed_on,
                carried=carried,
                overdue=status == "open" and due is not None and due < as_of,
            )
        )
    return out


def open_actions(*, session: Session, as_of: dt.date) -> list[Action]:
    """The actions open at `as_of`, overdue ones first, then by due date."""
    actions = [a for a in action_register(session=session, as_of=as_of) if a.status == "open"]
    return sorted(actions, key=lambda a: (not a.overdue, a.due_date or dt.date.max, a.id))


def carried_into(*, session: Session, meeting: MeetingRef) -> list[Action]:
    """The actions of earlier meetings still open when `meeting` was held: what it carries over."""
    return [
        a
        for a in action_register(session=session, as_of=meeting.held_on)
        if a.status == "open" and a.decided_on < meeting.held_on
    ]


def _tile_key(t) -> tuple[str, str]:
    return (t.indicator, t.entity)


def _watch_key(item: overview_views.Attention) -> tuple:
    """What makes two watch-list items the same matter at two dates: the page, the message and its naming fields
    (who, what), not its figures."""
    names = tuple(sorted((k, v) for k, v in item.text.params.items() if isinstance(v, str)))
    labels = tuple(sorted((k, v.fr) for k, v in item.text.params.items() if isinstance(v, Bilingual)))
    return (item.page, item.text.message, names, labels)


def _watch_changes(then: list[overview_views.Attention], now: list[overview_views.Attention]) -> list[WatchChange]:
    before: dict[tuple, str] = {}
    for item in then:
        key = _watch_key(item)
        before[key] = max(before.get(key, "amber"), item.severity, key=RANK.get)
    out = []
    for item in now:
        key = _watch_key(item)
        if key not in before:
            out.append(WatchChange("new", item))
        elif RANK[item.severity] > RANK[before[key]]:
            out.append(WatchChange("worse", item))
    return out


def _loads_since(session: Session, since: dt.date, as_of: dt.date) -> list[LoadSince]:
    history = importing.load_history(session=session, limit=500)
    out = []
    for r in history.itertuples():
        day = pd.Timestamp(r.loaded_at).date()
        if since < day <= as_of:
            out.append(
                LoadSince(
                    int(r.id),
                    r.loaded_at,
                    r.loaded_by,
                    r.kind,
                    r.file_name,
                    int(r.rows_inserted),
                    int(r.rows_updated),
                    r.status == "undone" and _known_on(r.undone_at, as_of),
                )
            )
    return out


def since_meeting(*, session: Session, filters: Filters, meeting_id: int | None = None) -> SinceMeeting:
    """Per entity and key indicator, the value at the meeting compared with (default: the last one held on or
    before the as-of date) and at the as-of date; the watch list's new and worse items; the loads since the
    meeting; the meeting's decisions with their status at the as-of date. Nothing dated after `filters.as_of`."""
    as_of = filters.as_of
    meeting = None
    if meeting_id is not None:
        meeting = meeting_ref(session=session, meeting_id=meeting_id)
        if meeting is not None and meeting.held_on > as_of:
            meeting = None  # a meeting after the as-of date is not yet known then
    if meeting is None and meeting_id is None:
        held = held_meetings(session=session, as_of=as_of)
        meeting = held[0] if held else None
    if meeting is None:
        return SinceMeeting(as_of, None, RECOMPUTED, [], [], [], [])

    now_filters = Filters(filters.entity, as_of, "previous", filters.plan_version)
    now = overview_views.overview_tiles(session=session, filters=now_filters)
    then_version = queries.version_in_force(session=session, on=meeting.as_of)
    then_filters = Filters(filters.entity, meeting.as_of, "previous", then_version)
    then_tiles = overview_views.overview_tiles(session=session, filters=then_filters)
    snapshot = queries.meeting_snapshot_values(session=session, meeting_id=meeting.id)
    then_from = SNAPSHOT if not snapshot.empty else RECOMPUTED
    then: dict[tuple[str, str], tuple] = {
        _tile_key(t): (t.value, t.period_end, t.status) for t in then_tiles if then_from == RECOMPUTED
    }
    for r in snapshot.itertuples():
        if filters.entity is None or r.entity == filters.entity:
            value = None if r.value is None or pd.isna(r.value) else r.value
            period = None if r.period_end is None or pd.isna(r.period_end) else r.period_end
            then[(r.indicator, r.entity)] = (value, period, r.status if isinstance(r.status, str) else None)

    changes = []
    for t in now:
        then_value, then_period, then_status = then.get(_tile_key(t), (None, None, None))
        changes.append(
            IndicatorChange(
                indicator=t.indicator,
                labels=t.labels,
                unit=t.unit,
                entity=t.entity,
                entity_name=t.entity_name,
                then_value=then_value,
                then_period=then_period,
                then_status=then_status,
                now_value=t.value,
                now_period=t.period_end,
                now_status=t.status,
                is_synthetic=t.is_synthetic,
                source=t.source,
            )
        )
    watch = _watch_changes(
        rules_views.attention_items(session=session, filters=then_filters, tiles=then_tiles),
        rules_views.attention_items(session=session, filters=now_filters, tiles=now),
    )
    decisions = [a for a in action_register(session=session, as_of=as_of) if a.meeting_id == meeting.id]
    return SinceMeeting(as_of, meeting, then_from, changes, watch, _loads_since(session, meeting.held_on, as_of), decisions)
