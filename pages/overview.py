"""Overview: the plan's headline figures, each with its as-of date and provenance."""

import streamlit as st

from smartdash import formatting, i18n, ui

lang = ui.language()
engine = ui.store_engine()
st.title(i18n.t("overview_title", lang))
st.caption(i18n.t("overview_intro", lang))

figures = ui.headline_figures(engine, str(engine.url))
if not figures:
    st.info(i18n.t("empty_store", lang))
    st.stop()

if any(f.is_synthetic for f in figures):
    st.warning(i18n.t("demo_banner", lang), icon=":material/science:")

columns = st.columns(3)
for i, figure in enumerate(figures):
    with columns[i % 3], st.container(border=True):
        st.metric(
            ui.figure_label(figure, lang),
            formatting.value(figure.value, figure.unit, lang=lang, compact=True),
            help=formatting.value(figure.value, figure.unit, lang=lang),
        )
        detail = ui.figure_detail(figure, lang)
        if detail:
            st.text(detail)
        st.caption(ui.figure_caption(figure, lang))

with st.expander(i18n.t("sources", lang)):
    st.dataframe(ui.provenance_table(figures, lang), hide_index=True)
