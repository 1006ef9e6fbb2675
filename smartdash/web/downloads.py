"""The download buttons beside each chart (PNG, SVG) and table (CSV, XLSX, recorded in the audit log), and the
page's workbook of every table it showed."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable

import pandas as pd

from smartdash import actions, charts
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web import store
from smartdash.web.session import current_user, language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_tables = threading.local()  # this script run's tables (for the workbook) and element counter


def start_page() -> None:
    """A page that does not use page_header starts its table list (and element counter) here."""
    _tables.shown, _tables.count = {}, 0


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _next_element() -> int:
    """A counter of the charts and tables of this script run: stable across reruns of the same page."""
    _tables.count = getattr(_tables, "count", 0) + 1
    return _tables.count


def chart_buttons(spec: dict) -> None:
    """A chart offered as PNG and SVG exactly as shown (rendered offline, only when asked for)."""
    from smartdash.export.chart_images import chart_png, chart_svg
    from smartdash.export.tables import csv_bytes

    lang = language()
    title = spec.get("title")
    title = title if isinstance(title, str) and title else "graphique"
    name = re.sub(r"[^\w-]+", "_", title.lower()).strip("_")[:60] or "graphique"
    key = _key(f"{title}#{_next_element()}")  # the same chart title can recur, in tabs
    # a row of buttons as wide as their labels: columns cut them to "P…" under a half-width chart
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "PNG",
        lambda: chart_png(spec, lang=lang),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{key}",
        on_click="ignore",
        type="tertiary",
        icon=":material/image:",
    )
    row.download_button(
        "SVG",
        lambda: chart_svg(spec, lang=lang),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"svg_{key}",
        on_click="ignore",
        type="tertiary",
        icon=":material/draw:",
    )
    row.download_button(  # the chart's data as a table, for a reader who does not see the chart
        _(lang, "Data (CSV)"),
        lambda: csv_bytes(charts.chart_table(spec)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        on_click="ignore",
        type="tertiary",
        icon=":material/table:",
        help=_(lang, "The chart's figures as a table."),
    )


def table_buttons(frame: pd.DataFrame, name: str) -> None:
    """A table offered as CSV and XLSX (French headers, formulas neutralised), each download recorded in the audit
    log, and kept for the page's workbook."""
    from smartdash.export.tables import csv_bytes, xlsx_bytes

    keep_table(frame, name)
    slug = re.sub(r"[^\w-]+", "_", name.lower()).strip("_")[:60]
    row = st.container(horizontal=True, gap="small")  # buttons as wide as their labels
    user, engine, lang = current_user(), store.engine(), language()  # the callable runs later, with no session

    def audited(make, kind):
        def data():
            actions.record_export(user, engine, kind, {"table": name})
            return make()

        return data

    row.download_button(
        "CSV",
        audited(lambda: csv_bytes(frame), "csv"),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"csv_{_key(name)}_{_next_element()}",
        on_click="ignore",
        type="tertiary",
        icon=":material/table:",
    )
    row.download_button(
        "XLSX",
        audited(lambda: xlsx_bytes({name: frame}, lang), "xlsx"),
        file_name=f"{slug}.xlsx",
        mime=XLSX,
        key=f"xlsx_{_key(name)}_{_next_element()}",
        on_click="ignore",
        type="tertiary",
        icon=":material/grid_on:",
    )


def keep_table(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """A table for the page's workbook (drawn or not). A table not drawn may be given as the function that makes it:
    it is made only if the workbook is downloaded (then, with no session: the function uses none)."""
    if not hasattr(_tables, "shown"):
        _tables.shown = {}
    _tables.shown[name] = frame


def page_workbook(page: str) -> None:
    """One XLSX with a sheet per table the page showed."""
    from smartdash.export.tables import xlsx_bytes

    shown = dict(getattr(_tables, "shown", {}))
    _tables.shown = {}
    lang = language()
    if shown:
        st.download_button(
            _(lang, "Every table on this page (XLSX)"),
            lambda: xlsx_bytes({name: table() if callable(table) else table for name, table in shown.items()}, lang),
            file_name=f"{page}.xlsx",
            on_click="ignore",
            mime=XLSX,
            key=f"workbook_{page}",
            icon=":material/download:",
        )
