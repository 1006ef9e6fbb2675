"""The committee's meetings: notes and decisions, and what a closed meeting was shown against what is known since."""

import datetime as dt

from smartdash import committee, formatting
from smartdash.committee import CommitteeError
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web import board, downloads, session, widgets

session.ensure_app_frame()
lang = session.language()
downloads.start_page()
user = session.current_user()
st.title(_(lang, "Meetings and decisions"))
meetings = board.meetings()
status_words = {"planned": _(lang, "planned"), "held": _(lang, "held"), "closed": _(lang, "closed")}

open_actions = board.decisions(open_only=True)
st.subheader(_(lang, "Open actions"))
if open_actions.empty:
    st.info(_(lang, "No open action."))
else:
    widgets.table(board.decisions_table(open_actions, lang), _(lang, "Open actions"))

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
                    st.error(_(lang, "Refused, expected: ") + err.render(lang))

if meetings.empty:
    st.stop()
labels = {
    int(r.id): f"{formatting.date_long(r.held_on, lang=lang)} — {r.title} ({status_words[r.status]})"
    for r in meetings.itertuples()
}
meeting_id = st.selectbox(_(lang, "Meeting"), list(labels), format_func=labels.get, key="committee_meeting")
meeting = meetings[meetings["id"] == meeting_id].iloc[0]
st.caption(
    _(lang, "Figures as of ")
    + formatting.date_long(meeting["as_of"], lang=lang)
    + (f" · {meeting['attendees']}" if meeting["attendees"] else "")
    + (_(lang, " · demo / synthetic") if meeting["is_synthetic"] else "")
)

notes = board.notes(meeting_id=meeting_id)
st.subheader(_(lang, "Notes"))
for note in notes.itertuples():
    about = " — ".join(x for x in (note.indicator, note.entity) if x)
    byline = f"{note.author} · {note.created_at:%d/%m/%Y %H:%M}" + (f" · {about}" if about else "")
    st.text(byline)
    st.text(note.text)  # plain text: no markdown, no HTML
if user.can("notes") and meeting["status"] != "closed":
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
                st.error(_(lang, "Refused, expected: ") + err.render(lang))

st.subheader(_(lang, "Decisions"))
meeting_decisions = board.decisions(meeting_id=meeting_id)
if not meeting_decisions.empty:
    widgets.table(board.decisions_table(meeting_decisions, lang), _(lang, "Meeting decisions"))
if user.can("notes"):
    with st.form("committee_new_decision", clear_on_submit=True):
        c1, c2, c3 = st.columns([3, 1, 1])
        text = c1.text_input(_(lang, "Decision or action"), key="committee_decision_text")
        owner = c2.text_input(_(lang, "Owner"), key="committee_decision_owner")
        due = c3.date_input(_(lang, "Due"), value=None, format="DD/MM/YYYY", key="committee_decision_due")
        if st.form_submit_button(_(lang, "Add the decision")):
            try:
                board.change(committee.add_decision, meeting_id, text, owner=owner, due_date=due)
                st.rerun()
            except CommitteeError as err:
                st.error(_(lang, "Refused, expected: ") + err.render(lang))
    open_ids = list(meeting_decisions[meeting_decisions["status"] == "open"]["id"]) if not meeting_decisions.empty else []
    if open_ids:
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox(
            _(lang, "Action done"),
            open_ids,
            key="committee_close_decision",
            format_func=lambda i: meeting_decisions.set_index("id").loc[i, "text"],
        )
        if c2.button(_(lang, "Close the action"), key="committee_close_decision_button"):
            board.change(committee.close_decision, int(chosen))
            st.rerun()

st.subheader(_(lang, "As presented"))
if meeting["status"] == "closed":
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
