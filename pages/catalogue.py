"""The committee's indicator catalogue: add, change or retire an indicator, and type in its plan values."""

from decimal import Decimal

import pandas as pd

from smartdash import committee, fec_mapping, formats
from smartdash.formats import FileRefused
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web import board, downloads, loads, session, store, widgets

session.ensure_app_frame()
session.require_page("catalogue")
lang = session.language()
downloads.start_page()
st.title(_(lang, "Indicator catalogue"))
st.caption(
    _(
        lang,
        "The committee follows the plan on indicators it defines: one added here shows on the overview and in "
        "the deck with no code change. Retiring one hides it and keeps its history.",
    )
)
catalogue = board.catalogue()
widgets.table(catalogue, _(lang, "Catalogue"))

spec = formats.INDICATORS
codes = list(catalogue["code"]) if not catalogue.empty else []
chosen = st.selectbox(
    _(lang, "Indicator to change"),
    [None, *codes],
    key="catalogue_edit",
    format_func=lambda c: _(lang, "— new indicator —") if c is None else c,
)
current = committee.indicator_record(catalogue, chosen)
suffix = chosen or "new"  # the form's widgets belong to the indicator chosen: choosing another refills them


def choice(column: str, key: str):
    col = spec.column(column)
    options = list(dict.fromkeys(col.choices.values()))
    words = dict(zip(options, col.choice_words(), strict=True))
    value = current.get(column) or col.default or options[0]
    return st.selectbox(column, options, index=options.index(value), format_func=words.get, key=key)


with st.form("catalogue_form"):
    c1, c2, c3 = st.columns(3)
    code = c1.text_input("code", value=chosen or "", disabled=chosen is not None, key=f"catalogue_code_{suffix}")
    label_fr = c2.text_input("libelle_fr", value=current.get("libelle_fr", ""), key=f"catalogue_label_fr_{suffix}")
    label_en = c3.text_input("libelle_en", value=current.get("libelle_en", ""), key=f"catalogue_label_en_{suffix}")
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        unit = choice("unite", f"catalogue_unit_{suffix}")
    with c2:
        direction = choice("sens", f"catalogue_direction_{suffix}")
    with c3:
        frequency = choice("frequence", f"catalogue_frequency_{suffix}")
    with c4:
        mode = choice("mode_seuils", f"catalogue_mode_{suffix}")
    c1, c2, c3, c4 = st.columns(4)
    amber = c1.number_input("seuil_orange", value=float(current.get("seuil_orange") or 5), key=f"catalogue_amber_{suffix}")
    red = c2.number_input("seuil_rouge", value=float(current.get("seuil_rouge") or 10), key=f"catalogue_red_{suffix}")
    owner = c3.text_input("responsable", value=current.get("responsable") or "", key=f"catalogue_owner_{suffix}")
    order = c4.number_input("ordre", value=int(current.get("ordre") or 0), step=1, key=f"catalogue_order_{suffix}")
    c1, c2 = st.columns(2)
    key_tile = c1.checkbox(_(lang, "Overview tile (key)"), value=bool(current.get("cle", True)), key=f"catalogue_key_{suffix}")
    active = c2.checkbox(
        _(lang, "Active (untick to retire)"), value=bool(current.get("actif", True)), key=f"catalogue_active_{suffix}"
    )
    description = st.text_area("description", value=current.get("description") or "", key=f"catalogue_description_{suffix}")
    if st.form_submit_button(_(lang, "Save the indicator"), type="primary"):
        record = {
            "code": (chosen or code).strip(),
            "libelle_fr": label_fr,
            "libelle_en": label_en,
            "unite": unit,
            "sens": direction,
            "frequence": frequency,
            "responsable": owner or None,
            "mode_seuils": mode,
            "seuil_orange": Decimal(str(amber)),
            "seuil_rouge": Decimal(str(red)),
            "cle": key_tile,
            "actif": active,
            "ordre": int(order),
            "description": description or None,
        }
        try:
            result = board.change(committee.save_indicator, record)
            st.success(result.line(lang))
        except FileRefused as refused:
            st.error(_(lang, "Refused:"))
            st.dataframe(loads.problems_table(refused.problems, lang), hide_index=True)

st.header(_(lang, "Plan values"))
reference = store.reference()
versions = list(reference["versions"]["code"])
entities = list(reference["entities"]["code"])
if codes and versions:
    c1, c2, c3 = st.columns(3)
    indicator = c1.selectbox(_(lang, "Indicator"), codes, key="catalogue_plan_indicator")
    version = c2.selectbox(_(lang, "Plan version"), versions, key="catalogue_plan_version")
    entity = c3.selectbox(_(lang, "Entity"), entities, key="catalogue_plan_entity")
    edited = st.data_editor(
        pd.DataFrame({"fin_periode": pd.Series([], dtype="object"), "valeur": pd.Series([], dtype="float")}),
        num_rows="dynamic",
        key="catalogue_plan_rows",
        column_config={
            "fin_periode": st.column_config.DateColumn("fin_periode", format="DD/MM/YYYY"),
            "valeur": st.column_config.NumberColumn("valeur"),
        },
    )
    if st.button(_(lang, "Save these plan values"), key="catalogue_plan_save"):
        rows = [
            (entity, day, Decimal(str(value)))
            for day, value in zip(edited["fin_periode"], edited["valeur"], strict=True)
            if day is not None and not pd.isna(value)
        ]
        try:
            result = board.change(committee.save_plan_values, indicator=indicator, version=version, values=rows)
            st.success(result.line(lang))
        except FileRefused as refused:
            st.dataframe(loads.problems_table(refused.problems, lang), hide_index=True)

st.header(_(lang, "Account mapping (FEC)"))
st.caption(
    _(
        lang,
        "Which accounts make each indicator derived from an FEC (default: the French chart of accounts). An "
        "account counts under the indicator's longest prefix covering it; quasi-equity is never added to "
        "equity. Details: docs/formats.md.",
    )
)
words = {**fec_mapping.SIDE_WORDS, **fec_mapping.RULE_WORDS, **fec_mapping.MEASURE_WORDS}
edited_mapping = st.data_editor(
    loads.fec_mapping_frame(),
    num_rows="dynamic",
    hide_index=True,
    key="catalogue_fec_mapping",
    column_config={
        "indicator": st.column_config.SelectboxColumn(_(lang, "Indicator"), options=codes, required=True),
        "prefix": st.column_config.TextColumn(_(lang, "Accounts (prefix)"), required=True),
        **{
            column: st.column_config.SelectboxColumn(
                label, options=list(choices), required=True, default=default, format_func=lambda code: _(lang, words[code])
            )
            for column, label, choices, default in (
                ("side", _(lang, "Positive side"), fec_mapping.SIDE_WORDS, "credit"),
                ("rule", _(lang, "Rule"), fec_mapping.RULE_WORDS, "net"),
                ("measure", _(lang, "Measure"), fec_mapping.MEASURE_WORDS, "balance"),
            )
        },
    },
)
if st.button(_(lang, "Save the mapping"), key="catalogue_fec_mapping_save"):
    try:
        count = loads.save_fec_mapping(edited_mapping)
        st.success(_(lang, "Mapping saved: {count} rules.", count=count))
    except fec_mapping.MappingError as err:
        st.error("\n\n".join([_(lang, "Refused, expected:"), *err.render(lang).splitlines()]))
downloads.page_workbook("catalogue")
