"""The committee's meetings: notes and decisions, and what a closed meeting was shown against what is known since."""

import datetime as dt

from smartdash import committee, formatting
from smartdash.committee import CommitteeError
from smartdash.i18n import _
from smartdash.inert import md, st
from smartdash.present import meetings as meetings_text
from smartdash.web import board, downloads, filters, session, widgets

session.ensure_app_frame()
lang = session.language()
downloads.start_page()
user = session.current_user()
st.title(_(lang, "Meetings and decisions"))
status_words = {"planned": _(lang, "planned"), "held": _(lang, "held"), "closed": _(lang, "closed")}

f = filters.chosen()
back = board.register_day(f)  # a date before the newest figures: the register as it stood then, nothing later
day = back or dt.date.today()
meetings = board.meetings_known(back)
if back is not None:
    st.caption(
        _(
            lang,
            "As known on {day}: the meetings held by then, and each action as it stood then.",
            day=formatting.date_long(back, lang=lang),
        )
    )
register = board.action_register(day)  # every action in its state on that day
open_actions = [a for a in register if a.status == "open"]
st.header(_(lang, "Open actions"))
if not open_actions:
    st.info(_(lang, "No open action."))
else:
    widgets.table(meetings_text.actions_table(open_actions, lang), _(lang, "Open actions"))
    if user.can("notes"):
        c1, c2, c3 = st.columns([3, 1, 1])
        chosen_action = c1.selectbox(
            _(lang, "Action"),
            [a.id for a in open_actions],
            key="committee_close_decision",
            format_func={a.id: meetings_text.action_line(a, lang) for a in open_actions}.get,
        )
        outcome = c2.selectbox(
            _(lang, "Outcome"),
            list(committee.CLOSING_STATES),
            key="committee_close_outcome",
            format_func=lambda state: _(lang, meetings_text.ACTION_STATES[state]),
        )
        if c3.button(_(lang, "Close the action"), key="committee_close_decision_button"):
            board.change(committee.close_decision, int(chosen_action), outcome)
            st.rerun()
        with st.form("committee_update_action"):
            action = next(a for a in open_actions if a.id == chosen_action)
            c1, c2, c3 = st.columns([2, 1, 1])
            owner = c1.text_input(_(lang, "New owner (empty: unchanged)"), key=f"committee_action_owner_{action.id}")
            due = c2.date_input(
                _(lang, "Due"), value=action.due_date, format="DD/MM/YYYY", key=f"committee_action_due_{action.id}"
            )
            if c3.form_submit_button(_(lang, "Update the action")):
                try:
                    board.change(committee.update_action, int(chosen_action), owner=owner or None, due_date=due)
                    st.rerun()
                except CommitteeError as err:
                    st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))
with st.expander(_(lang, "Decisions and actions register, every meeting"), icon=":material/checklist:"):
    if register:
        widgets.table(meetings_text.actions_table(register, lang), _(lang, "Decisions and actions register"))
    else:
        st.markdown(md("{}", _(lang, "No decision recorded yet.")))

if user.can("notes"):
    with st.expander(_(lang, "New meeting"), icon=":material/add:"):
        with st.form("committee_new_meeting", clear_on_submit=True):
            c1, c2 = st.columns(2)
            held_on = c1.date_input(_(lang, "Meeting date"), format="DD/MM/YYYY", key="committee_new_held_on")
            as_of = c2.date_input(
                _(lang, "Figures as of"),
                format="DD/MM/YYYY",
                key="committee_new_as_of",
                value=dt.date.today().replace(day=1) - dt.timedelta(days=1),
            )
            title = st.text_input(_(lang, "Title"), key="committee_new_title", value=_(lang, "Plan committee"))
            attendees = st.text_input(_(lang, "Attendees"), key="committee_new_attendees")
            if st.form_submit_button(_(lang, "Create the meeting")):
                try:
                    board.change(committee.add_meeting, held_on=held_on, as_of=as_of, title=title, attendees=attendees)
                    st.rerun()
                except CommitteeError as err:
                    st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

if meetings.empty:
    if back is not None:
        st.info(_(lang, "No meeting held on or before {day}.", day=formatting.date_long(back, lang=lang)))
    st.stop()
labels = {
    int(r.id): f"{formatting.date_long(r.held_on, lang=lang)} — {r.title} ({status_words[r.status]})"
    for r in meetings.itertuples()
}
held = board.held_meetings(day)
opening = list(labels).index(held[0].id) if held else 0  # the last meeting held, not the next, empty one
meeting_id = st.selectbox(_(lang, "Meeting"), list(labels), index=opening, format_func=labels.get, key="committee_meeting")
meeting = meetings[meetings["id"] == meeting_id].iloc[0]
closed = meeting["status"] == "closed"
if closed:
    st.info(_(lang, "This meeting is closed: its notes, decisions and figures are read-only."), icon=":material/lock:")
st.caption(
    _(lang, "Figures as of {day}", day=formatting.date_long(meeting["as_of"], lang=lang))
    + (f" · {meeting['attendees']}" if meeting["attendees"] else "")
    + (" · " + _(lang, "demo / synthetic") if meeting["is_synthetic"] else "")
)

notes = board.notes(meeting_id=meeting_id)
st.header(_(lang, "Notes"))
if notes.empty:
    st.markdown(md("{}", _(lang, "No note.")))
for note in notes.itertuples():
    about = " — ".join(x for x in (note.indicator, note.entity) if x)
    byline = f"{note.author} · {note.created_at:%d/%m/%Y %H:%M}" + (f" · {about}" if about else "")
    st.text(byline)
    st.text(note.text)  # plain text: no markdown, no HTML
if user.can("notes") and not closed:
    with st.form("committee_new_note", clear_on_submit=True):
        text = st.text_area(_(lang, "New note"), key="committee_note_text")
        indicator = st.selectbox(
            _(lang, "About indicator"),
            [None, *board.indicator_codes()],
            key="committee_note_indicator",
            format_func=lambda c: "—" if c is None else c,
        )
        if st.form_submit_button(_(lang, "Add the note")):
            try:
                board.change(committee.add_note, meeting_id, text, indicator=indicator)
                st.rerun()
            except CommitteeError as err:
                st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

st.header(_(lang, "Decisions"))
meeting_decisions = [a for a in register if a.meeting_id == meeting_id]
if meeting_decisions:
    widgets.table(meetings_text.actions_table(meeting_decisions, lang), _(lang, "Meeting decisions"))
else:
    st.markdown(md("{}", _(lang, "No decision recorded at this meeting.")))
carried = board.carried_into(meeting_id)
if carried:
    st.markdown(md("**{}**", _(lang, "Actions carried over from earlier meetings")))
    widgets.table(meetings_text.actions_table(carried, lang), _(lang, "Actions carried over"))
if user.can("notes") and not closed:
    with st.form("committee_new_decision", clear_on_submit=True):
        c1, c2, c3 = st.columns([3, 1, 1])
        text = c1.text_input(_(lang, "Decision or action"), key="committee_decision_text")
        owner = c2.text_input(_(lang, "Owner"), key="committee_decision_owner")
        due_text = widgets.optional_date(c3, _(lang, "Due"), key="committee_decision_due", lang=lang)
        if st.form_submit_button(_(lang, "Add the decision")):
            try:
                due = widgets.typed_date(due_text)
            except ValueError:
                st.error(_(lang, "Due date not understood: write it as DD/MM/YYYY (31/12/2026), or leave it empty."))
            else:
                try:
                    board.change(committee.add_decision, meeting_id, text, owner=owner, due_date=due)
                    st.rerun()
                except CommitteeError as err:
                    st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

board.since_meeting_section(board.since_meeting(f, meeting_id), lang)

st.header(_(lang, "As presented"))
if closed:
    frozen = board.presented_and_corrected(meeting_id=meeting_id)
    if frozen.empty:
        st.info(_(lang, "This meeting was closed without a snapshot."))
    else:
        st.caption(
            _(lang, "The figures shown at the meeting, frozen when it was closed, and the same figures as corrected since.")
        )
        widgets.table(board.frozen_table(frozen, lang), _(lang, "Presented and corrected"))
elif user.can("notes"):
    st.caption(
        _(lang, "Closing the meeting freezes the figures shown: later corrections do not change them and show beside them.")
    )
    if st.button(_(lang, "Close the meeting"), key="committee_close_meeting"):
        count = board.change(committee.close_meeting, meeting_id)
        st.success(_(lang, "Meeting closed: {count} figures frozen.", count=count))
downloads.page_workbook("reunions")
