"""smartdash's entry point: page config, login gate, navigation, shared sidebar. Nothing else."""

from smartdash.inert import st
from smartdash.web import starting, turns

# before the run waits for its turn: a stop or a rerun the reader asked for meanwhile is taken here, and a visitor
# who comes while the server's first run loads the library sees the notice at once
st.set_page_config(page_title="smartdash", page_icon=":material/monitoring:", layout="wide")
starting_notice = starting.notice()  # a placeholder in every run, empty but on the first: see starting.notice

with turns.turn():  # the server's page runs one after another, in the order asked: see smartdash/web/turns.py
    from smartdash.web import failures, filters, registry, session, store  # noqa: E402  (the library: seconds on a first run)

    with failures.told(routed=False):
        store.ready(starting_notice)  # a store's first start is told in the same place
        user = session.login_gate()
        menu = st.sidebar.container()  # the menu comes first in the sidebar, drawn once the filters set the language
        lang = filters.reader_language()
        navigation = registry.navigation_pages(lang, user)
        page = st.navigation(navigation, position="hidden")
        filters.sidebar(compares=registry.compares(page))
        registry.draw_menu(menu, navigation, user)
    with failures.told(routed=True):
        page.run()
