"""smartdash's entry point: page config, login gate, navigation, shared sidebar. Nothing else."""

from smartdash.inert import st
from smartdash.web import starting

st.set_page_config(page_title="smartdash", page_icon=":material/monitoring:", layout="wide")
starting_notice = starting.notice() if starting.first_run() else None

from smartdash.web import failures, filters, registry, session  # noqa: E402  (the library: seconds on a first run)

if starting_notice is not None:
    starting_notice.empty()
with failures.told(routed=False):
    user = session.login_gate()
    lang = filters.reader_language()
    page = st.navigation(registry.navigation_pages(lang, user), expanded=True)
    filters.sidebar(compares=registry.compares(page))
with failures.told(routed=True):
    page.run()
