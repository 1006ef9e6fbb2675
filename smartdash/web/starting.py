"""What a visitor sees while a server process runs its very first page: a page with its title and what is going on,
not a blank page whose menu lists the raw file names of pages/ (Streamlit's own discovery, shown until the app's
navigation is set up — which waits for the library's imports and, on a fresh store, for the demo data)."""

from __future__ import annotations

import sys

from smartdash.config import load_settings
from smartdash.i18n import _
from smartdash.inert import DeltaGenerator, st

LIBRARY = "smartdash.web.store"  # imported by the first page run of a process, and kept


def first_run() -> bool:
    """Whether this is the process's first page run (the library is not imported yet)."""
    return LIBRARY not in sys.modules


def notice() -> DeltaGenerator:
    """The placeholder of the starting notice, first in the page in every run, which the caller clears once the app is
    ready. On the process's first run it holds a titled page saying the dashboard is starting, and its navigation
    holds no page name until the app's own replaces it; on every other run it is empty. Being there in every run keeps
    each element of the page in the same place from one run to the next: were it there only on the first run,
    everything after it would sit one place lower, and the next run would show for a moment the same form twice, the
    new one and the first run's not yet cleared."""
    first = first_run()
    if first:
        st.navigation([st.Page(_starting_page, title="smartdash", default=True)], position="hidden")
    holder = st.empty()
    if first:
        with holder.container():
            st.title("smartdash")
            st.caption(_(load_settings().language, "The dashboard is starting…"))
    return holder


def _starting_page() -> None:
    """Never run: the app's own navigation follows in the same run."""
