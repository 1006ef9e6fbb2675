"""The committee's indicator catalogue: add, change or retire an indicator, and type in its plan values."""

from decimal import Decimal

import pandas as pd

from smartdash import fec_mapping, formats, ui
from smartdash.formats import FileRefused
from smartdash.inert import st
from smartdash.views import pick

ui.ensure_app_frame()
ui.require_page("catalogue")
lang = ui.language()
ui.start_page()
st.title(pick(lang, "Catalogue des indicateurs", "Indicator catalogue"))
st.caption(pick(lang, "Le comité suit le plan « sur la base d'indicateurs que celle-ci aura définis » : un indicateur "
                      "ajouté ici apparaît sur la vue d'ensemble et dans le dossier sans changer le code. Retirer un "
                      "indicateur le masque et garde son historique.",
                "The committee follows the plan on indicators it defines: one added here shows on the overview and in "
                "the deck with no code change. Retiring one hides it and keeps its history."))
catalogue = ui.committee_read("catalogue")
ui.table(catalogue, pick(lang, "Catalogue", "Catalogue"))

spec = formats.INDICATORS
codes = list(catalogue["code"]) if not catalogue.empty else []
chosen = st.selectbox(pick(lang, "Indicateur à modifier", "Indicator to change"), [None, *codes], key="catalogue_edit",
                      format_func=lambda c: pick(lang, "— nouvel indicateur —", "— new indicator —") if c is None else c)
current = catalogue.set_index("code").loc[chosen].to_dict() | {"code": chosen} if chosen else {}


def choice(column: str, key: str):
    col = spec.column(column)
    options = list(dict.fromkeys(col.choices.values()))
    words = dict(zip(options, col.choice_words(), strict=True))
    value = current.get(column) or col.default or options[0]
    return st.selectbox(column, options, index=options.index(value), format_func=words.get, key=key)


with st.form("catalogue_form"):
    c1, c2, c3 = st.columns(3)
    code = c1.text_input("code", value=chosen or "", disabled=chosen is not None, key="catalogue_code")
    label_fr = c2.text_input("libelle_fr", value=current.get("libelle_fr", ""), key="catalogue_label_fr")
    label_en = c3.text_input("libelle_en", value=current.get("libelle_en", ""), key="catalogue_label_en")
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        unit = choice("unite", "catalogue_unit")
    with c2:
        direction = choice("sens", "catalogue_direction")
    with c3:
        frequency = choice("frequence", "catalogue_frequency")
    with c4:
        mode = choice("mode_seuils", "catalogue_mode")
    c1, c2, c3, c4 = st.columns(4)
    amber = c1.number_input("seuil_orange", value=float(current.get("seuil_orange") or 5), key="catalogue_amber")
    red = c2.number_input("seuil_rouge", value=float(current.get("seuil_rouge") or 10), key="catalogue_red")
    owner = c3.text_input("responsable", value=current.get("responsable") or "", key="catalogue_owner")
    order = c4.number_input("ordre", value=int(current.get("ordre") or 0), step=1, key="catalogue_order")
    c1, c2 = st.columns(2)
    key_tile = c1.checkbox(pick(lang, "Tuile de la vue d'ensemble (clé)", "Overview tile (key)"),
                           value=bool(current.get("cle", True)), key="catalogue_key")
    active = c2.checkbox(pick(lang, "Actif (décocher pour retirer)", "Active (untick to retire)"),
                         value=bool(current.get("actif", True)), key="catalogue_active")
    description = st.text_area("description", value=current.get("description") or "", key="catalogue_description")
    if st.form_submit_button(pick(lang, "Enregistrer l'indicateur", "Save the indicator"), type="primary"):
        record = {"code": (chosen or code).strip(), "libelle_fr": label_fr, "libelle_en": label_en, "unite": unit,
                  "sens": direction, "frequence": frequency, "responsable": owner or None, "mode_seuils": mode,
                  "seuil_orange": Decimal(str(amber)), "seuil_rouge": Decimal(str(red)), "cle": key_tile,
                  "actif": active, "ordre": int(order), "description": description or None}
        try:
            result = ui.committee_call("save_indicator", record)
            st.success(result.line())
        except FileRefused as refused:
            st.error(pick(lang, "Refusé :", "Refused:"))
            st.dataframe(ui.problems_table(refused.problems, lang), hide_index=True)

st.subheader(pick(lang, "Valeurs de plan", "Plan values"))
reference = ui.reference()
versions = list(reference["versions"]["code"])
entities = list(reference["entities"]["code"])
if codes and versions:
    c1, c2, c3 = st.columns(3)
    indicator = c1.selectbox(pick(lang, "Indicateur", "Indicator"), codes, key="catalogue_plan_indicator")
    version = c2.selectbox(pick(lang, "Version du plan", "Plan version"), versions, key="catalogue_plan_version")
    entity = c3.selectbox(pick(lang, "Entité", "Entity"), entities, key="catalogue_plan_entity")
    edited = st.data_editor(pd.DataFrame({"fin_periode": pd.Series([], dtype="object"),
                                          "valeur": pd.Series([], dtype="float")}),
                            num_rows="dynamic", key="catalogue_plan_rows",
                            column_config={"fin_periode": st.column_config.DateColumn("fin_periode", format="DD/MM/YYYY"),
                                           "valeur": st.column_config.NumberColumn("valeur")})
    if st.button(pick(lang, "Enregistrer ces valeurs de plan", "Save these plan values"), key="catalogue_plan_save"):
        rows = [(entity, day, Decimal(str(value))) for day, value in zip(edited["fin_periode"], edited["valeur"],
                                                                            strict=True)
                if day is not None and not pd.isna(value)]
        try:
            result = ui.committee_call("save_plan_values", indicator=indicator, version=version, values=rows)
            st.success(result.line())
        except FileRefused as refused:
            st.dataframe(ui.problems_table(refused.problems, lang), hide_index=True)

st.subheader(pick(lang, "Correspondance des comptes (FEC)", "Account mapping (FEC)"))
st.caption(pick(lang, "Les comptes qui font chaque indicateur dérivé d'un FEC (par défaut : plan comptable général). Un "
                      "compte compte sous le plus long préfixe de l'indicateur qui le couvre ; les quasi-fonds propres "
                      "ne sont jamais additionnés aux capitaux propres. Détails : docs/formats.md.",
                "Which accounts make each indicator derived from an FEC (default: the French chart of accounts). An "
                "account counts under the indicator's longest prefix covering it; quasi-equity is never added to "
                "equity. Details: docs/formats.md."))
words = {**fec_mapping.SIDE_WORDS, **fec_mapping.RULE_WORDS, **fec_mapping.MEASURE_WORDS}
edited_mapping = st.data_editor(
    ui.fec_mapping_frame(), num_rows="dynamic", hide_index=True, key="catalogue_fec_mapping", column_config={
        "indicator": st.column_config.SelectboxColumn(pick(lang, "Indicateur", "Indicator"), options=codes,
                                                      required=True),
        "prefix": st.column_config.TextColumn(pick(lang, "Comptes (préfixe)", "Accounts (prefix)"), required=True),
        **{column: st.column_config.SelectboxColumn(label, options=list(choices), required=True, default=default,
                                                    format_func=lambda code: pick(lang, *words[code]))
           for column, label, choices, default in (
               ("side", pick(lang, "Sens positif", "Positive side"), fec_mapping.SIDE_WORDS, "credit"),
               ("rule", pick(lang, "Règle", "Rule"), fec_mapping.RULE_WORDS, "net"),
               ("measure", pick(lang, "Mesure", "Measure"), fec_mapping.MEASURE_WORDS, "balance"))}})
if st.button(pick(lang, "Enregistrer la correspondance", "Save the mapping"), key="catalogue_fec_mapping_save"):
    try:
        count = ui.save_fec_mapping(edited_mapping)
        st.success(pick(lang, f"Correspondance enregistrée : {count} règles.", f"Mapping saved: {count} rules."))
    except fec_mapping.MappingError as err:
        st.error("\n\n".join([pick(lang, "Refusé, attendu :", "Refused, expected:"), *str(err).splitlines()]))
ui.page_workbook("catalogue")
