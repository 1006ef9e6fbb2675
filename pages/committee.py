"""The committee's meetings: notes and decisions, and what a closed meeting was shown against what is known since."""

import datetime as dt

from smartdash import formatting, ui
from smartdash.committee import CommitteeError
from smartdash.inert import st
from smartdash.views import pick

ui.ensure_app_frame()
lang = ui.language()
ui.start_page()
user = ui.current_user()
st.title(pick(lang, "Réunions et décisions", "Meetings and decisions"))
meetings = ui.committee_read("meetings")
status_words = {"planned": pick(lang, "prévue", "planned"), "held": pick(lang, "tenue", "held"),
                "closed": pick(lang, "close", "closed")}

open_actions = ui.committee_read("decisions", open_only=True)
st.subheader(pick(lang, "Actions ouvertes", "Open actions"))
if open_actions.empty:
    st.info(pick(lang, "Aucune action ouverte.", "No open action."))
else:
    ui.table(ui.decisions_table(open_actions, lang), pick(lang, "Actions ouvertes", "Open actions"))

if user.can("notes"):
    with st.expander(pick(lang, "Nouvelle réunion", "New meeting"), icon=":material/add:"):
        with st.form("committee_new_meeting", clear_on_submit=True):
            c1, c2 = st.columns(2)
            held_on = c1.date_input(pick(lang, "Date de la réunion", "Meeting date"), format="DD/MM/YYYY",
                                    key="committee_new_held_on")
            as_of = c2.date_input(pick(lang, "Chiffres au", "Figures as of"), format="DD/MM/YYYY",
                                  key="committee_new_as_of", value=dt.date.today().replace(day=1) - dt.timedelta(days=1))
            title = st.text_input(pick(lang, "Titre", "Title"), key="committee_new_title",
                                  value=pick(lang, "Comité de suivi du plan", "Plan committee"))
            attendees = st.text_input(pick(lang, "Participants", "Attendees"), key="committee_new_attendees")
            if st.form_submit_button(pick(lang, "Créer la réunion", "Create the meeting")):
                try:
                    ui.committee_call("add_meeting", held_on=held_on, as_of=as_of, title=title, attendees=attendees)
                    st.rerun()
                except CommitteeError as err:
                    st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))

if meetings.empty:
    st.stop()
labels = {int(r.id): f"{formatting.date_long(r.held_on, lang=lang)} — {r.title} ({status_words[r.status]})"
          for r in meetings.itertuples()}
meeting_id = st.selectbox(pick(lang, "Réunion", "Meeting"), list(labels), format_func=labels.get,
                          key="committee_meeting")
meeting = meetings[meetings["id"] == meeting_id].iloc[0]
st.caption(pick(lang, "Chiffres au ", "Figures as of ") + formatting.date_long(meeting["as_of"], lang=lang)
           + (f" · {meeting['attendees']}" if meeting["attendees"] else "")
           + (pick(lang, " · démo / synthétique", " · demo / synthetic") if meeting["is_synthetic"] else ""))

notes = ui.committee_read("notes", meeting_id=meeting_id)
st.subheader(pick(lang, "Notes", "Notes"))
for note in notes.itertuples():
    about = " — ".join(x for x in (note.indicator, note.entity) if x)
    byline = f"{note.author} · {note.created_at:%d/%m/%Y %H:%M}" + (f" · {about}" if about else "")
    st.text(byline)
    st.text(note.text)  # plain text: no markdown, no HTML
if user.can("notes") and meeting["status"] != "closed":
    with st.form("committee_new_note", clear_on_submit=True):
        text = st.text_area(pick(lang, "Nouvelle note", "New note"), key="committee_note_text")
        indicator = st.selectbox(pick(lang, "Indicateur concerné", "About indicator"), [None, *ui.indicator_codes()],
                                 key="committee_note_indicator", format_func=lambda c: "—" if c is None else c)
        if st.form_submit_button(pick(lang, "Ajouter la note", "Add the note")):
            try:
                ui.committee_call("add_note", meeting_id, text, indicator=indicator)
                st.rerun()
            except CommitteeError as err:
                st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))

st.subheader(pick(lang, "Décisions", "Decisions"))
meeting_decisions = ui.committee_read("decisions", meeting_id=meeting_id)
if not meeting_decisions.empty:
    ui.table(ui.decisions_table(meeting_decisions, lang), pick(lang, "Décisions de la réunion", "Meeting decisions"))
if user.can("notes"):
    with st.form("committee_new_decision", clear_on_submit=True):
        c1, c2, c3 = st.columns([3, 1, 1])
        text = c1.text_input(pick(lang, "Décision ou action", "Decision or action"), key="committee_decision_text")
        owner = c2.text_input(pick(lang, "Responsable", "Owner"), key="committee_decision_owner")
        due = c3.date_input(pick(lang, "Échéance", "Due"), value=None, format="DD/MM/YYYY", key="committee_decision_due")
        if st.form_submit_button(pick(lang, "Ajouter la décision", "Add the decision")):
            try:
                ui.committee_call("add_decision", meeting_id, text, owner=owner, due_date=due)
                st.rerun()
            except CommitteeError as err:
                st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))
    open_ids = list(meeting_decisions[meeting_decisions["status"] == "open"]["id"]) if not meeting_decisions.empty else []
    if open_ids:
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox(pick(lang, "Action terminée", "Action done"), open_ids, key="committee_close_decision",
                              format_func=lambda i: meeting_decisions.set_index("id").loc[i, "text"])
        if c2.button(pick(lang, "Clore l'action", "Close the action"), key="committee_close_decision_button"):
            ui.committee_call("close_decision", int(chosen))
            st.rerun()

st.subheader(pick(lang, "Tel que présenté", "As presented"))
if meeting["status"] == "closed":
    frozen = ui.committee_read("presented_and_corrected", meeting_id=meeting_id)
    if frozen.empty:
        st.info(pick(lang, "Cette réunion a été close sans chiffres figés.", "This meeting was closed without a snapshot."))
    else:
        st.caption(pick(lang, "Les chiffres montrés à la réunion, figés à sa clôture, et les mêmes chiffres tels que "
                              "corrigés depuis.", "The figures shown at the meeting, frozen when it was closed, and "
                              "the same figures as corrected since."))
        ui.table(ui.frozen_table(frozen, lang), pick(lang, "Présenté et corrigé depuis", "Presented and corrected"))
elif user.can("notes"):
    st.caption(pick(lang, "Clore la réunion fige les chiffres présentés : les corrections ultérieures ne les changent "
                          "pas et apparaissent à côté.", "Closing the meeting freezes the figures shown: later "
                          "corrections do not change them and show beside them."))
    if st.button(pick(lang, "Clore la réunion", "Close the meeting"), key="committee_close_meeting"):
        count = ui.committee_call("close_meeting", meeting_id)
        st.success(pick(lang, f"Réunion close : {count} chiffres figés.", f"Meeting closed: {count} figures frozen."))
ui.page_workbook("reunions")
