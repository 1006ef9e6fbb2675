"""smartdash's entry point: page config, navigation, shared sidebar. Nothing else."""

import streamlit as st

from smartdash import i18n, ui

st.set_page_config(page_title="smartdash", page_icon=":material/monitoring:", layout="wide")
lang = ui.sidebar()
pages = [
    st.Page("pages/overview.py", title=i18n.t("nav_overview", lang), icon=":material/dashboard:", default=True),
]
st.navigation(pages).run()
