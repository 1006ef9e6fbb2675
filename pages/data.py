"""Loading the week's figures: upload, validation, preview, confirm; history and undo; templates and exports."""

from functools import partial

from smartdash import formats, ui
from smartdash.db import StoreError
from smartdash.formats import FileRefused
from smartdash.formatting import number
from smartdash.importing import UndoRefused
from smartdash.inert import st
from smartdash.views import pick

ui.ensure_app_frame()
ui.require_page("import")

lang = ui.language()
st.title(pick(lang, "Chargement des données", "Data loading"))
st.caption(pick(lang, "Un fichier est validé en entier avant tout enregistrement, puis chargé en une seule transaction : "
                      "tout ou rien. Recharger le même fichier ne change rien ; une valeur corrigée remplace l'ancienne, "
                      "qui reste dans l'historique.",
                "A file is validated whole before anything is written, then loaded in one transaction: all or "
                "nothing. Loading the same file again changes nothing; a corrected value replaces the old one, which "
                "stays in the history."))



def confirm(name: str, data: bytes, kind: str | None) -> None:
    """Load the previewed file before the page runs again (so it is not parsed a second time), then offer a fresh
    uploader: the preview of a file just loaded would be stale."""
    try:
        result = ui.import_upload(name, data, kind)
    except FileRefused as refused:  # the store changed since the preview
        st.session_state["data_refused"] = refused.problems
        return
    except StoreError as failed:  # busy, full, read-only, vanished: nothing was written
        st.session_state["data_failed"] = failed.message(lang)
        return
    st.session_state["data_loaded"] = result.line()
    if result.load_id is not None:
        st.session_state["data_undo_id"] = result.load_id  # what one undoes next is what one just loaded
    st.session_state["data_upload_round"] = st.session_state.get("data_upload_round", 0) + 1


def show_refused(problems: list) -> None:
    st.error(pick(lang, f"Refusé : {number(len(problems))} problème(s), rien n'a été enregistré.",
                  f"Refused: {number(len(problems), lang='en')} problem(s), nothing was written."),
             icon=":material/block:")
    st.dataframe(ui.problems_table(problems, lang), hide_index=True)


if "data_loaded" in st.session_state:
    st.success(st.session_state.pop("data_loaded"), icon=":material/check_circle:")
if "data_refused" in st.session_state:
    show_refused(st.session_state.pop("data_refused"))
if "data_failed" in st.session_state:
    st.error(st.session_state.pop("data_failed"), icon=":material/block:")

kinds = [None, *formats.LOAD_ORDER]
upload = st.file_uploader(pick(lang, "Fichier CSV ou XLSX", "CSV or XLSX file"), type=["csv", "txt", "xlsx"],
                          key=f"data_upload_{st.session_state.get('data_upload_round', 0)}")
kind = st.selectbox(pick(lang, "Type de données", "Dataset"), kinds, key="data_kind",
                    format_func=lambda k: pick(lang, "Reconnu d'après les en-têtes", "Recognised from the headers")
                    if k is None else pick(lang, formats.DATASETS[k].title_fr, formats.DATASETS[k].title_en))
if upload is not None:
    data = upload.getvalue()
    try:
        diff, preview = ui.preview_upload(upload.name, data, kind)
    except FileRefused as refused:
        show_refused(refused.problems)
    else:
        st.subheader(pick(lang, "Aperçu", "Preview") + f" — {diff.dataset.title_fr if lang != 'en' else diff.dataset.title_en}")
        c1, c2, c3 = st.columns(3)
        c1.metric(pick(lang, "Nouvelles lignes", "New rows"), number(len(diff.inserts), lang=lang), border=True)
        c2.metric(pick(lang, "Lignes modifiées", "Changed rows"), number(len(diff.updates), lang=lang), border=True)
        c3.metric(pick(lang, "Lignes identiques", "Unchanged rows"), number(diff.unchanged, lang=lang), border=True)
        if diff.deletes:
            removed = number(len(diff.deletes), lang=lang)
            st.warning(pick(lang, f"{removed} créance(s) de la même situation ne figurent plus dans le "
                                  "fichier : elles seront retirées (le fichier est la situation complète à sa date).",
                            f"{removed} item(s) of the same snapshot are no longer in the file: they will "
                            "be removed (the file is the whole snapshot at its date)."), icon=":material/delete:")
        if diff.changes_anything:
            st.dataframe(preview, hide_index=True, column_config={
                "action": pick(lang, "Action", "Action"), "key": pick(lang, "Ligne", "Row"),
                "change": pick(lang, "Ancienne → nouvelle valeur", "Old → new value")})
            st.button(pick(lang, "Charger ce fichier", "Load this file"), type="primary", key="data_confirm",
                      on_click=confirm, args=(upload.name, data, kind))
        else:
            st.info(pick(lang, "Ce fichier est déjà chargé : rien ne changerait.",
                         "This file is already loaded: nothing would change."))

st.subheader(pick(lang, "Historique des chargements", "Load history"))
history = ui.load_history()
if history.empty:
    st.info(pick(lang, "Aucun chargement pour l'instant.", "No load yet."))
else:
    st.dataframe(ui.history_table(history, lang), hide_index=True)
    applied = list(history[history["status"] == "applied"]["id"])
    if applied:
        c1, c2 = st.columns([2, 1])
        labels = dict(zip(history["id"], history["file_name"], strict=True))
        if st.session_state.get("data_undo_id") not in applied:
            st.session_state["data_undo_id"] = applied[0]
        chosen = c1.selectbox(pick(lang, "Chargement à annuler", "Load to undo"), applied, key="data_undo_id",
                              format_func=lambda i: f"n° {i} — {labels[i]}")
        c2.write("")
        if c2.button(pick(lang, "Annuler ce chargement", "Undo this load"), key="data_undo"):
            try:
                count = ui.undo(int(chosen))
                st.success(pick(lang, f"Chargement n° {chosen} annulé : {count} lignes rétablies ou retirées.",
                                f"Load {chosen} undone: {count} rows restored or removed."))
            except UndoRefused as refused:
                st.error(pick(lang, "Annulation refusée : ", "Undo refused: ") + str(refused))

with st.expander(pick(lang, "Modèles de fichiers et exports", "File templates and exports"),
                 icon=":material/download:"):
    st.caption(pick(lang, "Formats détaillés : docs/formats.md. Un export se recharge sans rien changer.",
                    "Formats in detail: docs/formats.md. An export loads back without changing anything."))
    for k in formats.LOAD_ORDER:
        ds = formats.DATASETS[k]
        c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
        c1.write(pick(lang, ds.title_fr, ds.title_en))
        # files are made when asked for, not at every run of the page
        c2.download_button("CSV", partial(formats.template_csv, ds), file_name=f"modele_{ds.file_stem}.csv",
                           mime="text/csv", key=f"data_template_csv_{k}", on_click="ignore")
        c3.download_button("XLSX", partial(formats.template_xlsx, ds), file_name=f"modele_{ds.file_stem}.xlsx",
                           key=f"data_template_xlsx_{k}", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        c4.download_button(pick(lang, "Export", "Export"), ui.dataset_export(k), file_name=f"{ds.file_stem}.csv",
                           mime="text/csv", key=f"data_export_{k}", on_click="ignore")
