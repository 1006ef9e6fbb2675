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



def confirm(name: str, data: bytes, kind: str | None, entity: str | None, removal_key: str) -> None:
    """Load the previewed file before the page runs again (so it is not parsed a second time), then offer a fresh
    uploader: the preview of a file just loaded would be stale."""
    try:
        result = ui.import_upload(name, data, kind, entity,
                                  allow_large_removal=st.session_state.get(removal_key, False))
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
upload = st.file_uploader(pick(lang, "Fichier CSV, XLSX ou FEC", "CSV, XLSX or FEC file"), type=["csv", "txt", "xlsx"],
                          key=f"data_upload_{st.session_state.get('data_upload_round', 0)}")
kind = st.selectbox(pick(lang, "Type de données", "Dataset"), kinds, key="data_kind",
                    format_func=lambda k: pick(lang, "Reconnu d'après les en-têtes", "Recognised from the headers")
                    if k is None else pick(lang, formats.DATASETS[k].title_fr, formats.DATASETS[k].title_en))
fec_entity = None
if upload is not None and ui.is_fec(upload.getvalue()):  # a ledger export: its entity when its name has no SIREN
    entities = list(ui.reference()["entities"]["code"])
    fec_entity = st.selectbox(pick(lang, "Entité de ce FEC", "Entity of this FEC"), [None, *entities],
                              key="data_fec_entity", format_func=lambda c: pick(
                                  lang, "D'après le SIREN du nom de fichier", "From the SIREN in the file name")
                              if c is None else c)
if upload is not None:
    data = upload.getvalue()
    try:
        diff, preview = ui.preview_upload(upload.name, data, kind, fec_entity)
    except FileRefused as refused:
        show_refused(refused.problems)
    else:
        st.subheader(pick(lang, "Aperçu", "Preview") + f" — {diff.dataset.title_fr if lang != 'en' else diff.dataset.title_en}")
        if diff.sheet:
            st.caption(pick(lang, f"Feuille lue : « {diff.sheet} » (la feuille nommée comme les données, sinon la "
                                  "première feuille visible ; une feuille masquée n'est jamais lue).",
                            f"Sheet read: “{diff.sheet}” (the sheet named like the data, else the first visible "
                            "sheet; a hidden sheet is never read)."))
        c1, c2, c3 = st.columns(3)
        c1.metric(pick(lang, "Nouvelles lignes", "New rows"), number(len(diff.inserts), lang=lang), border=True)
        c2.metric(pick(lang, "Lignes modifiées", "Changed rows"), number(len(diff.updates), lang=lang), border=True)
        c3.metric(pick(lang, "Lignes identiques", "Unchanged rows"), number(diff.unchanged, lang=lang), border=True)
        if hasattr(diff, "summary"):  # a ledger export: what it holds and gives
            st.caption(diff.summary.line(lang))
        if diff.deletes and not diff.large_removals:  # a large removal has its own message below
            removed = number(len(diff.deletes), lang=lang)
            st.warning(pick(lang, f"{removed} créance(s) de la même situation ne figurent plus dans le "
                                  "fichier : elles seront retirées (le fichier est la situation complète à sa date).",
                            f"{removed} item(s) of the same snapshot are no longer in the file: they will "
                            "be removed (the file is the whole snapshot at its date)."), icon=":material/delete:")
        for removal in diff.large_removals:
            st.error(pick(lang, f"{removal.line()} seraient retirées : plus d'un cinquième de la situation. Un "
                                "fichier incomplet (export coupé) retirerait ainsi les créances manquantes.",
                          f"{number(removal.removed, lang='en')} of the {number(removal.stored, lang='en')} items of "
                          f"the {removal.entity} snapshot of {removal.as_of:%d/%m/%Y} would be removed: more than a "
                          "fifth of it. An incomplete file (a cut export) would remove the missing items this way."),
                     icon=":material/warning:")
        removal_key = f"data_allow_large_removal_{upload.file_id}"  # a confirmation holds for this upload only
        if diff.large_removals:
            st.checkbox(pick(lang, "Je confirme le retrait de ces créances", "I confirm these items are removed"),
                        key=removal_key)
        if diff.changes_anything:
            st.dataframe(preview, hide_index=True, column_config={
                "action": pick(lang, "Action", "Action"), "key": pick(lang, "Ligne", "Row"),
                "change": pick(lang, "Ancienne → nouvelle valeur", "Old → new value")})
            st.button(pick(lang, "Charger ce fichier", "Load this file"), type="primary", key="data_confirm",
                      on_click=confirm, args=(upload.name, data, kind, fec_entity, removal_key),
                      disabled=bool(diff.large_removals) and not st.session_state.get(removal_key))
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

ui.start_page()  # the tables below get stable download keys
st.subheader(pick(lang, "Écritures comptables (FEC)", "Ledger exports (FEC)"))
st.caption(pick(lang, "Un FEC chargé donne la balance des comptes, les indicateurs de la correspondance des comptes "
                      "(Catalogue) et les créances clients non lettrées. Quand un autre fichier a donné le même "
                      "indicateur pour la même entité et la même date, les deux valeurs sont rapprochées ici.",
                "A loaded FEC gives the trial balance, the indicators of the account mapping (Catalogue) and the "
                "unlettered customer items. Where another file gave the same indicator for the same entity and date, "
                "both values are set side by side here."))
reconciliation = ui.fec_reconciliation_table(lang)
if reconciliation.empty:
    st.info(pick(lang, "Aucune valeur d'un FEC à rapprocher d'un autre fichier.",
                 "No value from an FEC to reconcile with another file."))
else:
    ui.table(reconciliation, pick(lang, "Rapprochement FEC", "FEC reconciliation"))
ledgers = ui.fec_ledger_dates()
if not ledgers.empty:
    snapshots = list(zip(ledgers["entity"], ledgers["as_of"], strict=True))
    entity, as_of = st.selectbox(pick(lang, "Balance des comptes", "Trial balance"), snapshots, key="data_fec_balance",
                                 format_func=lambda s: f"{s[0]} — {s[1]:%d/%m/%Y}")
    ui.table(ui.fec_trial_balance_table(entity, as_of, lang), pick(lang, "Balance des comptes", "Trial balance"))

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
