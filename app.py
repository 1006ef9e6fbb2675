"""smartdash's entry point: page config, login gate, navigation, shared sidebar. Nothing else."""

from smartdash.inert import st
from smartdash.web import failures, filters, registry, session

st.set_page_config(page_title="smartdash", page_icon=":material/monitoring:", layout="wide")
with failures.told(routed=False):
    user = session.login_gate()
    menu = st.sidebar.container()  # the menu comes first in the sidebar, drawn once the filters set the language
    lang = filters.sidebar()
    navigation = registry.navigation_pages(lang, user)
    page = st.navigation(navigation, position="hidden")
    registry.draw_menu(menu, navigation, user)
with failures.told(routed=True):
    page.run()
