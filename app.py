"""smartdash's entry point: page config, login gate, navigation, shared sidebar. Nothing else."""

from smartdash import ui
from smartdash.inert import st

st.set_page_config(page_title="smartdash", page_icon=":material/monitoring:", layout="wide")
with ui.failures_told(routed=False):
    user = ui.login_gate()
    lang = ui.sidebar()
    page = st.navigation(ui.navigation_pages(lang, user), expanded=True)
with ui.failures_told(routed=True):
    page.run()
