"""Since a meeting, and the decisions and actions register, in the reader's language: headings, the tables the
page, the deck, the dossier and the digest all draw, and the watch list's new and worse items."""

from __future__ import annotations

import pandas as pd

from smartdash import formatting
from smartdash.i18n import N_, _, _n
from smartdash.present import tables
from smartdash.provenance import with_origin
from smartdash.views.meetings import SNAPSHOT, Action, IndicatorChange, SinceMeeting, WatchChange

STATUS_WORDS = {"green": N_("green"), "amber": N_("amber"), "red": N_("red"), None: N_("no plan")}
STATUS_ICONS = {"green": "✓", "amber": "▲", "red": "✗", None: "·"}  # the status in a shape as well as a word
ACTION_STATES = {"open": N_("open"), "done": N_("done"), "cancelled": N_("cancelled")}


def status_text(status: str | None, lang: str) -> str:
    """A status as an icon and a word, never by colour alone: `▲ orange`."""
    return f"{STATUS_ICONS[status]} {_(lang, STATUS_WORDS[status])}"


def heading(view: SinceMeeting, lang: str) -> str:
    """`Since the meeting of 15 September 2026`, or the absence of a meeting."""
    if view.meeting is None:
        return _(lang, "Since the last meeting")
    return _(lang, "Since the meeting of {held_on}", held_on=formatting.date_long(view.meeting.held_on, lang=lang))


def origin_text(view: SinceMeeting, lang: str) -> str:
    """Where the "then" values come from, and the dates compared."""
    if view.meeting is None:
        as_of = formatting.date_long(view.as_of, lang=lang)
        return _(lang, "No meeting held on or before {as_of}: nothing to compare with.", as_of=as_of)
    fields = {
        "then": formatting.date_long(view.meeting.as_of, lang=lang),
        "now": formatting.date_long(view.as_of, lang=lang),
    }
    if view.then_from == SNAPSHOT:
        return _(
            lang, "Figures shown at the meeting (as of {then}, frozen when it closed) against figures as of {now}.", **fields
        )
    return _(
        lang,
        "Figures as of {then}, recomputed from the store as it is now (no snapshot was kept for this meeting), against "
        "figures as of {now}.",
        **fields,
    )


def summary_text(view: SinceMeeting, lang: str) -> str:
    """One line: how many indicators turned amber or red, new or worse watch-list items, loads, open decisions."""
    return _(
        lang,
        "Turned amber or red: {turned} · new or worse on the watch list: {watch} · files loaded: {loads} · decisions "
        "of the meeting still open: {open} of {decisions}",
        turned=len(view.turned),
        watch=len(view.watch),
        loads=len(view.loads),
        open=sum(1 for a in view.decisions if a.status == "open"),
        decisions=len(view.decisions),
    )


def change_text(c: IndicatorChange, lang: str) -> str:
    """The change in the indicator's unit: € for money, points for a rate (U+2212 minus); "no new figure" when the
    value is still the one of the same period."""
    if c.change is None:
        return "—"
    if c.change == 0:
        return _(lang, "no new figure") if c.now_period == c.then_period else "="
    return formatting.change(c.change, c.unit, lang=lang)


def _value_with_date(value, unit: str, day, lang: str) -> str:
    if value is None:
        return "—"
    return f"{formatting.value(value, unit, lang=lang, compact=True)} ({formatting.date_short(day)})"


def status_change_text(c: IndicatorChange, lang: str) -> str:
    """`▲ amber → ✗ red`, with "turned" in words when it got worse."""
    said = f"{status_text(c.then_status, lang)} → {status_text(c.now_status, lang)}"
    if c.turned:
        return _(lang, "{statuses} (worse)", statuses=said)
    return said


def moved(view: SinceMeeting) -> list[IndicatorChange]:
    """The rows with something to say: a new or corrected figure, or a status that changed (what a slide keeps)."""
    return [
        c
        for c in view.changes
        if c.change is None or c.change != 0 or c.now_period != c.then_period or c.now_status != c.then_status
    ]


def changes_table(
    view: SinceMeeting, lang: str, *, origin: bool = False, changes: list[IndicatorChange] | None = None
) -> pd.DataFrame:
    """Per entity and key indicator (or only `changes`): value then and now (each with its date), change, status
    then → now; with `origin`, the "Origine" column of each row (the deck and the dossier mark origins their own
    way)."""
    changes = view.changes if changes is None else changes
    frame = tables.SINCE_MEETING.frame(
        {
            "indicator": [c.labels.render(lang) for c in changes],
            "entity": [c.entity_name for c in changes],
            "then": [_value_with_date(c.then_value, c.unit, c.then_period, lang) for c in changes],
            "now": [
                _value_with_date(c.now_value, c.unit, c.now_period, lang) + (" ✱" if c.is_synthetic else "") for c in changes
            ],
            "change": [change_text(c, lang) for c in changes],
            "statuses": [status_change_text(c, lang) for c in changes],
        },
        lang,
    )
    if not origin:
        return frame
    return with_origin(frame, [c.is_synthetic for c in changes], [c.source for c in changes], lang)


def watch_text(w: WatchChange, lang: str) -> str:
    """`New: …` / `Worse: …`, the item's message in the reader's language."""
    message = w.item.text.render(lang)
    if w.kind == "new":
        return _(lang, "New: {message}", message=message)
    return _(lang, "Worse: {message}", message=message)


def loads_table(view: SinceMeeting, lang: str) -> pd.DataFrame:
    undone = _(lang, "undone")
    return pd.DataFrame(
        [
            [
                formatting.date_short(pd.Timestamp(load.loaded_at).date()),
                load.loaded_by,
                load.file_name + (f" ({undone})" if load.undone else ""),
                _(
                    lang,
                    "{new} new rows, {changed} changed",
                    new=formatting.number(load.rows_inserted, lang=lang),
                    changed=formatting.number(load.rows_updated, lang=lang),
                ),
            ]
            for load in view.loads
        ],
        columns=[_(lang, "On"), _(lang, "By"), _(lang, "File"), _(lang, "Rows")],
    )


def action_state(a: Action, lang: str) -> str:
    """An action's state in words (and a shape): open, overdue since its due date, done or cancelled on a date."""
    if a.status == "open" and a.overdue:
        return "✗ " + _(lang, "overdue since {due}", due=formatting.date_short(a.due_date))
    if a.status == "open":
        return "○ " + _(lang, ACTION_STATES["open"])
    return "✓ " + _(lang, "{state} on {day}", state=_(lang, ACTION_STATES[a.status]), day=formatting.date_short(a.closed_on))


def carried_text(a: Action, lang: str) -> str:
    return "—" if not a.carried else _n(lang, "{count} meeting", "{count} meetings", a.carried, count=a.carried)


def actions_table(actions: list[Action], lang: str) -> pd.DataFrame:
    """The register: each action with its meeting, owner, due date, state at the date and meetings carried over."""
    return tables.DECISIONS.frame(
        {
            "meeting": [formatting.date_short(a.decided_on) for a in actions],
            "text": [a.text for a in actions],
            "owner": [a.owner for a in actions],
            "due": [formatting.date_short(a.due_date) for a in actions],
            "state": [action_state(a, lang) for a in actions],
            "carried": [carried_text(a, lang) for a in actions],
        },
        lang,
    )


def action_line(a: Action, lang: str) -> str:
    """One action in a sentence, for bullets and e-mails."""
    return _(
        lang,
        "{text} — {owner}, due {due}: {state}",
        text=a.text,
        owner=a.owner,
        due=formatting.date_short(a.due_date),
        state=action_state(a, lang),
    )


def meeting_label(meeting, lang: str) -> str:
    """`15 September 2026 — Plan committee (figures as of 31 August 2026)`."""
    return _(
        lang,
        "{held_on} — {title} (figures as of {as_of})",
        held_on=formatting.date_long(meeting.held_on, lang=lang),
        title=meeting.title,
        as_of=formatting.date_long(meeting.as_of, lang=lang),
    )
