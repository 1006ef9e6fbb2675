"""A failed page run, told to the reader in their language; its details go to the server log."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from smartdash.db import store_error
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web.session import language

log = logging.getLogger(__name__)


@contextmanager
def told(*, routed: bool) -> Iterator[None]:
    """Any failure of the page run becomes one message in the reader's language, without SQL, values, names or stack;
    the details go to the server log with a short reference the message repeats. Before the navigation is set up
    (`routed` False: the login gate, the sidebar), the message is the only page: not even the pages' names show."""
    from streamlit.errors import FragmentHandledException

    try:
        yield
    except FragmentHandledException:
        raise
    except Exception as error:
        reference = secrets.token_hex(3)
        log.error("page run failed (reference %s)", reference, exc_info=error)
        lang = language()
        said = store_error(error)
        text = (
            said.message(lang) if said is not None else _(lang, "An unexpected error occurred: the operation did not complete.")
        )
        text = _(lang, "{problem} (reference {reference} in the server log)", problem=text, reference=reference)
        if routed:
            st.error(text, icon=":material/error:")
            return

        def failure_page() -> None:
            st.title("smartdash")
            st.error(text, icon=":material/error:")

        st.navigation([st.Page(failure_page, title="smartdash", url_path="indisponible")], position="hidden").run()
        st.stop()
