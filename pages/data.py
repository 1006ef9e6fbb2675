"""Loading the week's figures: upload, validation, preview, confirm; history and undo; templates and exports."""

from functools import partial

from smartdash import formats
from smartdash.db import StoreError
from smartdash.formats import FileRefused
from smartdash.formatting import number
from smartdash.i18n import _, _n, bilingual
from smartdash.importing import UndoRefused, preview_shown
from smartdash.inert import st
from smartdash.web import downloads, exports, loads, session, store, widgets

session.ensure_app_frame()
session.require_page("import")

lang = session.language()
st.title(_(lang, "Data loading"))
st.caption(
    _(
        lang,
        "A file is validated whole before anything is written, then loaded in one transaction: all or "
        "nothing. Loading the same file again changes nothing; a corrected value replaces the old one, which "
        "stays in the history.",
    )
)


def confirm(name: str, data: bytes, kind: str | None, entity: str | None, removal_key: str) -> None:
    """Load the previewed file before the page runs again (so it is not parsed a second time), then offer a fresh
    uploader: the preview of a file just loaded would be stale."""
    try:
        result = loads.import_upload(
            name, data, kind, entity, allow_large_removal=st.session_state.get(removal_key, False), lang=lang
        )
    except FileRefused as refused:  # the store changed since the preview
        st.session_state["data_refused"] = refused.problems
        return
    except StoreError as failed:  # busy, full, read-only, vanished: nothing was written
        st.session_state["data_failed"] = failed.message(lang)
        return
    st.session_state["data_loaded"] = result.line(lang)
    if result.load_id is not None:
        st.session_state["data_undo_id"] = result.load_id  # what one undoes next is what one just loaded
    st.session_state["data_upload_round"] = st.session_state.get("data_upload_round", 0) + 1


def show_refused(problems: list) -> None:
    st.error(
        _n(
            lang,
            "Refused: {n_problems} problem, nothing was written.",
            "Refused: {n_problems} problems, nothing was written.",
            len(problems),
            n_problems=number(len(problems), lang=lang),
        ),
        icon=":material/block:",
    )
    st.dataframe(loads.problems_table(problems, lang), hide_index=True)


if "data_loaded" in st.session_state:
    st.success(st.session_state.pop("data_loaded"), icon=":material/check_circle:")
if "data_refused" in st.session_state:
    show_refused(st.session_state.pop("data_refused"))
if "data_failed" in st.session_state:
    st.error(st.session_state.pop("data_failed"), icon=":material/block:")

kinds = [None, *formats.LOAD_ORDER]
upload = widgets.file_upload(
    _(lang, "CSV, XLSX or FEC file"),
    types=["csv", "txt", "xlsx"],
    key=f"data_upload_{st.session_state.get('data_upload_round', 0)}",
    lang=lang,
)
kind = st.selectbox(
    _(lang, "Dataset"),
    kinds,
    key="data_kind",
    format_func=lambda k: (
        _(lang, "Recognised from the headers")
        if k is None
        else bilingual(lang, formats.DATASETS[k].title_fr, formats.DATASETS[k].title_en)
    ),
)
fec_entity = None
if upload is not None and loads.is_fec(upload.getvalue()):  # a ledger export: its entity when its name has no SIREN
    entities = list(store.reference()["entities"]["code"])
    fec_entity = st.selectbox(
        _(lang, "Entity of this FEC"),
        [None, *entities],
        key="data_fec_entity",
        format_func=lambda c: _(lang, "From the SIREN in the file name") if c is None else c,
    )
if upload is not None:
    data = upload.getvalue()
    try:
        diff, preview = loads.preview_upload(upload.name, data, kind, fec_entity, lang=lang)
    except FileRefused as refused:
        show_refused(refused.problems)
    else:
        st.header(_(lang, "Preview") + f" — {diff.dataset.title_fr if lang != 'en' else diff.dataset.title_en}")
        if diff.sheet:
            st.caption(
                _(
                    lang,
                    "Sheet read: “{sheet}” (the sheet named like the data, else the first visible "
                    "sheet; a hidden sheet is never read).",
                    sheet=diff.sheet,
                )
            )
        c1, c2, c3 = st.columns(3)
        c1.metric(_(lang, "New rows"), number(len(diff.inserts), lang=lang), border=True)
        c2.metric(_(lang, "Changed rows"), number(len(diff.updates), lang=lang), border=True)
        c3.metric(_(lang, "Unchanged rows"), number(diff.unchanged, lang=lang), border=True)
        if hasattr(diff, "summary"):  # a ledger export: what it holds and gives
            st.caption(diff.summary.line(lang))
        if diff.deletes and not diff.large_removals:  # a large removal has its own message below
            removed = number(len(diff.deletes), lang=lang)
            st.warning(
                _n(
                    lang,
                    "{removed} item of the same snapshot is no longer in the file: it will "
                    "be removed (the file is the whole snapshot at its date).",
                    "{removed} items of the same snapshot are no longer in the file: they will "
                    "be removed (the file is the whole snapshot at its date).",
                    len(diff.deletes),
                    removed=removed,
                ),
                icon=":material/delete:",
            )
        for removal in diff.large_removals:
            st.error(
                _(
                    lang,
                    "{removed} of the {stored} items of the {entity} snapshot of {as_of:%d/%m/%Y} would be "
                    "removed: more than a fifth of it. An incomplete file (a cut export) would remove the "
                    "missing items this way.",
                    removed=number(removal.removed, lang=lang),
                    stored=number(removal.stored, lang=lang),
                    entity=removal.entity,
                    as_of=removal.as_of,
                ),
                icon=":material/warning:",
            )
        removal_key = f"data_allow_large_removal_{upload.file_id}"  # a confirmation holds for this upload only
        if diff.large_removals:
            st.checkbox(_(lang, "I confirm these items are removed"), key=removal_key)
        if diff.changes_anything:
            st.dataframe(
                preview_shown(preview, lang),
                hide_index=True,
                column_config={
                    "action": st.column_config.TextColumn(_(lang, "Action"), width="small"),
                    "key": st.column_config.TextColumn(_(lang, "Row"), width="medium"),
                    "change": st.column_config.TextColumn(_(lang, "Old → new value"), width="large"),
                },
            )
            st.button(
                _(lang, "Load this file"),
                type="primary",
                key="data_confirm",
                on_click=confirm,
                args=(upload.name, data, kind, fec_entity, removal_key),
                disabled=bool(diff.large_removals) and not st.session_state.get(removal_key),
            )
        else:
            st.info(_(lang, "This file is already loaded: nothing would change."))

st.header(_(lang, "Load history"))
history = loads.load_history()
if history.empty:
    st.info(_(lang, "No load yet."))
else:
    st.dataframe(loads.history_table(history, lang), hide_index=True)
    applied = list(history[history["status"] == "applied"]["id"])
    if applied:
        labels = dict(zip(history["id"], history["file_name"], strict=True))
        if st.session_state.get("data_undo_id") not in applied:  # no default: never the demo's own load unasked
            st.session_state.pop("data_undo_id", None)
        chosen = st.selectbox(
            _(lang, "Load to undo"),
            applied,
            key="data_undo_id",
            index=None,
            placeholder=_(lang, "Choose a load"),
            format_func=lambda i: _(lang, "no. {number} — {file}", number=i, file=labels[i]),
        )
        # below the choice, not beside it: a third of a tablet's column cut the button's words
        if st.button(_(lang, "Undo this load…"), key="data_undo", disabled=chosen is None):
            st.session_state["data_undo_asked"] = chosen
        if chosen is not None and st.session_state.get("data_undo_asked") == chosen:
            st.warning(
                _(
                    lang,
                    "Undo load no. {number} ({file})? Its rows are removed and the values it replaced come back; "
                    "the pages show the figures as before this load.",
                    number=chosen,
                    file=labels[chosen],
                ),
                icon=":material/undo:",
            )
            yes, no = st.columns(2)
            if yes.button(_(lang, "Yes, undo load no. {number}", number=chosen), key="data_undo_confirm", type="primary"):
                st.session_state.pop("data_undo_asked", None)
                try:
                    count = loads.undo(int(chosen))
                    st.success(_(lang, "Load {chosen} undone: {count} rows restored or removed.", chosen=chosen, count=count))
                except UndoRefused as refused:
                    st.error(_(lang, "Undo refused: {reason}", reason=refused.render(lang)))
            if no.button(_(lang, "No, keep it"), key="data_undo_cancel"):
                st.session_state.pop("data_undo_asked", None)
                st.rerun()

downloads.start_page()  # the tables below get stable download keys
st.header(_(lang, "Ledger exports (FEC)"))
st.caption(
    _(
        lang,
        "A loaded FEC gives the trial balance, the indicators of the account mapping (Catalogue) and the "
        "unlettered customer items. Where another file gave the same indicator for the same entity and date, "
        "both values are set side by side here.",
    )
)
reconciliation = loads.fec_reconciliation_table(lang)
if reconciliation.empty:
    st.info(_(lang, "No value from an FEC to reconcile with another file."))
else:
    widgets.table(reconciliation, _(lang, "FEC reconciliation"))
ledgers = loads.fec_ledger_dates()
if not ledgers.empty:
    snapshots = list(zip(ledgers["entity"], ledgers["as_of"], strict=True))
    entity, as_of = st.selectbox(
        _(lang, "Trial balance"), snapshots, key="data_fec_balance", format_func=lambda s: f"{s[0]} — {s[1]:%d/%m/%Y}"
    )
    widgets.table(loads.fec_trial_balance_table(entity, as_of, lang), _(lang, "Trial balance"))

with st.expander(_(lang, "File templates and exports"), icon=":material/download:"):
    st.caption(_(lang, "Formats in detail: docs/formats.md. An export loads back without changing anything."))
    for k in formats.LOAD_ORDER:
        ds = formats.DATASETS[k]
        c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
        c1.write(bilingual(lang, ds.title_fr, ds.title_en))
        # files are made when asked for, not at every run of the page
        c2.download_button(
            "CSV",
            partial(formats.template_csv, ds),
            file_name=f"modele_{ds.file_stem}.csv",
            mime="text/csv",
            key=f"data_template_csv_{k}",
            on_click="ignore",
        )
        c3.download_button(
            "XLSX",
            partial(formats.template_xlsx, ds),
            file_name=f"modele_{ds.file_stem}.xlsx",
            key=f"data_template_xlsx_{k}",
            on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        c4.download_button(
            _(lang, "Export"),
            exports.dataset_export(k),
            file_name=f"{ds.file_stem}.csv",
            mime="text/csv",
            key=f"data_export_{k}",
            on_click="ignore",
        )
