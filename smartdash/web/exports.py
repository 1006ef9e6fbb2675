"""What a page builds as a file when asked: the board pack (slides, PDF) and a dataset in its import format; each is
recorded in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from smartdash import actions
from smartdash.config import load_settings
from smartdash.views import Filters
from smartdash.web import store
from smartdash.web.session import current_user


def dataset_export(kind: str) -> Callable[[], bytes]:
    """A download's data, made when the user asks for it (a dataset may hold millions of rows): the dataset in its
    import format, UTF-8 with BOM for French spreadsheets; the export is recorded in the audit log."""
    from smartdash.importing import export_csv

    user, engine = current_user(), store.engine()  # the callable runs later, on a thread with no session

    def data() -> bytes:
        actions.require(user, "import")  # a dataset in its import format holds every column, client names included
        actions.record_export(user, engine, "csv", {"dataset": kind})
        return ("\ufeff" + export_csv(engine, kind)).encode("utf-8")

    return data


def build_deck(filters: Filters, lang: str, progress):
    """The board pack for the sidebar's filters, in `lang` (not cached: a deck is built when asked for)."""
    from smartdash.export.slides import build_deck as build

    user = current_user()
    actions.record_export(user, store.engine(), "slides", {"as_of": filters.as_of, "lang": lang})
    return build(
        store.engine(),
        filters=replace(filters, lang=lang),
        role=user.role,
        template=load_settings().export_template,
        progress=progress,
    )


def build_pdf(filters: Filters, lang: str, meeting_id: int | None, progress):
    """The printed board pack (A4 PDF) for the sidebar's filters or a meeting, in `lang`; recorded like the deck."""
    from smartdash.export.pdf import build_pdf as build

    user = current_user()
    actions.record_export(user, store.engine(), "pdf", {"as_of": filters.as_of, "lang": lang, "meeting": meeting_id})
    return build(store.engine(), filters=replace(filters, lang=lang), role=user.role, meeting_id=meeting_id, progress=progress)
